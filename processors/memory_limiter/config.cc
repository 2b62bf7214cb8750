#include "processors/memory_limiter/config.h"

#include <string>

namespace otlpd::processor::memory_limiter {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

}  // namespace

StatusOr<Limits> ComputeLimits(const MemoryLimiterConfig& cfg, uint64_t total_memory_bytes) {
  Limits l;
  if (cfg.limit_mib > 0) {
    l.limit_bytes = static_cast<uint64_t>(cfg.limit_mib) * kMiB;
  } else {
    l.limit_bytes = total_memory_bytes / 100 * static_cast<uint64_t>(cfg.limit_percentage);
  }
  if (cfg.spike_limit_mib > 0) {
    l.spike_bytes = static_cast<uint64_t>(cfg.spike_limit_mib) * kMiB;
  } else if (cfg.spike_limit_percentage > 0) {
    l.spike_bytes = total_memory_bytes / 100 * static_cast<uint64_t>(cfg.spike_limit_percentage);
  } else {
    l.spike_bytes = l.limit_bytes / 5;
  }
  if (l.limit_bytes == 0) {
    return InvalidArgumentError("memory limit is 0 bytes (" + std::to_string(total_memory_bytes) +
                                " bytes of memory available)");
  }
  if (l.spike_bytes >= l.limit_bytes) {
    return InvalidArgumentError("spike limit (" + std::to_string(l.spike_bytes / kMiB) +
                                " MiB) must be below the memory limit (" +
                                std::to_string(l.limit_bytes / kMiB) + " MiB)");
  }
  return l;
}

void DecodeMemoryLimiterConfig(config::MapReader& reader, MemoryLimiterConfig* cfg) {
  if (!reader.Has("check_interval")) {
    reader.Duration("check_interval", &cfg->check_interval);  // known key
    reader.ErrorHere("missing required key \"check_interval\" (e.g. check_interval: 1s)");
  } else if (reader.Duration("check_interval", &cfg->check_interval) &&
             cfg->check_interval <= config::Duration::zero()) {
    reader.Error("check_interval", "must be greater than 0");
  }
  reader.Int("limit_mib", &cfg->limit_mib, 0, int64_t{1} << 40);
  reader.Int("limit_percentage", &cfg->limit_percentage, 0, 100);
  reader.Int("spike_limit_mib", &cfg->spike_limit_mib, 0, int64_t{1} << 40);
  reader.Int("spike_limit_percentage", &cfg->spike_limit_percentage, 0, 100);

  if (cfg->limit_mib == 0 && cfg->limit_percentage == 0) {
    reader.ErrorHere("one of limit_mib or limit_percentage is required and must be above 0");
  }
  if (cfg->limit_mib > 0 && cfg->limit_percentage > 0) {
    reader.Error("limit_percentage", "cannot be combined with limit_mib: set one of them");
  }
  if (cfg->spike_limit_mib > 0 && cfg->spike_limit_percentage > 0) {
    reader.Error("spike_limit_percentage", "cannot be combined with spike_limit_mib: set one of them");
  }
  if (cfg->limit_mib > 0 && cfg->spike_limit_mib >= cfg->limit_mib) {
    reader.Error("spike_limit_mib", "must be below limit_mib (" + std::to_string(cfg->limit_mib) +
                                        "), got " + std::to_string(cfg->spike_limit_mib));
  }
  if (cfg->limit_percentage > 0 && cfg->spike_limit_percentage >= cfg->limit_percentage) {
    reader.Error("spike_limit_percentage",
                 "must be below limit_percentage (" + std::to_string(cfg->limit_percentage) +
                     "), got " + std::to_string(cfg->spike_limit_percentage));
  }
}

}  // namespace otlpd::processor::memory_limiter
