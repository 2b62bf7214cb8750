// The on-disk format of one segment file of a file_storage log: a fixed segment header, then
// records back to back. Everything is little-endian.
//
//   segment header (16 bytes): magic "OTLPDSEG" | version u32 (=1) | reserved u32 (=0)
//   record header  (16 bytes): length u32 | crc u32 | sequence u64
//   record payload (length bytes)
//
// `crc` is zlib's CRC-32 (the gzip polynomial) over the length field, the sequence field and the
// payload, in that order, so a torn or flipped header is caught as well as a damaged payload.
// The sequence is stored in every record (not derived from position) so that recovery can skip a
// damaged stretch and still number what follows correctly.
//
//   std::string bytes = EncodeSegmentHeader();
//   AppendEncodedRecord(42, "payload", bytes);
//   RecordHeader h = DecodeRecordHeader(bytes.data() + kSegmentHeaderSize);
//   bool ok = RecordCrc(h.length, h.sequence, payload) == h.crc;
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace otlpd::extension::file_storage {

inline constexpr std::string_view kSegmentMagic = "OTLPDSEG";
inline constexpr uint32_t kSegmentVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 16;
inline constexpr size_t kRecordHeaderSize = 16;
// Sequences at or above this are damage wherever they appear (record, file name, ack file): a
// log appending a million records a second needs 146,000 years to get there, and the bound
// keeps `sequence + 1` from ever wrapping around.
inline constexpr uint64_t kMaxSequence = uint64_t{1} << 62;

struct RecordHeader {
  uint32_t length = 0;
  uint32_t crc = 0;
  uint64_t sequence = 0;
};

// The 16 bytes every segment starts with.
std::string EncodeSegmentHeader();
// True when `bytes` (at least kSegmentHeaderSize long) is a header this version can read.
bool IsValidSegmentHeader(const char* bytes);

// The record header of `payload` with sequence `sequence`, written into `out` (16 bytes).
void EncodeRecordHeader(uint64_t sequence, std::string_view payload, char* out);
// Appends header + payload to `out`.
void AppendEncodedRecord(uint64_t sequence, std::string_view payload, std::string& out);
// Reads the fields of a 16-byte record header; checks nothing.
RecordHeader DecodeRecordHeader(const char* bytes);
// The checksum a record with these fields must carry.
uint32_t RecordCrc(uint32_t length, uint64_t sequence, std::string_view payload);
// The same checksum computed piecewise, so a reader can verify a large payload in chunks
// without holding it all: crc = RecordCrcStart(l, s); crc = RecordCrcUpdate(crc, chunk)...
uint32_t RecordCrcStart(uint32_t length, uint64_t sequence);
uint32_t RecordCrcUpdate(uint32_t crc, std::string_view chunk);

// "00000000000000000042.seg": segment files are named after the first sequence they may hold,
// zero-padded so that name order is log order.
std::string SegmentFileName(uint64_t first_sequence);
// The first sequence of a segment file name, or false when `name` is not a segment file name
// (or names a sequence >= kMaxSequence).
bool ParseSegmentFileName(std::string_view name, uint64_t* first_sequence);

}  // namespace otlpd::extension::file_storage
