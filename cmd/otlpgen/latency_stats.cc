#include "cmd/otlpgen/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace otlpd::otlpgen {

void LatencyStats::Sort() const {
  // Add and Merge may have appended since the last sort; re-sorting a sorted range is cheap.
  std::sort(samples_ns_.begin(), samples_ns_.end());
}

double LatencyStats::PercentileMicros(double p) const {
  if (samples_ns_.empty()) return 0;
  Sort();
  const double n = static_cast<double>(samples_ns_.size());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<size_t>(rank, 1, samples_ns_.size());
  return static_cast<double>(samples_ns_[rank - 1]) / 1000.0;
}

LatencyStats::Summary LatencyStats::Summarize() const {
  Summary s;
  s.count = count();
  if (samples_ns_.empty()) return s;
  s.p50_us = PercentileMicros(50);
  s.p90_us = PercentileMicros(90);
  s.p99_us = PercentileMicros(99);
  s.max_us = static_cast<double>(samples_ns_.back()) / 1000.0;
  const long double total = std::accumulate(samples_ns_.begin(), samples_ns_.end(), 0.0L);
  s.mean_us = static_cast<double>(total / samples_ns_.size() / 1000.0L);
  return s;
}

}  // namespace otlpd::otlpgen
