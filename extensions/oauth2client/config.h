// Config of the oauth2client extension: where to get an OAuth2 token (client-credentials grant,
// RFC 6749 section 4.4) and with which credentials. Keys and defaults follow the Collector's
// oauth2clientauthextension; default_token_lifetime is ours.
//
//   extensions:
//     oauth2client:
//       client_id: agent
//       client_secret_file: /run/secrets/oauth   # re-read at every token fetch
//       token_url: https://auth.example.com/oauth2/token
//       endpoint_params: {audience: b14collector}
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/map_reader.h"
#include "config/secret.h"
#include "pipeline/factory.h"

namespace otlpd::extension::oauth2client {

struct TlsConfig {
  bool insecure_skip_verify = false;  // tls::insecure_skip_verify, default false
  std::string ca_file;                // tls::ca_file, PEM; default: the system trust store
  std::string cert_file;              // tls::cert_file, PEM client certificate (with key_file)
  std::string key_file;               // tls::key_file, PEM client key (with cert_file)
};

struct Config : ComponentConfig {
  std::string client_id;              // client_id; this or client_id_file is required
  std::string client_id_file;         // client_id_file; read (and trimmed) at every fetch
  config::Secret client_secret;       // client_secret; this or client_secret_file is required
  std::string client_secret_file;     // client_secret_file; read (and trimmed) at every fetch
  std::string token_url;              // token_url, required, http:// or https://
  std::vector<std::string> scopes;    // scopes, sent space-joined as `scope`; default none
  // endpoint_params: extra form fields (audience, resource, ...). A value may be a list, sent as
  // repeated fields. May override grant_type, not scope, client_id or client_secret.
  std::map<std::string, std::vector<std::string>> endpoint_params;
  // timeout: bound on one token request (connect + answer). 0 = no bound of its own (as in the
  // Collector); a caller still waits no longer than its own deadline. Default 0.
  config::Duration timeout{0};
  // expiry_buffer: refresh a token this long before it expires, default 5m; never more than
  // half the token's lifetime, so a short-lived token is not refreshed on every request.
  config::Duration expiry_buffer = std::chrono::minutes(5);
  // default_token_lifetime: assumed lifetime of a token whose answer has no expires_in. Default
  // 1h. 0 = such a token never expires (the Collector's behaviour); a 401 still replaces it.
  config::Duration default_token_lifetime = std::chrono::hours(1);
  TlsConfig tls;                      // tls: for the connection to token_url
};

// Reads and validates the extension's map into `cfg`, reporting every problem via `reader`.
void DecodeConfig(config::MapReader& reader, Config& cfg);

}  // namespace otlpd::extension::oauth2client
