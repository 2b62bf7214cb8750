// Clock: the source of time for logic that depends on it (batch timeouts, retry backoff,
// token expiry), injectable so tests drive time instead of sleeping.
//
//   Clock& clock = RealClock::Get();
//   std::unique_lock lock(mu_);
//   clock.WaitUntil(cv_, lock, clock.Now() + timeout, [&] { return stopping_; });
//
// tests/support/fake_clock.h provides FakeClock with Advance().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace otlpd {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // System (wall) time, for timestamps in logs and health answers.
  virtual std::chrono::system_clock::time_point WallNow() const = 0;

  // Blocks on `cv` (with `lock` held by the caller) until `done()` is true or Now() reaches
  // `deadline`. Returns done(). Whoever changes what `done` reads must notify `cv`.
  virtual bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         TimePoint deadline, const std::function<bool()>& done) = 0;
};

class RealClock final : public Clock {
 public:
  static RealClock& Get();
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::now();
  }
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline, const std::function<bool()>& done) override {
    return cv.wait_until(lock, deadline, done);
  }
};

inline RealClock& RealClock::Get() {
  static RealClock clock;
  return clock;
}

}  // namespace otlpd
