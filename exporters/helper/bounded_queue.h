// BoundedQueue: an exporter's sending queue. Holds encoded requests (bytes, not message objects)
// in arrival order between Consume and the worker threads, bounded by a request count or an
// item count (`sending_queue.sizer`).
//
// When full, TryPush refuses and leaves the request with the caller (who answers the client
// UNAVAILABLE, so the data is retried upstream); PushWait waits for room until a deadline.
// One request larger than the whole capacity is accepted into an EMPTY queue, so that it is not
// refused forever; the bound is therefore capacity, or one request when that alone is larger.
//
//   BoundedQueue q(1000, QueueSizer::kRequests, &metrics.queue_size);
//   if (q.TryPush(request) == BoundedQueue::PushResult::kFull) return UnavailableError(...);
//   while (std::optional<EncodedRequest> r = q.Pop()) Send(*r);   // worker thread
//   q.Close();                                                    // Shutdown: drain, then stop
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "exporters/helper/queue_config.h"
#include "exporters/helper/sender.h"
#include "pipeline/clock.h"
#include "pipeline/self_metrics.h"

namespace otlpd::exporter::helper {

class BoundedQueue {
 public:
  enum class PushResult { kOk, kFull, kClosed };

  // `size_gauge` (may be null) follows the size; it must outlive the queue.
  BoundedQueue(int64_t capacity, QueueSizer sizer, Gauge* size_gauge);

  // Moves `request` in, unless it does not fit or the queue is closed; then `request` is
  // untouched. Never blocks.
  PushResult TryPush(EncodedRequest& request);
  // Like TryPush, but when full waits for room until `deadline` (on `clock`), Close or Abort.
  PushResult PushWait(EncodedRequest& request, Clock& clock, Clock::TimePoint deadline);
  // Whether a request of `items` items would be refused now (a cheap check before encoding).
  bool WouldRefuse(int64_t items) const;

  // The oldest request. Waits until there is one; nullopt once the queue is closed and empty,
  // or aborted. The wait's only end besides data is Close/Abort, which Shutdown always calls.
  std::optional<EncodedRequest> Pop();

  // No more pushes; Pop hands out what is left, then nullopt.
  void Close();
  // No more pushes or pops; what is left stays for TakeAll.
  void Abort();
  // Everything still queued (after Abort, or after the workers are gone).
  std::deque<EncodedRequest> TakeAll();

  int64_t size() const;  // in sizer units
  int64_t capacity() const { return capacity_; }

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
