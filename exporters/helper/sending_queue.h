// SendingQueue: what QueuedRetryExporter needs of its sending queue, so that the in-memory queue
// (BoundedQueue) and the durable one (PersistentQueue, `sending_queue.storage`) share one code
// path in the exporter: Consume pushes, num_consumers workers pop, send and mark each entry done,
// Shutdown closes, then aborts at its deadline, then asks what is left.
//
//   PushOutcome pushed = queue.Push(request, std::nullopt);   // never waits
//   if (pushed.result != PushResult::kOk) return Refuse(pushed);
//   while (std::optional<QueueEntry> e = queue.Pop()) {        // a worker
//     if (Deliver(e->request).ok() || permanent) queue.Done(*e);
//   }
//   queue.Close(); ...; queue.Abort(); Leftover left = queue.Release();
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "exporters/helper/sender.h"
#include "pipeline/clock.h"
#include "pipeline/status.h"

namespace otlpd::exporter::helper {

enum class PushResult {
  kOk,
  kFull,          // over queue_size: the request was not taken
  kClosed,        // Close or Abort was called: the request was not taken
  kStorageError,  // the durable log refused (disk limit, disk full, I/O error): not taken
};

struct PushOutcome {
  PushResult result = PushResult::kOk;
  Status error;  // with kStorageError: the log's refusal (UNAVAILABLE + retry_after)
};

// One unit of work for a worker: a request ready to send, or the reason it cannot be.
struct QueueEntry {
  EncodedRequest request;
  // Not OK: the entry could not be made ready to send (a stored record that no longer parses).
  // It is dropped for good, as a permanent error, and marked Done.
  Status error;
  // Internal to the queue: the durable records the entry covers (one, or several merged).
  std::vector<uint64_t> records;
  // Internal to the queue: the entry's size in the queue's sizer units.
  int64_t cost = 0;
};

// What was still queued when the exporter stopped.
struct Leftover {
  int64_t items = 0;     // known items (a persistent queue may hold records it never read)
  int64_t requests = 0;  // queued requests, or durable records
  bool kept = false;     // true: it stays in durable storage for the next run, nothing is lost
  Status error;          // closing the durable storage failed (the caller logs it)
};

// Every method is thread-safe.
class SendingQueue {
 public:
  virtual ~SendingQueue() = default;

  // Takes `request` (moved from) when the outcome is kOk; otherwise leaves it untouched. With
  // `wait_until` (on `clock`), a full queue waits for room until then, Close or Abort.
  virtual PushOutcome Push(EncodedRequest& request, Clock& clock,
                           std::optional<Clock::TimePoint> wait_until) = 0;
  // Whether a request of `items` items would be refused now (a cheap check before encoding).
  virtual bool WouldRefuse(int64_t items) const = 0;

  // The next entry. Waits until there is one; nullopt once the queue is closed and drained, or
  // aborted. The wait's only end besides data is Close/Abort, which Shutdown always calls.
  virtual std::optional<QueueEntry> Pop() = 0;
  // The entry was delivered or dropped for good: a persistent queue forgets it (Ack). Entries
  // that were not sent because the exporter stopped are NOT marked done, so they stay.
  // Returns the storage's error, if any (the caller logs it).
  virtual Status Done(const QueueEntry& entry) = 0;

  // No more pushes; Pop hands out what is left, then nullopt.
  virtual void Close() = 0;
  // No more pushes or pops.
  virtual void Abort() = 0;
  // After the workers have stopped: takes stock of what was not sent. The in-memory queue drops
  // it; the persistent queue closes its log, which keeps it for the next run.
  virtual Leftover Release() = 0;

  // True when what Push accepted survives a crash or a restart.
  virtual bool durable() const = 0;
  virtual int64_t size() const = 0;  // in sizer units
  virtual int64_t capacity() const = 0;
};

}  // namespace otlpd::exporter::helper
