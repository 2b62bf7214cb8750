#include "extensions/health_check/factory.h"

#include "extensions/health_check/config.h"
#include "extensions/health_check/health_check_extension.h"

namespace otlpd::extension::health_check {

std::unique_ptr<ComponentConfig> HealthCheckFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void HealthCheckFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  health_check::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<Extension>> HealthCheckFactory::Create(const CreateSettings& settings,
                                                                const ComponentConfig& cfg) const {
  return std::unique_ptr<Extension>(
      std::make_unique<HealthCheckExtension>(settings, static_cast<const Config&>(cfg)));
}

}  // namespace otlpd::extension::health_check
