#include "extensions/file_storage/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <thread>

namespace otlpd::extension::file_storage {

StatusOr<DirectoryLock> DirectoryLock::Acquire(const std::string& directory,
                                               std::chrono::nanoseconds timeout) {
  const std::string path = directory + "/" + kLockFileName;
  FileDescriptor fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("creating lock file " + path);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return ErrnoStatus("locking " + path);
    if (std::chrono::steady_clock::now() >= deadline) {
      return FailedPreconditionError("file_storage: directory " + directory +
                                     " is in use by another process (lock on " + path + " held)");
    }
    // flock has no timed wait; a short poll keeps the wait bounded by `timeout`.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return DirectoryLock(std::move(fd));
}

}  // namespace otlpd::extension::file_storage
