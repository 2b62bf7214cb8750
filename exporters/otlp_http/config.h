// Configuration of the otlp_http exporter (YAML type "otlp_http", alias "otlphttp"), with the
// Collector's keys and defaults, its decoder/validator and the URL of each signal.
//
//   config::MapReader r(node, "exporters::otlp_http/b14", errors);
//   otlp_http::Config cfg;                  // member initialisers are the defaults
//   otlp_http::DecodeConfig(r, cfg);
//   r.Finish();
//   SignalUrl(cfg, Signal::kTraces);        // "https://backend:4318/v1/traces"
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>
#include <string_view>

#include "config/map_reader.h"
#include "config/secret.h"
#include "exporters/helper/auth.h"
#include "exporters/helper/config.h"
#include "exporters/helper/tls_config.h"
#include "pipeline/compression.h"
#include "pipeline/extension_references.h"
#include "pipeline/factory.h"
#include "pipeline/signal.h"

namespace otlpd::exporter::otlp_http {

enum class Encoding { kProto, kJson };

struct Config : ComponentConfig, ReferencesExtensions {
  // endpoint: default none; an http:// or https:// URL. Base of every signal's URL: the path
  // /v1/traces (/v1/metrics, /v1/logs) is appended, keeping any base path. Required unless
  // every signal that is used has its own *_endpoint.
  std::string endpoint;
  // traces_endpoint, metrics_endpoint, logs_endpoint: default none. A signal's full URL, used
  // exactly as given.
  std::string traces_endpoint;
  std::string metrics_endpoint;
  std::string logs_endpoint;
  // encoding: proto (default) | json. Body as protobuf or OTLP/JSON.
  Encoding encoding = Encoding::kProto;
  // compression: gzip (default) | zstd | deflate | none.
  Compression compression = Compression::kGzip;
  // compression_params::level: default 0 (the codec's default; -1 means the same).
  int compression_level = 0;
  // headers: default none. Sent with every request; values are secrets (never logged).
  std::map<std::string, config::Secret> headers;
  helper::TlsClientConfig tls;  // tls
  helper::AuthConfig auth;      // auth::authenticator
  // timeout (default 30s), retry_on_failure, sending_queue.
  helper::Config helper{std::chrono::seconds(30)};

  // sending_queue::storage, for the service's cross-reference check.
  std::vector<ExtensionReference> ExtensionReferences() const override {
    return helper::ExtensionReferencesOf(helper);
  }
};

// Reads and validates every key above from `reader` (not Finish(): the caller does that).
void DecodeConfig(config::MapReader& reader, Config& cfg);

// `endpoint` + "/v1/<signal>", without a double slash, keeping a base path (and a query).
std::string JoinSignalUrl(std::string_view endpoint, Signal signal);

// The URL `signal` is sent to: its *_endpoint, else JoinSignalUrl(endpoint); empty when neither
// is configured.
std::string SignalUrl(const Config& cfg, Signal signal);

}  // namespace otlpd::exporter::otlp_http
