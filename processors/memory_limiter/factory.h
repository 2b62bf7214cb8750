// MemoryLimiterProcessorFactory: the `memory_limiter` processor type (traces, metrics, logs).
//
// Pipelines that list the same memory_limiter ID with the same settings share one MemoryLimiter
// (one sampler thread, one flag), as the Collector shares one limiter per ID. The factory keeps
// only weak references, so a limiter lives exactly as long as the processors using it.
//
//   registry.Add(std::make_unique<processor::memory_limiter::MemoryLimiterProcessorFactory>());
//   // tests: a factory that measures with a fake instead of the process's RSS
//   MemoryLimiterProcessorFactory f([&] { return StatusOr<uint64_t>(fake_usage.load()); });
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "pipeline/factory.h"
#include "processors/memory_limiter/memory_limiter.h"

namespace otlpd::processor::memory_limiter {

class MemoryLimiterProcessorFactory final : public ProcessorFactory {
 public:
  // Measures the process's RSS and reads the machine's (or cgroup's) memory from /proc and /sys.
  MemoryLimiterProcessorFactory();
  // Measures with `usage` and takes `total_memory_bytes` as the memory available (tests).
  explicit MemoryLimiterProcessorFactory(MemoryUsageFn usage, uint64_t total_memory_bytes = 0);

  std::string_view type() const override { return "memory_limiter"; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  bool Supports(Signal) const override { return true; }
  StatusOr<std::unique_ptr<TracesProcessor>> CreateTraces(const CreateSettings& settings,
                                                          const ComponentConfig& cfg,
                                                          TracesConsumer& next) const override;
  StatusOr<std::unique_ptr<MetricsProcessor>> CreateMetrics(const CreateSettings& settings,
                                                            const ComponentConfig& cfg,
                                                            MetricsConsumer& next) const override;
  StatusOr<std::unique_ptr<LogsProcessor>> CreateLogs(const CreateSettings& settings,
                                                      const ComponentConfig& cfg,
                                                      LogsConsumer& next) const override;

 private:
  // The limiter for this ID and config: the live shared one when its settings match, else new.
  StatusOr<std::shared_ptr<MemoryLimiter>> LimiterFor(const CreateSettings& settings,
                                                      const ComponentConfig& cfg) const;

  MemoryUsageFn usage_;
  uint64_t total_memory_bytes_ = 0;  // 0: read it when a percentage needs it

  mutable std::mutex mu_;
  mutable std::map<std::string, std::weak_ptr<MemoryLimiter>> limiters_;  // by component ID
};

}  // namespace otlpd::processor::memory_limiter
