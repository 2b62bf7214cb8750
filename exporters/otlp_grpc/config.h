// Configuration of the otlp_grpc exporter (YAML type "otlp_grpc", alias "otlp" among
// exporters), with the Collector's keys and defaults, and its decoder/validator.
//
//   config::MapReader r(node, "exporters::otlp", errors);
//   otlp_grpc::Config cfg;          // member initialisers are the defaults
//   otlp_grpc::DecodeConfig(r, cfg);
//   r.Finish();
//   GrpcTarget(cfg);                // "collector:4317"; UsesTls(cfg) unless tls.insecure
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/map_reader.h"
#include "config/secret.h"
#include "exporters/helper/auth.h"
#include "exporters/helper/config.h"
#include "exporters/helper/tls_config.h"
#include "pipeline/compression.h"
#include "pipeline/extension_references.h"
#include "pipeline/factory.h"

namespace otlpd::exporter::otlp_grpc {

struct KeepaliveConfig {
  // keepalive::time: default 0 (gRPC's own: no pings). Ping after this long without activity.
  config::Duration time{0};
  // keepalive::timeout: default 0 (gRPC's own: 20s). Close when a ping is not answered in time.
  config::Duration timeout{0};
  // keepalive::permit_without_stream: default false. Ping even when no call is in flight.
  bool permit_without_stream = false;
};

struct Config : ComponentConfig, ReferencesExtensions {
  // endpoint: required. host:port as gRPC dials it; an https:// prefix turns TLS on whatever
  // tls::insecure says, an http:// prefix is only removed.
  std::string endpoint;
  // tls: TLS is on unless tls::insecure is true. min_version is not supported (grpc++ gives no
  // control over it; it negotiates TLS 1.2 or 1.3).
  helper::TlsClientConfig tls;
  // compression: gzip (default) | none.
  Compression compression = Compression::kGzip;
  // headers: default none. Call metadata; names are lower-cased; values are secrets.
  std::map<std::string, config::Secret> headers;
  // keepalive: absent by default.
  std::optional<KeepaliveConfig> keepalive;
  helper::AuthConfig auth;  // auth::authenticator
  // timeout (default 5s), retry_on_failure, sending_queue.
  helper::Config helper{std::chrono::seconds(5)};

  // sending_queue::storage, for the service's cross-reference check.
  std::vector<ExtensionReference> ExtensionReferences() const override {
    return helper::ExtensionReferencesOf(helper);
  }
};

// Reads and validates every key above from `reader` (not Finish(): the caller does that).
void DecodeConfig(config::MapReader& reader, Config& cfg);

// The endpoint without an http:// or https:// prefix or a trailing slash.
std::string GrpcTarget(const Config& cfg);
// Whether the channel uses TLS: an https:// endpoint, or tls::insecure false.
bool UsesTls(const Config& cfg);

}  // namespace otlpd::exporter::otlp_grpc
