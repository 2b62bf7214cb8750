#include "extensions/oauth2client/config.h"

namespace otlpd::extension::oauth2client {
namespace {

// endpoint_params is Go's url.Values: each key holds one value or a list of them.
void DecodeEndpointParams(config::MapReader& reader, Config& cfg) {
  const config::Node* node = reader.Raw("endpoint_params");
  if (node == nullptr || node->IsNull()) return;
  const std::string path = reader.PathOf("endpoint_params");
  if (!node->IsMap()) {
    reader.Error("endpoint_params", "expected a map of form fields, got a " +
                                        std::string(node->KindName()));
    return;
  }
  for (const config::MapEntry& e : node->entries()) {
    const std::string key_path = path + "::" + e.key;
    std::vector<std::string> values;
    if (e.value.IsScalar()) {
      values.push_back(e.value.scalar());
    } else if (e.value.IsNull()) {
      values.push_back("");
    } else if (e.value.IsSequence()) {
      for (const config::Node& item : e.value.items()) {
        if (!item.IsScalar()) {
          reader.errors().Add(item.location(), key_path, "expected a string");
          continue;
        }
        values.push_back(item.scalar());
      }
    } else {
      reader.errors().Add(e.value.location(), key_path, "expected a string or a list of strings");
      continue;
    }
    // The Collector refuses to let endpoint_params overwrite a field it sets itself (except
    // grant_type, for non-compliant servers); we say so at validation instead of at every fetch.
    if (e.key == "scope") {
      reader.errors().Add(e.key_location, key_path, "cannot overwrite \"scope\": use scopes");
      continue;
    }
    if (e.key == "client_id" || e.key == "client_secret") {
      reader.errors().Add(e.key_location, key_path,
                          "cannot overwrite \"" + e.key + "\": use the " + e.key + " key");
      continue;
    }
    cfg.endpoint_params[e.key] = std::move(values);
  }
}

void DecodeTls(config::MapReader& reader, TlsConfig& tls) {
  auto r = reader.Child("tls");
  if (!r) return;
  r->Bool("insecure_skip_verify", &tls.insecure_skip_verify);
  r->String("ca_file", &tls.ca_file);
  r->String("cert_file", &tls.cert_file);
  r->String("key_file", &tls.key_file);
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    r->Error(tls.cert_file.empty() ? "key_file" : "cert_file",
             "cert_file and key_file must be set together");
  }
  r->Finish();
}

}  // namespace

void DecodeConfig(config::MapReader& reader, Config& cfg) {
  reader.String("client_id", &cfg.client_id);
  reader.String("client_id_file", &cfg.client_id_file);
  reader.Secret("client_secret", &cfg.client_secret);
  reader.String("client_secret_file", &cfg.client_secret_file);
  reader.String("token_url", &cfg.token_url);
  reader.StringList("scopes", &cfg.scopes);
  DecodeEndpointParams(reader, cfg);
  reader.Duration("timeout", &cfg.timeout);
  reader.Duration("expiry_buffer", &cfg.expiry_buffer);
  reader.Duration("default_token_lifetime", &cfg.default_token_lifetime);
  DecodeTls(reader, cfg.tls);

  // A value and a file for the same credential would leave one silently unused.
  if (!cfg.client_id.empty() && !cfg.client_id_file.empty()) {
    reader.Error("client_id_file", "set client_id or client_id_file, not both");
  } else if (cfg.client_id.empty() && cfg.client_id_file.empty()) {
    reader.Error("client_id", "missing: set client_id or client_id_file");
  }
  if (!cfg.client_secret.empty() && !cfg.client_secret_file.empty()) {
    reader.Error("client_secret_file", "set client_secret or client_secret_file, not both");
  } else if (cfg.client_secret.empty() && cfg.client_secret_file.empty()) {
    reader.Error("client_secret", "missing: set client_secret or client_secret_file");
  }
  if (cfg.token_url.empty()) {
    reader.Error("token_url", "missing: the token endpoint URL is required");
  } else if (cfg.token_url.rfind("http://", 0) != 0 && cfg.token_url.rfind("https://", 0) != 0) {
    reader.Error("token_url", "must start with http:// or https://, got \"" + cfg.token_url + "\"");
  }
}

}  // namespace otlpd::extension::oauth2client
