// The factory of the debug exporter: YAML type "debug", every signal. Register it once in
// cmd/otlpd/components.cc.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<exporter::debug::DebugExporterFactory>());
//   // exporters: { debug: { verbosity: detailed } }
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/factory.h"

namespace otlpd::exporter::debug {

class DebugExporterFactory final : public ExporterFactory {
 public:
  std::string_view type() const override { return "debug"; }
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

}  // namespace otlpd::exporter::debug
