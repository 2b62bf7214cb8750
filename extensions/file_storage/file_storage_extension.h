// FileStorageExtension: the `file_storage` extension. Gives exporters crash-safe logs
// (SegmentLog) under one directory that this process holds locked while it runs. Each log lives
// in "<directory>/<name>/"; a name can be open once at a time.
//
//   FileStorageExtension storage(settings, cfg);
//   Status s = storage.Start(host);   // checks/creates the directory, takes the process lock
//   auto log = storage.OpenLog("otlp_http-backend-traces");   // StatusOr<unique_ptr<DurableLog>>
//   ... (*log)->Close(); ...
//   storage.Shutdown(deadline);        // releases the lock (logs must be closed before)
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <spdlog/logger.h>

#include "extensions/file_storage/config.h"
#include "extensions/file_storage/directory_lock.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/storage.h"

namespace otlpd::extension::file_storage {

class FileStorageExtension final : public Extension, public StorageProvider {
 public:
  FileStorageExtension(const CreateSettings& settings, Config cfg);
  ~FileStorageExtension() override;

  // FAILED_PRECONDITION naming the directory when it is missing (and create_directory is false)
  // or locked by another process; UNAVAILABLE when it cannot be created or locked.
  Status Start(Host& host) override;
  Status Shutdown(Deadline deadline) override;

  // INVALID_ARGUMENT for a bad name, ALREADY_EXISTS when the name is open, FAILED_PRECONDITION
  // before Start or after Shutdown. The log may outlive neither this extension nor its Shutdown.
  StatusOr<std::unique_ptr<DurableLog>> OpenLog(std::string_view name) override;

 private:
  // The names open now, shared with the logs so that Close can free a name.
  struct OpenNames {
    std::mutex mu;
    std::set<std::string, std::less<>> names;
  };

  const Config cfg_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<OpenNames> open_names_ = std::make_shared<OpenNames>();

  std::mutex mu_;
  std::optional<DirectoryLock> lock_;  // set between Start and Shutdown
};

}  // namespace otlpd::extension::file_storage
