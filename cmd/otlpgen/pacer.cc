#include "cmd/otlpgen/pacer.h"

namespace otlpd::otlpgen {

Pacer::Clock::time_point Pacer::DueTime(int64_t n) const {
  if (requests_per_second_ <= 0) return start_;
  const double seconds = static_cast<double>(n) / requests_per_second_;
  return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

double Pacer::RequestsPerSecondPerWorker(double items_per_second, int workers, int batch_size) {
  if (items_per_second <= 0 || workers <= 0 || batch_size <= 0) return 0;
  return items_per_second / static_cast<double>(batch_size) / static_cast<double>(workers);
}

}  // namespace otlpd::otlpgen
