#include "processors/resource/factory.h"

#include "processors/resource/config.h"
#include "processors/resource/resource_processor.h"

namespace otlpd::processor::resource {
namespace {

template <class B>
StatusOr<std::unique_ptr<Processor<B>>> Make(const ComponentConfig& cfg, Consumer<B>& next) {
  const auto* c = dynamic_cast<const ResourceConfig*>(&cfg);
  if (c == nullptr) return InternalError("resource: config was not made by its factory");
  return std::unique_ptr<Processor<B>>(std::make_unique<ResourceProcessor<B>>(c->attributes, next));
}

}  // namespace

std::unique_ptr<ComponentConfig> ResourceProcessorFactory::CreateDefaultConfig() const {
  return std::make_unique<ResourceConfig>();
}

void ResourceProcessorFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  auto* c = dynamic_cast<ResourceConfig*>(&cfg);
  if (c == nullptr) {
    reader.ErrorHere("internal error: config was not made by the resource factory");
    return;
  }
  DecodeResourceConfig(reader, c);
}

StatusOr<std::unique_ptr<TracesProcessor>> ResourceProcessorFactory::CreateTraces(
    const CreateSettings&, const ComponentConfig& cfg, TracesConsumer& next) const {
  return Make<TracesBatch>(cfg, next);
}

StatusOr<std::unique_ptr<MetricsProcessor>> ResourceProcessorFactory::CreateMetrics(
    const CreateSettings&, const ComponentConfig& cfg, MetricsConsumer& next) const {
  return Make<MetricsBatch>(cfg, next);
}

StatusOr<std::unique_ptr<LogsProcessor>> ResourceProcessorFactory::CreateLogs(
    const CreateSettings&, const ComponentConfig& cfg, LogsConsumer& next) const {
  return Make<LogsBatch>(cfg, next);
}

}  // namespace otlpd::processor::resource
