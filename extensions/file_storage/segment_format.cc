#include "extensions/file_storage/segment_format.h"

#include <zlib.h>

#include <charconv>
#include <cstring>

namespace otlpd::extension::file_storage {
namespace {

constexpr std::string_view kSegmentSuffix = ".seg";
constexpr size_t kSequenceDigits = 20;  // enough for any uint64_t

void PutU32(uint32_t v, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU64(uint64_t v, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}
uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

}  // namespace

std::string EncodeSegmentHeader() {
  std::string out(kSegmentHeaderSize, '\0');
  std::memcpy(out.data(), kSegmentMagic.data(), kSegmentMagic.size());
  PutU32(kSegmentVersion, out.data() + 8);
  return out;
}

bool IsValidSegmentHeader(const char* bytes) {
  return std::memcmp(bytes, kSegmentMagic.data(), kSegmentMagic.size()) == 0 &&
         GetU32(bytes + 8) == kSegmentVersion;
}

uint32_t RecordCrcStart(uint32_t length, uint64_t sequence) {
  char fields[12];
  PutU32(length, fields);
  PutU64(sequence, fields + 4);
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(fields), sizeof(fields));
  return static_cast<uint32_t>(crc);
}

uint32_t RecordCrcUpdate(uint32_t crc, std::string_view chunk) {
  // zlib takes a uInt length; chunks are bounded by the 32-bit length field anyway.
  return static_cast<uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(chunk.data()),
                                     static_cast<uInt>(chunk.size())));
}

uint32_t RecordCrc(uint32_t length, uint64_t sequence, std::string_view payload) {
  return RecordCrcUpdate(RecordCrcStart(length, sequence), payload);
}

void EncodeRecordHeader(uint64_t sequence, std::string_view payload, char* out) {
  const auto length = static_cast<uint32_t>(payload.size());
  PutU32(length, out);
  PutU32(RecordCrc(length, sequence, payload), out + 4);
  PutU64(sequence, out + 8);
}

void AppendEncodedRecord(uint64_t sequence, std::string_view payload, std::string& out) {
  char header[kRecordHeaderSize];
  EncodeRecordHeader(sequence, payload, header);
  out.append(header, sizeof(header));
  out.append(payload);
}

RecordHeader DecodeRecordHeader(const char* bytes) {
  return RecordHeader{GetU32(bytes), GetU32(bytes + 4), GetU64(bytes + 8)};
}

std::string SegmentFileName(uint64_t first_sequence) {
  std::string digits = std::to_string(first_sequence);
  return std::string(kSequenceDigits - digits.size(), '0') + digits + std::string(kSegmentSuffix);
}

bool ParseSegmentFileName(std::string_view name, uint64_t* first_sequence) {
  if (name.size() != kSequenceDigits + kSegmentSuffix.size() ||
      name.substr(kSequenceDigits) != kSegmentSuffix) {
    return false;
  }
  const char* begin = name.data();
  const char* end = begin + kSequenceDigits;
  for (const char* p = begin; p != end; ++p) {
    if (*p < '0' || *p > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(begin, end, *first_sequence);
  return ec == std::errc() && ptr == end && *first_sequence < kMaxSequence;
}

}  // namespace otlpd::extension::file_storage
