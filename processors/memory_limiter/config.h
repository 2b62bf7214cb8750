// memory_limiter configuration: how often to measure, and the hard and spike limits from which
// the soft limit (the refusal threshold) follows.
//
//   memory_limiter:
//     check_interval: 1s        # required, > 0
//     limit_mib: 256            # or limit_percentage: 80 (of the cgroup or machine memory)
//     spike_limit_mib: 50       # optional; default 20% of the limit; soft = limit - spike
//
//   StatusOr<Limits> l = ComputeLimits(cfg, total_memory_bytes);
//   l->soft_limit_bytes();      // refuse data above this
#pragma once

#include <cstdint>

#include "config/map_reader.h"
#include "pipeline/factory.h"

namespace otlpd::processor::memory_limiter {

class MemoryLimiterConfig : public ComponentConfig {
 public:
  // check_interval: required, > 0. Time between two measurements of the process's memory.
  config::Duration check_interval{0};
  // limit_mib: hard limit in MiB. Exactly one of limit_mib and limit_percentage must be set.
  int64_t limit_mib = 0;
  // limit_percentage: hard limit as 1-100 % of the cgroup limit (or the machine's memory).
  int64_t limit_percentage = 0;
  // spike_limit_mib: headroom below the hard limit, in MiB; must be below the limit. At most one
  // of spike_limit_mib and spike_limit_percentage; default 20% of the limit.
  int64_t spike_limit_mib = 0;
  // spike_limit_percentage: headroom as 1-100 % of the cgroup limit (or machine memory).
  int64_t spike_limit_percentage = 0;

  // True when the limits depend on the memory of the machine (a percentage is used).
  bool NeedsTotalMemory() const { return limit_percentage > 0 || spike_limit_percentage > 0; }
};

struct Limits {
  uint64_t limit_bytes = 0;
  uint64_t spike_bytes = 0;
  uint64_t soft_limit_bytes() const { return limit_bytes - spike_bytes; }
};

// Turns the config into bytes. `total_memory_bytes` is only read when a percentage is set.
// INVALID_ARGUMENT when the spike is not below the limit (possible only when one of them is a
// percentage: the other cases are rejected when decoding).
StatusOr<Limits> ComputeLimits(const MemoryLimiterConfig& cfg, uint64_t total_memory_bytes);

void DecodeMemoryLimiterConfig(config::MapReader& reader, MemoryLimiterConfig* cfg);

}  // namespace otlpd::processor::memory_limiter
