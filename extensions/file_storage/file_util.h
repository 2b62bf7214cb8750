// Small POSIX helpers shared by the file_storage files: an owning file descriptor, a write that
// finishes or fails, directory fsync, and errno as a Status. Disk errors become UNAVAILABLE:
// upstream retries later instead of dropping (a full disk heals when space is freed).
//
//   FileDescriptor fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
//   if (!fd.valid()) return ErrnoStatus("opening " + path);
//   Status s = WriteAll(fd.get(), bytes, offset);
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.Release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { Close(); }

  bool valid() const { return fd_ >= 0; }
  int get() const { return fd_; }
  int Release();
  void Close();

 private:
  int fd_ = -1;
};

// UNAVAILABLE "file_storage: <what>: <strerror(errno)>", retry after 1s.
Status ErrnoStatus(const std::string& what);

// Writes all of `bytes` at `offset` (pwrite, retried on EINTR and short writes).
Status WriteAll(int fd, std::string_view bytes, off_t offset);

// fsync of a directory, so that files created or renamed in it survive a power loss.
Status SyncDirectory(const std::string& dir);

}  // namespace otlpd::extension::file_storage
