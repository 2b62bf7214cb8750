// LatencyStats: the latency distribution of the requests a run sent (nearest-rank percentiles
// over every sample, no approximation: a run of a million requests keeps 8 MB of samples).
//
//   LatencyStats stats;
//   stats.Add(std::chrono::microseconds(830));
//   stats.Merge(other_worker_stats);
//   LatencyStats::Summary s = stats.Summarize();   // s.p99_us, s.max_us, ...
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace otlpd::otlpgen {

class LatencyStats {
 public:
  struct Summary {
    int64_t count = 0;
    double p50_us = 0;
    double p90_us = 0;
    double p99_us = 0;
    double max_us = 0;
    double mean_us = 0;
  };

  void Add(std::chrono::nanoseconds latency) { samples_ns_.push_back(latency.count()); }
  void Merge(const LatencyStats& other) {
    samples_ns_.insert(samples_ns_.end(), other.samples_ns_.begin(), other.samples_ns_.end());
  }
  int64_t count() const { return static_cast<int64_t>(samples_ns_.size()); }

  // Nearest-rank percentile: the smallest sample with at least p% of the samples at or below
  // it. 0 when there are no samples. `p` in (0, 100].
  double PercentileMicros(double p) const;
  Summary Summarize() const;

 private:
  // Sorted by the readers (hence mutable); Add and Merge append.
  mutable std::vector<int64_t> samples_ns_;
  void Sort() const;
};

}  // namespace otlpd::otlpgen
