// Config of the file_storage extension: where the logs live, how hard they hold on to data
// (fsync policy), and how much disk they may use. Keys follow the Collector's filestorage
// extension where they mean the same thing (directory, create_directory, directory_permissions,
// timeout, and fsync as a boolean); `compaction` is refused because this format compacts itself.
//
//   extensions:
//     file_storage:
//       directory: /var/lib/otelcol/file_storage
//       create_directory: true
//       fsync: batch            # always | batch | never (true = always, false = never)
//       max_size_mib: 1024
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>

#include "config/map_reader.h"
#include "extensions/file_storage/segment_log.h"
#include "pipeline/factory.h"

namespace otlpd::extension::file_storage {

struct Config : ComponentConfig {
  // directory, default /var/lib/otelcol/file_storage (the Collector's default on Linux): one
  // subdirectory per log, plus the process lock file.
  std::string directory = "/var/lib/otelcol/file_storage";
  // create_directory, default false: when false a missing directory is a start error.
  bool create_directory = false;
  // directory_permissions, default "0750" (octal text, <= 0777): used when creating directories.
  mode_t directory_permissions = 0750;
  // fsync, default batch: always | batch | never, or true (always) / false (never).
  FsyncPolicy fsync = FsyncPolicy::kBatch;
  // max_size_mib, default 1024, >= 1: disk use of ONE log; appends past it are refused
  // (UNAVAILABLE, retryable) until acknowledgements free space.
  int64_t max_size_mib = 1024;
  // segment_size_mib, default 8, >= 1 and <= max_size_mib: a segment is closed past this size;
  // fully acknowledged closed segments are deleted.
  int64_t segment_size_mib = 8;
  // timeout, default 1s, >= 1ms: how long Start waits for the directory lock, and how long an
  // append waits for another appender's group fsync (`batch`).
  config::Duration timeout = std::chrono::seconds(1);
};

void DecodeConfig(config::MapReader& reader, Config& cfg);

// "always" / "batch" / "never", as written in the config.
std::string_view FsyncPolicyName(FsyncPolicy policy);

}  // namespace otlpd::extension::file_storage
