#include "extensions/file_storage/ack_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "extensions/file_storage/file_util.h"
#include "extensions/file_storage/segment_format.h"

namespace otlpd::extension::file_storage {
namespace {

// "OTLPDACK" | acked_below u64 | crc u32 of the 16 bytes before it, computed like a record's.
constexpr std::string_view kAckMagic = "OTLPDACK";
constexpr size_t kAckFileSize = 20;

uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

}  // namespace

Status WriteAckFile(const std::string& log_dir, uint64_t acked_below, bool sync) {
  char bytes[kAckFileSize];
  std::memcpy(bytes, kAckMagic.data(), kAckMagic.size());
  for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<char>((acked_below >> (8 * i)) & 0xff);
  const uint32_t crc = RecordCrc(0, acked_below, std::string_view(bytes, 16));
  for (int i = 0; i < 4; ++i) bytes[16 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);

  const std::string path = log_dir + "/" + kAckFileName;
  const std::string tmp = path + ".tmp";
  FileDescriptor fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("creating " + tmp);
  if (Status s = WriteAll(fd.get(), std::string_view(bytes, sizeof(bytes)), 0); !s.ok()) {
    return s.Annotate(tmp);
  }
  if (sync && fdatasync(fd.get()) != 0) return ErrnoStatus("syncing " + tmp);
  fd.Close();
  if (rename(tmp.c_str(), path.c_str()) != 0) return ErrnoStatus("renaming " + tmp);
  if (sync) return SyncDirectory(log_dir);
  return OkStatus();
}

uint64_t ReadAckFile(const std::string& log_dir, spdlog::logger& log) {
  const std::string path = log_dir + "/" + kAckFileName;
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno != ENOENT) log.warn("cannot read {} ({}): every record on disk is delivered again", path, std::strerror(errno));
    return 0;
  }
  char bytes[kAckFileSize + 1];
  ssize_t n = pread(fd.get(), bytes, sizeof(bytes), 0);
  if (n != static_cast<ssize_t>(kAckFileSize) ||
      std::memcmp(bytes, kAckMagic.data(), kAckMagic.size()) != 0) {
    log.error("{} is damaged: every record on disk is delivered again", path);
    return 0;
  }
  const uint64_t acked_below = GetU64(bytes + 8);
  uint32_t crc = 0;
  for (int i = 0; i < 4; ++i) crc |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[16 + i])) << (8 * i);
  if (RecordCrc(0, acked_below, std::string_view(bytes, 16)) != crc || acked_below >= kMaxSequence) {
    log.error("{} has a bad checksum: every record on disk is delivered again", path);
    return 0;
  }
  return acked_below;
}

}  // namespace otlpd::extension::file_storage
