// Pacer: when each request of an open-loop load is due, so a worker sends at a steady rate
// without drift.
//
// Request n is due at start + n * interval (computed from n, not by adding intervals, so rounding
// never accumulates). A worker that falls behind sends at once until it has caught up, then
// resumes the schedule: the achieved average rate is the asked one whenever the target can keep
// up. Rate 0 means "as fast as possible": every request is due immediately.
//
//   Pacer pacer(/*requests_per_second=*/500.0, std::chrono::steady_clock::now());
//   for (int64_t n = 0; ...; ++n) {
//     std::this_thread::sleep_until(pacer.DueTime(n));
//     Send();
//   }
#pragma once

#include <chrono>
#include <cstdint>

namespace otlpd::otlpgen {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  Pacer(double requests_per_second, Clock::time_point start)
      : requests_per_second_(requests_per_second), start_(start) {}

  // When request number `n` (from 0) should be sent.
  Clock::time_point DueTime(int64_t n) const;

  // The per-worker request rate for `items_per_second` over `workers` workers sending
  // `batch_size` items per request; 0 stays 0 (flat out).
  static double RequestsPerSecondPerWorker(double items_per_second, int workers, int batch_size);

 private:
  double requests_per_second_;
  Clock::time_point start_;
};

}  // namespace otlpd::otlpgen
