#include "exporters/debug/factory.h"

#include "exporters/debug/config.h"
#include "exporters/debug/debug_exporter.h"

namespace otlpd::exporter::debug {

std::unique_ptr<ComponentConfig> DebugExporterFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void DebugExporterFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  debug::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<TracesExporter>> DebugExporterFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return std::unique_ptr<TracesExporter>(
      std::make_unique<DebugExporter<TracesBatch>>(settings, static_cast<const Config&>(cfg)));
}

StatusOr<std::unique_ptr<MetricsExporter>> DebugExporterFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return std::unique_ptr<MetricsExporter>(
      std::make_unique<DebugExporter<MetricsBatch>>(settings, static_cast<const Config&>(cfg)));
}

StatusOr<std::unique_ptr<LogsExporter>> DebugExporterFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return std::unique_ptr<LogsExporter>(
      std::make_unique<DebugExporter<LogsBatch>>(settings, static_cast<const Config&>(cfg)));
}

}  // namespace otlpd::exporter::debug
