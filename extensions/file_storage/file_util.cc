#include "extensions/file_storage/file_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace otlpd::extension::file_storage {

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.Release();
  }
  return *this;
}

int FileDescriptor::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void FileDescriptor::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Status ErrnoStatus(const std::string& what) {
  // A full or failing disk may heal (space freed, volume remounted): retryable, with a hint.
  return UnavailableError("file_storage: " + what + ": " + std::strerror(errno), std::chrono::seconds(1));
}

Status WriteAll(int fd, std::string_view bytes, off_t offset) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, offset + static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write");
    }
    done += static_cast<size_t>(n);
  }
  return OkStatus();
}

Status SyncDirectory(const std::string& dir) {
  FileDescriptor fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("opening directory " + dir);
  if (fsync(fd.get()) != 0) return ErrnoStatus("syncing directory " + dir);
  return OkStatus();
}

}  // namespace otlpd::extension::file_storage
