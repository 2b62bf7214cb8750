// The `auth` block of exporters (`auth: {authenticator: <extension id>}`) and how an exporter
// finds its authenticator at Start (pipeline/client_auth.h is the seam).
//
//   AuthConfig auth;
//   DecodeAuthConfig(reader, auth);        // reader on the exporter's map
//   StatusOr<ClientAuthenticator*> a = ResolveAuthenticator(host, *auth.authenticator);
//   if (!a.ok()) return a.status();        // "auth::authenticator: extension ... not configured"
#pragma once

#include <optional>

#include "config/map_reader.h"
#include "pipeline/client_auth.h"
#include "pipeline/component.h"
#include "pipeline/component_id.h"

namespace otlpd::exporter::helper {

struct AuthConfig {
  // auth::authenticator: default none. ID of an extension that implements ClientAuthenticator.
  std::optional<ComponentId> authenticator;
};

// Reads `auth` from the exporter's map (the `auth` map itself is Finish()ed here).
void DecodeAuthConfig(config::MapReader& exporter_reader, AuthConfig& cfg);

// The started extension `id` as a ClientAuthenticator. FAILED_PRECONDITION when no such
// extension runs or it is not an authenticator; the message names the ID.
StatusOr<ClientAuthenticator*> ResolveAuthenticator(Host& host, const ComponentId& id);

}  // namespace otlpd::exporter::helper
