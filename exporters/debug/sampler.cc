#include "exporters/debug/sampler.h"

#include <chrono>

namespace otlpd::exporter::debug {

bool BatchSampler::Sample() {
  const auto now = clock_.Now();
  std::lock_guard lock(mu_);
  if (now >= window_end_) {
    window_end_ = now + std::chrono::seconds(1);
    seen_ = 0;
  }
  const int64_t n = ++seen_;
  if (n <= initial_) return true;
  return thereafter_ > 0 && (n - initial_) % thereafter_ == 0;
}

}  // namespace otlpd::exporter::debug
