// ScanSegment: reads one segment file from start to end and checks every record, without
// trusting anything in it. Used by recovery when a log is opened. Memory stays bounded whatever
// the file holds: payloads are checksummed in fixed-size chunks and a length field is checked
// against the bytes actually left in the file (and a maximum record size) before anything is
// read, so a damaged length of 4 GB is a finding, not an allocation.
//
//   StatusOr<SegmentScan> scan = ScanSegment(fd, path, /*first_sequence=*/42, max_record);
//   for (const ScannedRecord& r : scan->records) index.push_back(r);
//   if (scan->damage != SegmentDamage::kNone) { /* torn tail or corruption at scan->damage_offset */ }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

// A complete, checksummed record found in a segment.
struct ScannedRecord {
  uint64_t sequence = 0;
  uint64_t offset = 0;  // of the record header in the file
  uint32_t length = 0;  // of the payload
};

enum class SegmentDamage {
  kNone,
  // What an interrupted append leaves: the file ends inside a segment header, a record header or
  // a payload, or its very last record fails its checksum. Harmless in the segment being written.
  kTornTail,
  // Anything else: bad magic, a checksum failure with more data after it, a length beyond the
  // maximum record size, sequences going backwards.
  kCorrupt,
};

struct SegmentScan {
  std::vector<ScannedRecord> records;  // the good records before the first damage, in order
  uint64_t file_size = 0;
  // Where the good part ends: just past the last good record (or the segment header). Recovery
  // truncates a torn tail to this length.
  uint64_t valid_end = 0;
  SegmentDamage damage = SegmentDamage::kNone;
  uint64_t damage_offset = 0;  // of the first damaged byte range (== valid_end)
  std::string damage_reason;   // "bad checksum", "length 4294967295 beyond end of file", ...
};

// Scans the segment open as `fd` (`path` is for messages). Records must have sequences >=
// `first_sequence` (the file name's) and strictly increasing, and payloads of at most
// `max_record_bytes`. Fails only when the file cannot be read (I/O error); damage is reported in
// the result.
StatusOr<SegmentScan> ScanSegment(int fd, const std::string& path, uint64_t first_sequence,
                                  uint64_t max_record_bytes);

// Reads the payload of the record at `offset` (found by ScanSegment or written by this run) and
// checks its header and checksum again: the file may have been damaged since. DATA_LOSS naming
// the file and offset when it does not match.
StatusOr<std::string> ReadRecordAt(int fd, const std::string& path, uint64_t offset,
                                   uint64_t sequence, uint32_t length);

}  // namespace otlpd::extension::file_storage
