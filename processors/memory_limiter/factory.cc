#include "processors/memory_limiter/factory.h"

#include "pipeline/logging.h"
#include "processors/memory_limiter/config.h"
#include "processors/memory_limiter/memory_limiter_processor.h"
#include "processors/memory_limiter/memory_usage.h"

namespace otlpd::processor::memory_limiter {
namespace {

// A counter that lives as long as the process when the settings carry no SelfMetrics (tests).
Counter& RefusedCounter(const CreateSettings& settings, std::string_view name,
                        std::string_view help) {
  if (settings.metrics == nullptr) {
    static Counter unregistered;
    return unregistered;
  }
  return settings.metrics->GetCounter(name, {{"processor", settings.id.ToString()}}, help);
}

}  // namespace

MemoryLimiterProcessorFactory::MemoryLimiterProcessorFactory()
    : usage_([] { return ReadProcessRss(); }) {}

MemoryLimiterProcessorFactory::MemoryLimiterProcessorFactory(MemoryUsageFn usage,
                                                             uint64_t total_memory_bytes)
    : usage_(std::move(usage)), total_memory_bytes_(total_memory_bytes) {}

std::unique_ptr<ComponentConfig> MemoryLimiterProcessorFactory::CreateDefaultConfig() const {
  return std::make_unique<MemoryLimiterConfig>();
}

void MemoryLimiterProcessorFactory::DecodeConfig(config::MapReader& reader,
                                                 ComponentConfig& cfg) const {
  auto* c = dynamic_cast<MemoryLimiterConfig*>(&cfg);
  if (c == nullptr) {
    reader.ErrorHere("internal error: config was not made by the memory_limiter factory");
    return;
  }
  DecodeMemoryLimiterConfig(reader, c);
}

StatusOr<std::shared_ptr<MemoryLimiter>> MemoryLimiterProcessorFactory::LimiterFor(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  const auto* c = dynamic_cast<const MemoryLimiterConfig*>(&cfg);
  if (c == nullptr) {
    return InternalError("memory_limiter: config was not made by the memory_limiter factory");
  }
  if (c->check_interval <= config::Duration::zero()) {
    return InvalidArgumentError("memory_limiter: check_interval must be greater than 0");
  }
  uint64_t total = total_memory_bytes_;
  if (c->NeedsTotalMemory() && total == 0) {
    StatusOr<uint64_t> t = TotalMemoryBytes();
    if (!t.ok()) return t.status().Annotate("memory_limiter");
    total = *t;
  }
  StatusOr<Limits> limits = ComputeLimits(*c, total);
  if (!limits.ok()) return limits.status().Annotate(settings.id.ToString());
  const LimiterSettings wanted{*limits, c->check_interval};

  std::lock_guard lock(mu_);
  const std::string key = settings.id.ToString();
  if (auto existing = limiters_[key].lock(); existing && existing->settings() == wanted) {
    return existing;
  }
  auto logger = settings.logger ? settings.logger : GetLogger("processor/" + key);
  auto limiter = std::make_shared<MemoryLimiter>(wanted, usage_, *settings.clock, logger);
  limiters_[key] = limiter;
  return limiter;
}

StatusOr<std::unique_ptr<TracesProcessor>> MemoryLimiterProcessorFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg, TracesConsumer& next) const {
  auto limiter = LimiterFor(settings, cfg);
  if (!limiter.ok()) return limiter.status();
  Counter& refused = RefusedCounter(settings, "otelcol_processor_refused_spans",
                                    "Spans refused by the processor (memory_limiter).");
  return std::unique_ptr<TracesProcessor>(
      std::make_unique<MemoryLimiterProcessor<TracesBatch>>(*limiter, next, refused));
}

StatusOr<std::unique_ptr<MetricsProcessor>> MemoryLimiterProcessorFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg, MetricsConsumer& next) const {
  auto limiter = LimiterFor(settings, cfg);
  if (!limiter.ok()) return limiter.status();
  Counter& refused = RefusedCounter(settings, "otelcol_processor_refused_metric_points",
                                    "Metric points refused by the processor (memory_limiter).");
  return std::unique_ptr<MetricsProcessor>(
      std::make_unique<MemoryLimiterProcessor<MetricsBatch>>(*limiter, next, refused));
}

StatusOr<std::unique_ptr<LogsProcessor>> MemoryLimiterProcessorFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg, LogsConsumer& next) const {
  auto limiter = LimiterFor(settings, cfg);
  if (!limiter.ok()) return limiter.status();
  Counter& refused = RefusedCounter(settings, "otelcol_processor_refused_log_records",
                                    "Log records refused by the processor (memory_limiter).");
  return std::unique_ptr<LogsProcessor>(
      std::make_unique<MemoryLimiterProcessor<LogsBatch>>(*limiter, next, refused));
}

}  // namespace otlpd::processor::memory_limiter
