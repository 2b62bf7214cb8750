// Test fakes for the Consumer interface: SinkConsumer records every batch it is given and lets a
// test wait (with a timeout, never a sleep) until enough items arrived; ErrConsumer answers
// every batch with one fixed status.
//
//   SinkConsumer<TracesBatch> sink;
//   receiver_under_test.Send(...);
//   ASSERT_TRUE(sink.WaitForItems(10, std::chrono::seconds(5)));
//   EXPECT_EQ(sink.Batches().size(), 1u);
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "pipeline/component.h"
#include "pipeline/consumer.h"

namespace otlpd::testing {

template <class B>
class SinkConsumer : public Consumer<B> {
 public:
  Status Consume(B batch) override {
    std::lock_guard lock(mu_);
    items_ += batch.ItemCount();
    batches_.push_back(std::move(batch));
    cv_.notify_all();
    return OkStatus();
  }
  Status Admit() const override {
    std::lock_guard lock(mu_);
    return admit_;
  }
  // What Admit() answers from now on.
  void SetAdmit(Status s) {
    std::lock_guard lock(mu_);
    admit_ = std::move(s);
  }

  // True once at least `n` items arrived; false after `timeout`.
  bool WaitForItems(int64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return items_ >= n; });
  }
  bool WaitForBatches(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return batches_.size() >= n; });
  }

  int64_t ItemCount() const {
    std::lock_guard lock(mu_);
    return items_;
  }
  // Clones of everything received so far, in arrival order.
  std::vector<B> Batches() const {
    std::lock_guard lock(mu_);
    std::vector<B> out;
    for (const auto& b : batches_) out.push_back(b.Clone());
    return out;
  }
  void Reset() {
    std::lock_guard lock(mu_);
    batches_.clear();
    items_ = 0;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<B> batches_;
  int64_t items_ = 0;
  Status admit_;
};

// A sink that is also an Exporter, for graph tests.
template <class B>
class SinkExporter : public Exporter<B> {
 public:
  Status Consume(B batch) override { return sink.Consume(std::move(batch)); }
  SinkConsumer<B> sink;
};

template <class B>
class ErrConsumer : public Consumer<B> {
 public:
  explicit ErrConsumer(Status status) : status_(std::move(status)) {}
  Status Consume(B batch) override {
    std::lock_guard lock(mu_);
    ++calls_;
    (void)batch;
    return status_;
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  Status status_;
  int calls_ = 0;
};

}  // namespace otlpd::testing
