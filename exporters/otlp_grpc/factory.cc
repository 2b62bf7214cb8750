#include "exporters/otlp_grpc/factory.h"

#include "exporters/otlp_grpc/config.h"
#include "exporters/otlp_grpc/otlp_grpc_exporter.h"

namespace otlpd::exporter::otlp_grpc {

std::unique_ptr<ComponentConfig> OtlpGrpcExporterFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void OtlpGrpcExporterFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  otlp_grpc::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<TracesExporter>> OtlpGrpcExporterFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return CreateOtlpGrpcExporter<TracesBatch>(settings, static_cast<const Config&>(cfg));
}

StatusOr<std::unique_ptr<MetricsExporter>> OtlpGrpcExporterFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return CreateOtlpGrpcExporter<MetricsBatch>(settings, static_cast<const Config&>(cfg));
}

StatusOr<std::unique_ptr<LogsExporter>> OtlpGrpcExporterFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return CreateOtlpGrpcExporter<LogsBatch>(settings, static_cast<const Config&>(cfg));
}

}  // namespace otlpd::exporter::otlp_grpc
