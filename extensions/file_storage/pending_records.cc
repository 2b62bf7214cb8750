#include "extensions/file_storage/pending_records.h"

#include <algorithm>
#include <string>

namespace otlpd::extension::file_storage {

void PendingRecords::Add(PendingRecord record) {
  records_.push_back(std::move(record));
  ++count_;
}

const PendingRecord* PendingRecords::TakeNextUnread() {
  auto it = std::lower_bound(records_.begin(), records_.end(), next_unread_,
                             [](const PendingRecord& r, uint64_t s) { return r.sequence < s; });
  while (it != records_.end() && it->acked) ++it;
  if (it == records_.end()) return nullptr;
  next_unread_ = it->sequence + 1;
  return &*it;
}

Status PendingRecords::Ack(uint64_t sequence) {
  auto it = std::lower_bound(records_.begin(), records_.end(), sequence,
                             [](const PendingRecord& r, uint64_t s) { return r.sequence < s; });
  if (it == records_.end() || it->sequence != sequence) {
    return NotFoundError("file_storage: no pending record with sequence " + std::to_string(sequence));
  }
  if (it->acked) return OkStatus();
  it->acked = true;
  --count_;
  // Entries leave only from the front, so the low water mark is always records_.front().
  while (!records_.empty() && records_.front().acked) records_.pop_front();
  return OkStatus();
}

uint64_t PendingRecords::LowWater(uint64_t next_sequence) const {
  return records_.empty() ? next_sequence : records_.front().sequence;
}

}  // namespace otlpd::extension::file_storage
