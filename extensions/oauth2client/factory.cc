#include "extensions/oauth2client/factory.h"

#include "extensions/oauth2client/config.h"
#include "extensions/oauth2client/oauth2client_extension.h"

namespace otlpd::extension::oauth2client {

std::unique_ptr<ComponentConfig> Oauth2ClientFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void Oauth2ClientFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  oauth2client::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<Extension>> Oauth2ClientFactory::Create(
    const CreateSettings& settings, const ComponentConfig& cfg) const {
  return std::unique_ptr<Extension>(
      std::make_unique<Oauth2ClientExtension>(settings, static_cast<const Config&>(cfg)));
}

}  // namespace otlpd::extension::oauth2client
