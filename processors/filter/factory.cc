#include "processors/filter/factory.h"

#include "processors/filter/config.h"
#include "processors/filter/filter_processor.h"

namespace otlpd::processor::filter {
namespace {

// The service only hands a factory the configs it made; anything else is a bug upstream.
const FilterConfig* AsFilterConfig(const ComponentConfig& cfg) {
  return dynamic_cast<const FilterConfig*>(&cfg);
}

Status WrongConfig() { return InternalError("filter: config was not made by the filter factory"); }

}  // namespace

std::unique_ptr<ComponentConfig> FilterProcessorFactory::CreateDefaultConfig() const {
  return std::make_unique<FilterConfig>();
}

void FilterProcessorFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  auto* filter_cfg = dynamic_cast<FilterConfig*>(&cfg);
  if (filter_cfg == nullptr) {
    reader.ErrorHere("internal error: config was not made by the filter factory");
    return;
  }
  DecodeFilterConfig(reader, filter_cfg);
}

StatusOr<std::unique_ptr<TracesProcessor>> FilterProcessorFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg, TracesConsumer& next) const {
  const FilterConfig* c = AsFilterConfig(cfg);
  if (c == nullptr) return WrongConfig();
  return std::unique_ptr<TracesProcessor>(
      std::make_unique<FilterTracesProcessor>(settings, c->traces, next));
}

StatusOr<std::unique_ptr<MetricsProcessor>> FilterProcessorFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg, MetricsConsumer& next) const {
  const FilterConfig* c = AsFilterConfig(cfg);
  if (c == nullptr) return WrongConfig();
  return std::unique_ptr<MetricsProcessor>(
      std::make_unique<FilterMetricsProcessor>(settings, c->metrics, next));
}

StatusOr<std::unique_ptr<LogsProcessor>> FilterProcessorFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg, LogsConsumer& next) const {
  const FilterConfig* c = AsFilterConfig(cfg);
  if (c == nullptr) return WrongConfig();
  return std::unique_ptr<LogsProcessor>(
      std::make_unique<FilterLogsProcessor>(settings, c->logs, next));
}

}  // namespace otlpd::processor::filter
