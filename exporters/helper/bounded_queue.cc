#include "exporters/helper/bounded_queue.h"

#include <utility>

namespace otlpd::exporter::helper {

BoundedQueue::BoundedQueue(int64_t capacity, QueueSizer sizer, Gauge* size_gauge)
    : capacity_(capacity), sizer_(sizer), size_gauge_(size_gauge) {
  if (size_gauge_ != nullptr) size_gauge_->Set(0);
}

int64_t BoundedQueue::Cost(int64_t items) const {
  return sizer_ == QueueSizer::kItems ? items : 1;
}

int64_t BoundedQueue::Cost(const EncodedRequest& r) const { return Cost(r.items); }

void BoundedQueue::PushLocked(EncodedRequest& request, int64_t cost) {
  items_.push_back(std::move(request));
  size_ += cost;
  if (size_gauge_ != nullptr) size_gauge_->Set(size_);
  not_empty_.notify_one();
}

PushResult BoundedQueue::TryPush(EncodedRequest& request) {
  const int64_t cost = Cost(request);
  std::lock_guard lock(mu_);
  if (closed_ || aborted_) return PushResult::kClosed;
  if (!FitsLocked(cost)) return PushResult::kFull;
  PushLocked(request, cost);
  return PushResult::kOk;
}

PushResult BoundedQueue::PushWait(EncodedRequest& request, Clock& clock,
                                  Clock::TimePoint deadline) {
  const int64_t cost = Cost(request);
  std::unique_lock lock(mu_);
  clock.WaitUntil(not_full_, lock, deadline,
                  [&] { return closed_ || aborted_ || FitsLocked(cost); });
  if (closed_ || aborted_) return PushResult::kClosed;
  if (!FitsLocked(cost)) return PushResult::kFull;
  PushLocked(request, cost);
  return PushResult::kOk;
}

bool BoundedQueue::WouldRefuse(int64_t items) const {
  std::lock_guard lock(mu_);
  return closed_ || aborted_ || !FitsLocked(Cost(items));
}

PushOutcome BoundedQueue::Push(EncodedRequest& request, Clock& clock,
                               std::optional<Clock::TimePoint> wait_until) {
  return {wait_until ? PushWait(request, clock, *wait_until) : TryPush(request), OkStatus()};
}

std::optional<QueueEntry> BoundedQueue::Pop() {
  std::unique_lock lock(mu_);
  not_empty_.wait(lock, [&] { return aborted_ || closed_ || !items_.empty(); });
  if (aborted_ || items_.empty()) return std::nullopt;
  QueueEntry e;
  e.request = std::move(items_.front());
  items_.pop_front();
  e.cost = Cost(e.request);
  size_ -= e.cost;
  if (size_gauge_ != nullptr) size_gauge_->Set(size_);
  not_full_.notify_all();
  return e;
}

Leftover BoundedQueue::Release() {
  Leftover left;
  for (const EncodedRequest& r : TakeAll()) {
    left.items += r.items;
    ++left.requests;
  }
  return left;
}

void BoundedQueue::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
}

void BoundedQueue::Abort() {
  {
    std::lock_guard lock(mu_);
    aborted_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
}

std::deque<EncodedRequest> BoundedQueue::TakeAll() {
  std::lock_guard lock(mu_);
  std::deque<EncodedRequest> out = std::move(items_);
  items_.clear();
  size_ = 0;
  if (size_gauge_ != nullptr) size_gauge_->Set(0);
  return out;
}

int64_t BoundedQueue::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

}  // namespace otlpd::exporter::helper
