// BatchSampler: which batches the debug exporter writes, the way the zap sampler in front of the
// Collector's debug exporter decides: in each one-second window the first `initial` batches
// pass, then every `thereafter`-th one (0: none). Keeps a flood of test traffic from flooding the
// log.
//
//   BatchSampler sampler(clock, /*initial=*/2, /*thereafter=*/10);
//   if (sampler.Sample()) logger->info("{}", text);
#pragma once

#include <cstdint>
#include <mutex>

#include "pipeline/clock.h"

namespace otlpd::exporter::debug {

class BatchSampler {
 public:
  BatchSampler(Clock& clock, int64_t initial, int64_t thereafter)
      : clock_(clock), initial_(initial), thereafter_(thereafter) {}

  // Counts one batch; true when it is to be written. Thread-safe.
  bool Sample();

 private:
  Clock& clock_;
  const int64_t initial_;
  const int64_t thereafter_;
  std::mutex mu_;
  Clock::TimePoint window_end_{};  // the current window ends here; before the first call: epoch
  int64_t seen_ = 0;               // batches counted in the current window
};

}  // namespace otlpd::exporter::debug
