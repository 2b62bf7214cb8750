#include "processors/batch/factory.h"

#include "processors/batch/batch_processor.h"
#include "processors/batch/config.h"

namespace otlpd::processor::batch {

std::unique_ptr<ComponentConfig> BatchProcessorFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void BatchProcessorFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  batch::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<TracesProcessor>> BatchProcessorFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg, TracesConsumer& next) const {
  return std::unique_ptr<TracesProcessor>(std::make_unique<BatchProcessor<TracesBatch>>(
      settings, static_cast<const Config&>(cfg), next));
}

StatusOr<std::unique_ptr<MetricsProcessor>> BatchProcessorFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg, MetricsConsumer& next) const {
  return std::unique_ptr<MetricsProcessor>(std::make_unique<BatchProcessor<MetricsBatch>>(
      settings, static_cast<const Config&>(cfg), next));
}

StatusOr<std::unique_ptr<LogsProcessor>> BatchProcessorFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg, LogsConsumer& next) const {
  return std::unique_ptr<LogsProcessor>(std::make_unique<BatchProcessor<LogsBatch>>(
      settings, static_cast<const Config&>(cfg), next));
}

}  // namespace otlpd::processor::batch
