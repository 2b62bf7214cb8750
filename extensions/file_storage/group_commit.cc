#include "extensions/file_storage/group_commit.h"

#include <algorithm>

namespace otlpd::extension::file_storage {

Status GroupCommit::WaitDurable(uint64_t ticket, std::chrono::steady_clock::time_point deadline,
                                const CaptureFn& capture) {
  std::unique_lock lock(mu_);
  while (durable_ < ticket) {
    if (!failed_.ok()) return failed_;
    if (started_ < ticket && capturing_ == 0) {
      // Lead: no fsync under way covers this record. Everyone written by the time `capture`
      // looks rides along.
      ++capturing_;
      lock.unlock();
      PendingSync pending = capture();
      lock.lock();
      --capturing_;
      started_ = std::max(started_, pending.covers);
      changed_.notify_all();  // appenders covered by it wait for it; the others lead their own
      lock.unlock();
      Status s = pending.sync();
      lock.lock();
      if (s.ok()) {
        durable_ = std::max(durable_, pending.covers);
      } else if (failed_.ok()) {
        failed_ = s;
      }
      changed_.notify_all();
      continue;
    }
    // Follow: an fsync in flight covers this record, or a leader is finding out whether it does.
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && durable_ < ticket &&
        failed_.ok()) {
      return UnavailableError(
          "file_storage: fsync did not complete within the timeout; the record may still be delivered",
          std::chrono::seconds(1));
    }
  }
  return OkStatus();
}

void GroupCommit::MarkDurable(uint64_t ticket) {
  std::lock_guard lock(mu_);
  durable_ = std::max(durable_, ticket);
  started_ = std::max(started_, ticket);
  changed_.notify_all();
}

}  // namespace otlpd::extension::file_storage
