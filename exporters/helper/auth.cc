#include "exporters/helper/auth.h"

#include <string>

namespace otlpd::exporter::helper {

void DecodeAuthConfig(config::MapReader& r, AuthConfig& cfg) {
  auto auth = r.Child("auth");
  if (!auth) return;
  std::string id;
  if (auth->String("authenticator", &id)) {
    StatusOr<ComponentId> parsed = ComponentId::Parse(id);
    if (parsed.ok()) {
      cfg.authenticator = *parsed;
    } else {
      auth->Error("authenticator", parsed.status().message());
    }
  } else if (!auth->Has("authenticator")) {
    auth->ErrorHere("authenticator must be set");
  }
  auth->Finish();
}

StatusOr<ClientAuthenticator*> ResolveAuthenticator(Host& host, const ComponentId& id) {
  Extension* ext = host.GetExtension(id);
  if (ext == nullptr) {
    return FailedPreconditionError("auth::authenticator: extension \"" + id.ToString() +
                                   "\" is not configured (or not listed in service::extensions)");
  }
  auto* auth = dynamic_cast<ClientAuthenticator*>(ext);
  if (auth == nullptr) {
    return FailedPreconditionError("auth::authenticator: extension \"" + id.ToString() +
                                   "\" is not an authenticator");
  }
  return auth;
}

}  // namespace otlpd::exporter::helper
