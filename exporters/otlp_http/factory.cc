#include "exporters/otlp_http/factory.h"

#include "exporters/otlp_http/config.h"
#include "exporters/otlp_http/otlp_http_exporter.h"

namespace otlpd::exporter::otlp_http {

std::unique_ptr<ComponentConfig> OtlpHttpExporterFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void OtlpHttpExporterFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  otlp_http::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<TracesExporter>> OtlpHttpExporterFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return CreateOtlpHttpExporter<TracesBatch>(settings, static_cast<const Config&>(cfg));
}

StatusOr<std::unique_ptr<MetricsExporter>> OtlpHttpExporterFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return CreateOtlpHttpExporter<MetricsBatch>(settings, static_cast<const Config&>(cfg));
}

StatusOr<std::unique_ptr<LogsExporter>> OtlpHttpExporterFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return CreateOtlpHttpExporter<LogsBatch>(settings, static_cast<const Config&>(cfg));
}

}  // namespace otlpd::exporter::otlp_http
