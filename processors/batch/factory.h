// The factory of the batch processor: YAML type "batch", every signal. Register it once in
// cmd/otlpd/components.cc.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<processor::batch::BatchProcessorFactory>());
//   // processors: { batch: { send_batch_size: 1024, timeout: 1s } }
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/factory.h"

namespace otlpd::processor::batch {

class BatchProcessorFactory final : public ProcessorFactory {
 public:
  std::string_view type() const override { return "batch"; }
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

}  // namespace otlpd::processor::batch
