// The factory of the oauth2client extension: YAML type "oauth2client". Register it once in
// cmd/otlpd/components.cc; exporters find the instance through `auth: {authenticator: <id>}`.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<extension::oauth2client::Oauth2ClientFactory>());
//   // extensions: { oauth2client: { client_id: a, client_secret: b, token_url: https://... } }
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/factory.h"

namespace otlpd::extension::oauth2client {

class Oauth2ClientFactory final : public ExtensionFactory {
 public:
  std::string_view type() const override { return "oauth2client"; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  StatusOr<std::unique_ptr<Extension>> Create(const CreateSettings& settings,
                                              const ComponentConfig& cfg) const override;
};

}  // namespace otlpd::extension::oauth2client
