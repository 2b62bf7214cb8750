// The factory of the health_check extension: YAML type "health_check". Register it once in
// cmd/otlpd/components.cc.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<extension::health_check::HealthCheckFactory>());
//   // extensions: { health_check: { endpoint: 0.0.0.0:13133 } }
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/factory.h"

namespace otlpd::extension::health_check {

class HealthCheckFactory final : public ExtensionFactory {
 public:
  std::string_view type() const override { return "health_check"; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  StatusOr<std::unique_ptr<Extension>> Create(const CreateSettings& settings,
                                              const ComponentConfig& cfg) const override;
};

}  // namespace otlpd::extension::health_check
