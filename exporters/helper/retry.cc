#include "exporters/helper/retry.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace otlpd::exporter::helper {

void DecodeRetryConfig(config::MapReader& r, RetryConfig& cfg) {
  r.Bool("enabled", &cfg.enabled);
  const bool initial_ok = r.Duration("initial_interval", &cfg.initial_interval,
                                     std::chrono::milliseconds(1)) ||
                          !r.Has("initial_interval");
  r.Double("randomization_factor", &cfg.randomization_factor, 0.0, 1.0);
  r.Double("multiplier", &cfg.multiplier, 1.0);
  const bool max_ok = r.Duration("max_interval", &cfg.max_interval,
                                 std::chrono::milliseconds(1)) ||
                      !r.Has("max_interval");
  r.Duration("max_elapsed_time", &cfg.max_elapsed_time);
  // Compare only values that were read correctly, so one typo does not produce two errors.
  if (initial_ok && max_ok && cfg.max_interval < cfg.initial_interval) {
    r.Error("max_interval", "must be >= initial_interval (" +
                                config::FormatDuration(cfg.initial_interval) + "), got " +
                                config::FormatDuration(cfg.max_interval));
  }
}

RandomSource DefaultRandomSource() {
  // One generator shared by every caller: jitter needs no cryptographic quality, only to
  // spread exporters that failed together, and a lock per retry is cheap.
  struct Shared {
    std::mutex mu;
    std::mt19937_64 gen{std::random_device{}()};
    std::uniform_real_distribution<double> dist{0.0, 1.0};
  };
  auto shared = std::make_shared<Shared>();
  return [shared] {
    std::lock_guard lock(shared->mu);
    return shared->dist(shared->gen);
  };
}

Backoff::Backoff(const RetryConfig& cfg, const RandomSource& random)
    : cfg_(cfg),
      random_(random),
      interval_ns_(static_cast<double>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(cfg.initial_interval).count())) {}

Clock::Duration Backoff::Next() {
  // As the Collector's backoff library does: a uniform pick in
  // [interval - f*interval, interval + f*interval].
  const double delta = cfg_.randomization_factor * interval_ns_;
  double u = random_ ? random_() : 0.5;
  u = std::clamp(u, 0.0, 1.0);
  const double wait_ns = (interval_ns_ - delta) + u * (2 * delta);

  const double max_ns = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(cfg_.max_interval).count());
  interval_ns_ = std::min(interval_ns_ * cfg_.multiplier, max_ns);

  return std::chrono::duration_cast<Clock::Duration>(
      std::chrono::nanoseconds(static_cast<int64_t>(wait_ns)));
}

}  // namespace otlpd::exporter::helper
