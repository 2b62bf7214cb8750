// MemoryLimiter: measures the process's memory every check_interval on its own thread and keeps
// ONE atomic flag, "refusing", that is set while usage is above the soft limit. Every pipeline's
// memory_limiter processor (and, through Admit(), every receiver) reads that flag: one relaxed
// atomic load per request, no lock.
//
// Shared: the processors of all pipelines that list the same memory_limiter ID use one limiter,
// so there is one sampler thread per configured limiter. Start/Stop are reference counted: the
// first Start measures once (so the flag is right before any data arrives) and starts the
// thread; the last Stop joins it.
//
//   auto limiter = std::make_shared<MemoryLimiter>(settings, &ReadProcessRss, clock, logger);
//   limiter->Start();
//   if (limiter->refusing()) return limiter->Refusal();   // UNAVAILABLE, retry_after
//   limiter->Stop();
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/logger.h>

#include "pipeline/clock.h"
#include "pipeline/status.h"
#include "processors/memory_limiter/config.h"

namespace otlpd::processor::memory_limiter {

// Bytes in use right now; an error keeps the previous state (and is logged once).
using MemoryUsageFn = std::function<StatusOr<uint64_t>()>;

struct LimiterSettings {
  Limits limits;
  std::chrono::nanoseconds check_interval{std::chrono::seconds(1)};
  bool operator==(const LimiterSettings& o) const {
    return limits.limit_bytes == o.limits.limit_bytes &&
           limits.spike_bytes == o.limits.spike_bytes && check_interval == o.check_interval;
  }
};

class MemoryLimiter {
 public:
  // `clock` must outlive the limiter.
  MemoryLimiter(LimiterSettings settings, MemoryUsageFn usage, Clock& clock,
                std::shared_ptr<spdlog::logger> logger);
  ~MemoryLimiter();
  MemoryLimiter(const MemoryLimiter&) = delete;
  MemoryLimiter& operator=(const MemoryLimiter&) = delete;

  // Reference counted; see the header comment. Thread-safe.
  void Start();
  void Stop();

  // True while the last measurement was above the soft limit. Lock-free.
  bool refusing() const { return refusing_.load(std::memory_order_relaxed); }
  // What a refused request gets: UNAVAILABLE "data refused due to high memory usage", with a
  // retry_after of the check interval (at least 1s: sooner cannot see a new measurement).
  Status Refusal() const;

  // Measures once and updates the flag, logging a transition (warn when refusing starts, info
  // when it ends). The sampler thread calls this; tests may call it directly.
  void CheckNow();

  const LimiterSettings& settings() const { return settings_; }
  uint64_t last_usage_bytes() const { return last_usage_.load(std::memory_order_relaxed); }
  // Number of completed measurements; WaitForChecksForTest waits (with a timeout) until at
  // least `n` have completed.
  uint64_t checks() const { return checks_.load(); }
  bool WaitForChecksForTest(uint64_t n, std::chrono::milliseconds timeout);

 private:
  void Run();

  const LimiterSettings settings_;
  const MemoryUsageFn usage_;
  Clock& clock_;
  const std::shared_ptr<spdlog::logger> logger_;
  const std::chrono::milliseconds retry_after_;

  std::atomic<bool> refusing_{false};
  std::atomic<uint64_t> last_usage_{0};
  std::atomic<uint64_t> checks_{0};

  std::mutex check_mu_;          // one measurement at a time (thread vs. CheckNow in tests)
  bool usage_error_logged_ = false;  // guarded by check_mu_

  std::mutex mu_;
  std::condition_variable cv_;   // wakes the sampler for stop; and test waiters on checks
  int starts_ = 0;               // guarded by mu_
  bool stopping_ = false;        // guarded by mu_
  std::thread thread_;
};

}  // namespace otlpd::processor::memory_limiter
