#include "extensions/file_storage/file_storage_extension.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "extensions/file_storage/segment_log.h"
#include "pipeline/logging.h"

namespace otlpd::extension::file_storage {
namespace {

bool IsValidLogName(std::string_view name) {
  if (name.empty() || name.size() > 200 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// mkdir -p with `mode` for every directory it creates.
Status CreateDirectories(const std::string& path, mode_t mode) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    const std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      return UnavailableError("file_storage: cannot create directory " + prefix + ": " + std::strerror(errno));
    }
  }
  return OkStatus();
}

}  // namespace

FileStorageExtension::FileStorageExtension(const CreateSettings& settings, Config cfg)
    : cfg_(std::move(cfg)),
      log_(settings.logger ? settings.logger : GetLogger("extension/" + settings.id.ToString())) {}

FileStorageExtension::~FileStorageExtension() = default;

Status FileStorageExtension::Start(Host&) {
  struct stat st {};
  if (stat(cfg_.directory.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return UnavailableError("file_storage: cannot use directory " + cfg_.directory + ": " + std::strerror(errno));
    }
    if (!cfg_.create_directory) {
      return FailedPreconditionError("file_storage: directory " + cfg_.directory +
                                     " does not exist (create it, or set create_directory: true)");
    }
    if (Status s = CreateDirectories(cfg_.directory, cfg_.directory_permissions); !s.ok()) return s;
    log_->info("created directory {}", cfg_.directory);
  } else if (!S_ISDIR(st.st_mode)) {
    return FailedPreconditionError("file_storage: " + cfg_.directory + " is not a directory");
  }
  StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(cfg_.directory, cfg_.timeout);
  if (!lock.ok()) return lock.status();
  std::lock_guard guard(mu_);
  lock_ = std::move(*lock);
  log_->info("file_storage ready in {} (fsync {}, max {} MiB per log)", cfg_.directory,
             FsyncPolicyName(cfg_.fsync), cfg_.max_size_mib);
  return OkStatus();
}

Status FileStorageExtension::Shutdown(Deadline) {
  {
    std::lock_guard names(open_names_->mu);
    if (!open_names_->names.empty()) {
      log_->warn("shutting down with {} logs still open (first: {})", open_names_->names.size(),
                 *open_names_->names.begin());
    }
  }
  std::lock_guard guard(mu_);
  lock_.reset();
  return OkStatus();
}

StatusOr<std::unique_ptr<DurableLog>> FileStorageExtension::OpenLog(std::string_view name) {
  if (!IsValidLogName(name)) {
    return InvalidArgumentError("file_storage: invalid log name \"" + std::string(name) +
                                "\" (letters, digits, '-', '_' and '.' only)");
  }
  {
    std::lock_guard guard(mu_);
    if (!lock_) return FailedPreconditionError("file_storage: not started");
  }
  {
    std::lock_guard names(open_names_->mu);
    if (!open_names_->names.emplace(name).second) {
      return AlreadyExistsError("file_storage: log \"" + std::string(name) + "\" in " + cfg_.directory +
                                " is already open");
    }
  }
  SegmentLogOptions options;
  options.directory = cfg_.directory + "/" + std::string(name);
  options.fsync = cfg_.fsync;
  options.max_size_bytes = static_cast<uint64_t>(cfg_.max_size_mib) << 20;
  options.segment_size_bytes = static_cast<uint64_t>(cfg_.segment_size_mib) << 20;
  options.timeout = cfg_.timeout;
  options.dir_permissions = cfg_.directory_permissions;
  options.logger = log_;
  options.on_close = [names = open_names_, key = std::string(name)] {
    std::lock_guard guard(names->mu);
    names->names.erase(key);
  };
  StatusOr<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(std::move(options));
  if (!log.ok()) {
    std::lock_guard names(open_names_->mu);
    open_names_->names.erase(std::string(name));
    return log.status();
  }
  return std::unique_ptr<DurableLog>(std::move(*log));
}

}  // namespace otlpd::extension::file_storage
