// The factory of the otlp_grpc exporter: YAML type "otlp_grpc" (alias "otlp" among exporters),
// every signal. Register it once in cmd/otlpd/components.cc.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<exporter::otlp_grpc::OtlpGrpcExporterFactory>());
//   // exporters: { otlp: { endpoint: collector:4317, tls: { insecure: true } } }
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/factory.h"

namespace otlpd::exporter::otlp_grpc {

class OtlpGrpcExporterFactory final : public ExporterFactory {
 public:
  std::string_view type() const override { return "otlp_grpc"; }
  std::vector<std::string_view> aliases() const override { return {"otlp"}; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  bool Supports(Signal) const override { return true; }
  StatusOr<std::unique_ptr<TracesExporter>> CreateTraces(const CreateSettings& settings,
                                                         const ComponentConfig& cfg) const override;
  StatusOr<std::unique_ptr<MetricsExporter>> CreateMetrics(
      const CreateSettings& settings, const ComponentConfig& cfg) const override;
  StatusOr<std::unique_ptr<LogsExporter>> CreateLogs(const CreateSettings& settings,
                                                     const ComponentConfig& cfg) const override;
};

}  // namespace otlpd::exporter::otlp_grpc
