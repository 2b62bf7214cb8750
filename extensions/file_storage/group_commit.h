// GroupCommit: the `batch` fsync policy. Appenders whose records are already written when an
// fsync starts share that fsync: a burst of N concurrent appends costs one fsync, not N, and
// nobody returns before an fsync that covers its record has completed. An appender that finds
// no fsync covering it starts one at once, even while an older one is still running, rather
// than queueing behind it: the kernel merges concurrent fdatasyncs of a file into one journal
// commit, so waiting for the older one first would only add its latency. No thread of its own.
//
//   uint64_t ticket = ...;   // taken under the log's lock, right after the write
//   Status s = group.WaitDurable(ticket, deadline, [&] { return log.CaptureSync(); });
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>

#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

class GroupCommit {
 public:
  // An fsync about to happen: every ticket <= `covers` is on disk once `sync` returns OK.
  struct PendingSync {
    uint64_t covers = 0;
    std::function<Status()> sync;
  };
  // Looks at what is written now (under the log's lock) and returns the fsync that would make
  // it durable. Called without GroupCommit's lock held.
  using CaptureFn = std::function<PendingSync()>;

  // Returns once a completed fsync covers `ticket` (tickets increase with every write).
  // UNAVAILABLE when `deadline` passes while waiting for another appender's fsync; the failed
  // fsync's status (to this caller and to every later one) when an fsync fails.
  Status WaitDurable(uint64_t ticket, std::chrono::steady_clock::time_point deadline,
                     const CaptureFn& capture);

  // Everything up to `ticket` was made durable by other means (a segment synced at rollover).
  void MarkDurable(uint64_t ticket);

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  uint64_t durable_ = 0;     // every ticket <= this is on disk
  uint64_t started_ = 0;     // the highest ticket an fsync in flight (or done) covers
  int capturing_ = 0;        // leaders between deciding to sync and knowing what it covers
  Status failed_;            // the first failed fsync: after it nothing is proven durable
};

}  // namespace otlpd::extension::file_storage
