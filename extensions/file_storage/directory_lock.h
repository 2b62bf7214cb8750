// DirectoryLock: the process lock of a file_storage directory: an exclusive flock(2) on
// "<directory>/otlpd.lock", held while the extension runs. A second otlpd (or a second
// extension instance) on the same directory is refused with an error naming the directory,
// instead of two writers interleaving records. The kernel drops the lock when the process dies,
// so a crash never leaves a stale lock behind.
//
//   StatusOr<DirectoryLock> lock = DirectoryLock::Acquire("/var/lib/otelcol/file_storage", 1s);
//   if (!lock.ok()) return lock.status();   // "... is in use by another process"
#pragma once

#include <chrono>
#include <string>

#include "extensions/file_storage/file_util.h"
#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

inline constexpr const char* kLockFileName = "otlpd.lock";

class DirectoryLock {
 public:
  // Tries for up to `timeout` (polling every 10ms) before giving up with FAILED_PRECONDITION.
  static StatusOr<DirectoryLock> Acquire(const std::string& directory, std::chrono::nanoseconds timeout);

  DirectoryLock(DirectoryLock&&) noexcept = default;
  DirectoryLock& operator=(DirectoryLock&&) noexcept = default;

 private:
  explicit DirectoryLock(FileDescriptor fd) : fd_(std::move(fd)) {}
  FileDescriptor fd_;  // the lock lives as long as this descriptor is open
};

}  // namespace otlpd::extension::file_storage
