#include "exporters/helper/batcher.h"

#include <chrono>
#include <utility>

#include "pipeline/encoded_split.h"

namespace otlpd::exporter::helper {

template <class B>
Batcher<B>::Batcher(const QueueBatchConfig& cfg, Clock& clock, Flush flush)
    : cfg_(cfg), clock_(clock), flush_(std::move(flush)) {}

template <class B>
Batcher<B>::~Batcher() {
  Shutdown();
}

template <class B>
void Batcher<B>::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

template <class B>
void Batcher<B>::TakeLocked(bool all, std::vector<B>& out) {
  const int64_t threshold = all ? 1 : std::max<int64_t>(cfg_.min_size, 1);
  while (items_ > 0 && items_ >= threshold) {
    if (cfg_.max_size > 0 && items_ > cfg_.max_size) {
      out.push_back(SplitBatchKeepingBytes(pending_, cfg_.max_size));
      items_ -= cfg_.max_size;
    } else {
      out.push_back(std::move(pending_));
      pending_ = B();
      items_ = 0;
    }
  }
}

template <class B>
void Batcher<B>::Add(B batch) {
  const int64_t n = batch.ItemCount();
  if (n == 0) return;
  std::vector<B> ready;
  {
    std::lock_guard lock(mu_);
    if (items_ == 0) flush_at_ = clock_.Now() + cfg_.flush_timeout;
    AppendBatchKeepingBytes(pending_, std::move(batch));
    items_ += n;
    // After Shutdown nothing may stay behind: there is no flush thread any more.
    TakeLocked(/*all=*/stopping_, ready);
  }
  // The flush thread may be sleeping towards an older deadline, or waiting for data.
  cv_.notify_all();
  for (B& b : ready) flush_(std::move(b));
}

template <class B>
void Batcher<B>::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (items_ == 0) {
      // Nothing pending: wait for data or shutdown. The hour is only a bound on the wait.
      clock_.WaitUntil(cv_, lock, clock_.Now() + std::chrono::hours(1),
                       [&] { return stopping_ || items_ > 0; });
      continue;
    }
    if (clock_.Now() < flush_at_) {
      const Clock::TimePoint until = flush_at_;
      clock_.WaitUntil(cv_, lock, until,
                       [&] { return stopping_ || items_ == 0 || flush_at_ != until; });
      continue;
    }
    std::vector<B> ready;
    TakeLocked(/*all=*/true, ready);
    lock.unlock();
    for (B& b : ready) flush_(std::move(b));
    lock.lock();
  }
}

template <class B>
void Batcher<B>::Shutdown() {
  std::vector<B> ready;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mu_);
    TakeLocked(/*all=*/true, ready);
  }
  for (B& b : ready) flush_(std::move(b));
}

template <class B>
int64_t Batcher<B>::PendingItemsForTest() const {
  std::lock_guard lock(mu_);
  return items_;
}

template class Batcher<TracesBatch>;
template class Batcher<MetricsBatch>;
template class Batcher<LogsBatch>;

}  // namespace otlpd::exporter::helper
