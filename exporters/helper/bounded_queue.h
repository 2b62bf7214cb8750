// BoundedQueue: an exporter's in-memory sending queue (a SendingQueue). Holds encoded requests
// (bytes, not message objects) in arrival order between Consume and the worker threads, bounded
// by a request count or an item count (`sending_queue.sizer`). Lost in a crash, and what is
// left at the shutdown deadline is dropped (Release).
//
// When full, TryPush refuses and leaves the request with the caller (who answers the client
// UNAVAILABLE, so the data is retried upstream); PushWait waits for room until a deadline.
// One request larger than the whole capacity is accepted into an EMPTY queue, so that it is not
// refused forever; the bound is therefore capacity, or one request when that alone is larger.
//
//   BoundedQueue q(1000, QueueSizer::kRequests, &metrics.queue_size);
//   if (q.TryPush(request) == PushResult::kFull) return UnavailableError(...);
//   while (std::optional<QueueEntry> e = q.Pop()) Send(e->request);   // worker thread
//   q.Close();                                                        // Shutdown: drain, stop
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "exporters/helper/queue_config.h"
#include "exporters/helper/sender.h"
#include "exporters/helper/sending_queue.h"
#include "pipeline/clock.h"
#include "pipeline/self_metrics.h"

namespace otlpd::exporter::helper {

class BoundedQueue final : public SendingQueue {
 public:
  // `size_gauge` (may be null) follows the size; it must outlive the queue.
  BoundedQueue(int64_t capacity, QueueSizer sizer, Gauge* size_gauge);

  // Moves `request` in, unless it does not fit or the queue is closed; then `request` is
  // untouched. Never blocks.
  PushResult TryPush(EncodedRequest& request);
  // Like TryPush, but when full waits for room until `deadline` (on `clock`), Close or Abort.
  PushResult PushWait(EncodedRequest& request, Clock& clock, Clock::TimePoint deadline);

  // SendingQueue. Push is TryPush, or PushWait when `wait_until` is set.
  PushOutcome Push(EncodedRequest& request, Clock& clock,
                   std::optional<Clock::TimePoint> wait_until) override;
  bool WouldRefuse(int64_t items) const override;
  // The oldest request (entries are never merged here).
  std::optional<QueueEntry> Pop() override;
  // Nothing to do: a popped request has already left the queue.
  Status Done(const QueueEntry&) override { return OkStatus(); }
  void Close() override;
  // No more pushes or pops; what is left stays for TakeAll / Release.
  void Abort() override;
  // Drops what is left (kept = false).
  Leftover Release() override;
  bool durable() const override { return false; }
  int64_t size() const override;
  int64_t capacity() const override { return capacity_; }

  // Everything still queued (after Abort, or after the workers are gone).
  std::deque<EncodedRequest> TakeAll();

 private:
  int64_t Cost(const EncodedRequest& r) const;
  int64_t Cost(int64_t items) const;
  bool FitsLocked(int64_t cost) const { return size_ == 0 || size_ + cost <= capacity_; }
  void PushLocked(EncodedRequest& request, int64_t cost);

  const int64_t capacity_;
  const QueueSizer sizer_;
  Gauge* const size_gauge_;

  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<EncodedRequest> items_;
  int64_t size_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
};

}  // namespace otlpd::exporter::helper
