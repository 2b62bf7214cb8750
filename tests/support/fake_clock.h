// FakeClock: a Clock that only moves when the test says so, for batch timeouts, backoff and
// token expiry without sleeping.
//
//   FakeClock clock;
//   BatchProcessor p(..., &clock);
//   clock.Advance(std::chrono::milliseconds(200));   // wakes every WaitUntil whose deadline passed
//   ASSERT_TRUE(sink.WaitForItems(1, 5s));
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "pipeline/clock.h"

namespace otlpd::testing {

class FakeClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::nanoseconds(now_ns_.load())); }
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(now_ns_.load())));
  }

  // Moves fake time forward; every WaitUntil whose deadline passed returns within a millisecond.
  void Advance(Duration d) {
    // Waiters re-check fake time on their own (see WaitUntil), so nothing needs waking here.
    now_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  }

  // Waits for `done()` or fake time to reach `deadline`. The waiting thread re-checks fake time
  // every millisecond of real time as well, because Advance() cannot take the caller's lock;
  // this poll lives in the fake only, so tests themselves never sleep.
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline, const std::function<bool()>& done) override {
    waiting_.fetch_add(1);
    while (!done() && Now() < deadline) {
      cv.wait_for(lock, std::chrono::milliseconds(1));
    }
    waiting_.fetch_sub(1);
    return done();
  }

  // How many threads are inside WaitUntil right now: lets a test wait until a component is
  // parked on the clock before advancing it.
  int Waiters() const { return waiting_.load(); }

 private:
  std::atomic<int64_t> now_ns_{1'000'000'000};  // not zero, so "time 0" bugs show
  std::atomic<int> waiting_{0};
};

}  // namespace otlpd::testing
