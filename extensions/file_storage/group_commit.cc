#include "extensions/file_storage/group_commit.h"

#include <algorithm>

namespace otlpd::extension::file_storage {

Status GroupCommit::WaitDurable(uint64_t ticket, std::chrono::steady_clock::time_point deadline,
                                const SyncFn& sync) {
  std::unique_lock lock(mu_);
  while (durable_ < ticket) {
    if (!syncing_) {
      // Lead: everyone who wrote before this point rides on this one sync.
      syncing_ = true;
      lock.unlock();
      StatusOr<uint64_t> covered = sync();
      lock.lock();
      syncing_ = false;
      if (covered.ok()) durable_ = std::max(durable_, *covered);
      durable_changed_.notify_all();
      if (!covered.ok()) return covered.status();
      continue;
    }
    // Follow: the sync in flight may have started before our write; wait for it to end, then
    // either it covered us or one of the waiters leads the next one.
    if (durable_changed_.wait_until(lock, deadline) == std::cv_status::timeout && durable_ < ticket &&
        syncing_) {
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
  durable_changed_.notify_all();
}

}  // namespace otlpd::extension::file_storage
