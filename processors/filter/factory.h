// FilterProcessorFactory: the `filter` processor type (traces, metrics, logs). Conditions are
// parsed and their regexes compiled in DecodeConfig, so `otlpd validate` reports every bad
// condition; the processors created from one config share the compiled conditions.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<processor::filter::FilterProcessorFactory>());
#pragma once

#include <memory>

#include "pipeline/factory.h"

namespace otlpd::processor::filter {

class FilterProcessorFactory final : public ProcessorFactory {
 public:
  std::string_view type() const override { return "filter"; }
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
};

}  // namespace otlpd::processor::filter
