// PendingRecords: the in-memory index of a log's unacknowledged records, in sequence order,
// with the read cursor and the low-water mark (the oldest unacknowledged sequence). Not
// thread-safe: SegmentLog guards it with its mutex.
//
//   PendingRecords pending;
//   pending.Add({.sequence = 7, .file = seg, .offset = 16, .length = 100});
//   const PendingRecord* next = pending.TakeNextUnread();   // hands out 7
//   Status s = pending.Ack(7);                             // low water moves past 7
#pragma once

#include <cstdint>
#include <deque>
#include <memory>

#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

class SegmentFile;

struct PendingRecord {
  uint64_t sequence = 0;
  std::shared_ptr<SegmentFile> file;  // the segment holding it, kept open while it is pending
  uint64_t offset = 0;                // of its record header
  uint32_t length = 0;                // of its payload
  bool acked = false;                 // acknowledged out of order, above the low water mark
};

class PendingRecords {
 public:
  // `sequence` must be greater than every sequence added before.
  void Add(PendingRecord record);

  // The oldest record not yet handed out (and not acknowledged), or nullptr. Moves the cursor
  // past it. The pointer is valid until the next call that changes this index.
  const PendingRecord* TakeNextUnread();

  // Marks `sequence` done. NOT_FOUND when no pending record has it (never added, or already
  // acknowledged and compacted away). Acknowledging twice above the low water mark is OK.
  Status Ack(uint64_t sequence);

  // The oldest unacknowledged sequence, or `next_sequence` when every record is acknowledged.
  uint64_t LowWater(uint64_t next_sequence) const;
  // Records added and not acknowledged.
  int64_t Count() const { return count_; }

 private:
  std::deque<PendingRecord> records_;  // front: the low water mark; acked entries wait here until it passes
  uint64_t next_unread_ = 0;           // the cursor: the smallest sequence not yet handed out
  int64_t count_ = 0;
};

}  // namespace otlpd::extension::file_storage
