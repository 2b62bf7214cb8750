#include "processors/memory_limiter/memory_limiter.h"

#include <algorithm>
#include <utility>

namespace otlpd::processor::memory_limiter {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

std::chrono::milliseconds RetryAfter(std::chrono::nanoseconds interval) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(interval);
  return std::max(ms, std::chrono::milliseconds(1000));
}

}  // namespace

MemoryLimiter::MemoryLimiter(LimiterSettings settings, MemoryUsageFn usage, Clock& clock,
                             std::shared_ptr<spdlog::logger> logger)
    : settings_(settings),
      usage_(std::move(usage)),
      clock_(clock),
      logger_(std::move(logger)),
      retry_after_(RetryAfter(settings.check_interval)) {}

MemoryLimiter::~MemoryLimiter() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  cv_.notify_all();
  lock.unlock();
  if (thread_.joinable()) thread_.join();
}

void MemoryLimiter::Start() {
  {
    std::lock_guard lock(mu_);
    if (starts_++ > 0) return;
    stopping_ = false;
  }
  // Measure before the first request can arrive, so a process that starts above its limit
  // refuses from the first request on.
  CheckNow();
  std::lock_guard lock(mu_);
  thread_ = std::thread([this] { Run(); });
}

void MemoryLimiter::Stop() {
  std::thread to_join;
  {
    std::lock_guard lock(mu_);
    if (starts_ == 0 || --starts_ > 0) return;
    stopping_ = true;
    cv_.notify_all();
    to_join = std::move(thread_);
  }
  if (to_join.joinable()) to_join.join();
}

Status MemoryLimiter::Refusal() const {
  return UnavailableError("data refused due to high memory usage", retry_after_);
}

void MemoryLimiter::CheckNow() {
  {
    std::lock_guard check_lock(check_mu_);
    StatusOr<uint64_t> usage = usage_();
    if (!usage.ok()) {
      // Keep the last state: a failed read says nothing about memory. Log it once, not every
      // interval.
      if (!usage_error_logged_) {
        logger_->warn("cannot measure memory usage, keeping the last state: {}",
                      usage.status().ToString());
        usage_error_logged_ = true;
      }
    } else {
      usage_error_logged_ = false;
      const uint64_t used = *usage;
      last_usage_.store(used, std::memory_order_relaxed);
      const uint64_t soft = settings_.limits.soft_limit_bytes();
      const bool above = used > soft;
      const bool was = refusing_.exchange(above, std::memory_order_relaxed);
      if (above && !was) {
        logger_->warn(
            "memory usage {} MiB is above the soft limit {} MiB (limit {} MiB): refusing data "
            "until it falls below",
            used / kMiB, soft / kMiB, settings_.limits.limit_bytes / kMiB);
      } else if (!above && was) {
        logger_->info("memory usage {} MiB is below the soft limit {} MiB again: accepting data",
                      used / kMiB, soft / kMiB);
      }
    }
  }
  std::lock_guard lock(mu_);
  checks_.fetch_add(1);
  cv_.notify_all();
}

bool MemoryLimiter::WaitForChecksForTest(uint64_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return checks_.load() >= n; });
}

void MemoryLimiter::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const Clock::TimePoint next = clock_.Now() + settings_.check_interval;
    clock_.WaitUntil(cv_, lock, next, [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    CheckNow();
    lock.lock();
  }
}

}  // namespace otlpd::processor::memory_limiter
