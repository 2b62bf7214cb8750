// AttributesProcessorFactory: the `attributes` processor type (traces, metrics, logs).
//
//   registry.Add(std::make_unique<processor::attributes::AttributesProcessorFactory>());
#pragma once

#include <memory>

#include "pipeline/factory.h"

namespace otlpd::processor::attributes {

class AttributesProcessorFactory final : public ProcessorFactory {
 public:
  std::string_view type() const override { return "attributes"; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  bool Supports(Signal) const override { return true; }
  // Each Create refuses (INVALID_ARGUMENT) an include / exclude property that cannot apply to
  // its signal, e.g. span_names in a logs pipeline, instead of silently ignoring it.
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

}  // namespace otlpd::processor::attributes
