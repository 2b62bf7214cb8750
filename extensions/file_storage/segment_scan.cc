#include "extensions/file_storage/segment_scan.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "extensions/file_storage/segment_format.h"

namespace otlpd::extension::file_storage {
namespace {

// Payloads are checksummed in pieces of this size: the scan's memory does not grow with them.
constexpr size_t kChunkSize = 64 * 1024;

// Reads exactly `size` bytes at `offset` unless the file ends first; returns the count read, or
// -1 with errno on an I/O error.
ssize_t ReadFully(int fd, char* out, size_t size, uint64_t offset) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

Status ReadError(const std::string& path, uint64_t offset) {
  return UnavailableError("file_storage: reading " + path + " at offset " + std::to_string(offset) +
                          ": " + std::strerror(errno));
}

// The checksum of `length` payload bytes at `offset`, read in chunks.
StatusOr<uint32_t> ChecksumPayload(int fd, const std::string& path, uint64_t offset,
                                   uint32_t length, uint64_t sequence) {
  uint32_t crc = RecordCrcStart(length, sequence);
  char chunk[kChunkSize];
  uint64_t done = 0;
  while (done < length) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kChunkSize, length - done));
    ssize_t n = ReadFully(fd, chunk, want, offset + done);
    if (n < 0) return ReadError(path, offset + done);
    if (static_cast<size_t>(n) != want) {
      // The file shrank under us; report it as a damaged record.
      return Status(StatusCode::kDataLoss, "file_storage: " + path + " ends inside the record at offset " +
                                               std::to_string(offset));
    }
    crc = RecordCrcUpdate(crc, std::string_view(chunk, want));
    done += want;
  }
  return crc;
}

}  // namespace

StatusOr<SegmentScan> ScanSegment(int fd, const std::string& path, uint64_t first_sequence,
                                  uint64_t max_record_bytes) {
  SegmentScan scan;
  struct stat st {};
  if (fstat(fd, &st) != 0) return ReadError(path, 0);
  scan.file_size = static_cast<uint64_t>(st.st_size);

  auto damaged = [&scan](uint64_t offset, SegmentDamage kind, std::string reason) {
    scan.valid_end = offset;
    scan.damage_offset = offset;
    scan.damage = kind;
    scan.damage_reason = std::move(reason);
  };

  char header[std::max(kSegmentHeaderSize, kRecordHeaderSize)];
  if (scan.file_size < kSegmentHeaderSize) {
    damaged(0, SegmentDamage::kTornTail, "segment header incomplete");
    return scan;
  }
  ssize_t n = ReadFully(fd, header, kSegmentHeaderSize, 0);
  if (n < 0) return ReadError(path, 0);
  if (static_cast<size_t>(n) < kSegmentHeaderSize) {
    damaged(0, SegmentDamage::kTornTail, "segment header incomplete");
    return scan;
  }
  if (!IsValidSegmentHeader(header)) {
    damaged(0, SegmentDamage::kCorrupt, "not a segment of this version (bad magic or version)");
    return scan;
  }

  uint64_t offset = kSegmentHeaderSize;
  uint64_t min_sequence = first_sequence;
  while (offset < scan.file_size) {
    const uint64_t remaining = scan.file_size - offset;
    if (remaining < kRecordHeaderSize) {
      damaged(offset, SegmentDamage::kTornTail, "record header incomplete");
      return scan;
    }
    n = ReadFully(fd, header, kRecordHeaderSize, offset);
    if (n < 0) return ReadError(path, offset);
    if (static_cast<size_t>(n) < kRecordHeaderSize) {
      damaged(offset, SegmentDamage::kTornTail, "record header incomplete");
      return scan;
    }
    const RecordHeader h = DecodeRecordHeader(header);
    if (h.length > max_record_bytes) {
      // Checked before the end of file: a length no record can have is damage, wherever it is.
      damaged(offset, SegmentDamage::kCorrupt,
              "record length " + std::to_string(h.length) + " exceeds the maximum " +
                  std::to_string(max_record_bytes));
      return scan;
    }
    const uint64_t record_end = offset + kRecordHeaderSize + h.length;
    if (record_end > scan.file_size) {
      damaged(offset, SegmentDamage::kTornTail,
              "record length " + std::to_string(h.length) + " runs past the end of the file");
      return scan;
    }
    StatusOr<uint32_t> crc = ChecksumPayload(fd, path, offset + kRecordHeaderSize, h.length, h.sequence);
    if (!crc.ok()) {
      if (crc.status().code() == StatusCode::kDataLoss) {
        damaged(offset, SegmentDamage::kTornTail, crc.status().message());
        return scan;
      }
      return crc.status();
    }
    if (*crc != h.crc) {
      // A bad checksum on the very last record is what a torn write leaves; earlier, it is rot.
      damaged(offset, record_end == scan.file_size ? SegmentDamage::kTornTail : SegmentDamage::kCorrupt,
              "bad checksum");
      return scan;
    }
    if (h.sequence < min_sequence || h.sequence >= kMaxSequence) {
      damaged(offset, SegmentDamage::kCorrupt,
              "sequence " + std::to_string(h.sequence) + " outside [" + std::to_string(min_sequence) +
                  ", " + std::to_string(kMaxSequence) + ")");
      return scan;
    }
    scan.records.push_back(ScannedRecord{h.sequence, offset, h.length});
    min_sequence = h.sequence + 1;
    offset = record_end;
  }
  scan.valid_end = offset;
  return scan;
}

StatusOr<std::string> ReadRecordAt(int fd, const std::string& path, uint64_t offset,
                                   uint64_t sequence, uint32_t length) {
  std::string bytes(kRecordHeaderSize + length, '\0');
  ssize_t n = ReadFully(fd, bytes.data(), bytes.size(), offset);
  if (n < 0) return ReadError(path, offset);
  auto damaged = [&](const char* what) {
    return Status(StatusCode::kDataLoss, "file_storage: record " + std::to_string(sequence) + " in " +
                                             path + " at offset " + std::to_string(offset) + ": " + what);
  };
  if (static_cast<size_t>(n) != bytes.size()) return damaged("file is shorter than the record");
  const RecordHeader h = DecodeRecordHeader(bytes.data());
  if (h.length != length || h.sequence != sequence) return damaged("header changed on disk");
  std::string_view payload(bytes.data() + kRecordHeaderSize, length);
  if (RecordCrc(length, sequence, payload) != h.crc) return damaged("bad checksum");
  bytes.erase(0, kRecordHeaderSize);
  return bytes;
}

}  // namespace otlpd::extension::file_storage
