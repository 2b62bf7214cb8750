// GroupCommit: the `batch` fsync policy. Appenders that wrote concurrently share one fsync: the
// first to arrive becomes the leader and syncs; the others wait, and the sync after the one in
// flight covers all of them. A burst of N appends costs about two fsyncs, not N, and nobody
// returns before an fsync that covers its record has completed. No thread of its own.
//
//   uint64_t ticket = ...;   // taken under the log's lock, right after the write
//   Status s = group.WaitDurable(ticket, deadline, [&] { return log.SyncActive(); });
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

class GroupCommit {
 public:
  // Makes durable everything written before it was called and returns the highest ticket that
  // is now durable. Called by the leader, without GroupCommit's lock held.
  using SyncFn = std::function<StatusOr<uint64_t>()>;

  // Returns once a sync covers `ticket` (tickets increase with every write). UNAVAILABLE when
  // `deadline` passes first while another appender's sync is in flight; the failing sync's
  // status when this caller's own sync fails.
  Status WaitDurable(uint64_t ticket, std::chrono::steady_clock::time_point deadline,
                     const SyncFn& sync);

  // Everything up to `ticket` was made durable by other means (a segment synced at rollover).
  void MarkDurable(uint64_t ticket);

 private:
  std::mutex mu_;
  std::condition_variable durable_changed_;
  uint64_t durable_ = 0;  // every ticket <= this is on disk
  bool syncing_ = false;  // a leader is inside sync()
};

}  // namespace otlpd::extension::file_storage
