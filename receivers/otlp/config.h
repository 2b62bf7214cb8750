// The otlp receiver's configuration: `receivers: otlp: protocols: {grpc: ..., http: ...}`, as the
// Collector spells it. Member initialisers are the defaults; a protocol is served only when its
// key is present (an empty `http:` serves HTTP with every default).
//
//   auto cfg = std::make_unique<OtlpReceiverConfig>();
//   config::MapReader r(node, "receivers::otlp", errors);
//   DecodeOtlpReceiverConfig(r, *cfg);   // reports every problem through `errors`
//   r.Finish();
//   if (cfg->http) Listen(cfg->http->endpoint);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/map_reader.h"
#include "pipeline/factory.h"

namespace otlpd::receiver::otlp {

// `tls` of either protocol. Present means TLS is on; cert_file and key_file are then required.
struct TlsServerConfig {
  std::string cert_file;       // cert_file: PEM certificate chain; required
  std::string key_file;        // key_file: PEM private key; required
  std::string client_ca_file;  // client_ca_file: PEM CAs; set = clients must present a cert
};

// grpc::keepalive::server_parameters. Zero leaves gRPC's own default in place.
struct KeepaliveServerParameters {
  config::Duration max_connection_idle{0};       // max_connection_idle: close idle connections
  config::Duration max_connection_age{0};        // max_connection_age: close old connections
  config::Duration max_connection_age_grace{0};  // max_connection_age_grace: grace for old ones
  config::Duration time{0};     // time: ping an idle client after this long
  config::Duration timeout{0};  // timeout: close when a ping is not answered in time
};

// grpc::keepalive::enforcement_policy: how often clients may ping.
struct KeepaliveEnforcementPolicy {
  config::Duration min_time{0};        // min_time: minimum time between client pings; 0 = gRPC's 5m
  bool permit_without_stream = false;  // permit_without_stream: allow pings with no active RPC
};

struct KeepaliveConfig {
  KeepaliveServerParameters server_parameters;    // server_parameters
  KeepaliveEnforcementPolicy enforcement_policy;  // enforcement_policy
};

struct GrpcServerConfig {
  std::string endpoint = "localhost:4317";  // endpoint: host:port; port 0 picks a free one
  int64_t max_recv_msg_size_mib = 4;        // max_recv_msg_size_mib: >= 1, decoded size
  int64_t max_concurrent_streams = 0;       // max_concurrent_streams: per connection; 0 = no limit
  KeepaliveConfig keepalive;                // keepalive
  std::optional<TlsServerConfig> tls;       // tls: absent = plaintext
  bool include_metadata = false;            // include_metadata: call metadata -> ClientMetadata
};

struct CorsConfig {
  // allowed_origins: exact origins, "*" for any, or one wildcard such as "https://*.example.com".
  std::vector<std::string> allowed_origins;
  // allowed_headers: request headers a browser may send besides the safelisted ones; "*" = any.
  std::vector<std::string> allowed_headers;
  int64_t max_age = 0;  // max_age: seconds a browser may cache a preflight answer; 0 = not sent
};

struct HttpServerConfig {
  std::string endpoint = "localhost:4318";    // endpoint: host:port; port 0 picks a free one
  std::string traces_url_path = "/v1/traces";    // traces_url_path: must start with "/"
  std::string metrics_url_path = "/v1/metrics";  // metrics_url_path: must start with "/"
  std::string logs_url_path = "/v1/logs";        // logs_url_path: must start with "/"
  // max_request_body_size: bytes, for the raw body and again for the decoded one; 0 = default.
  int64_t max_request_body_size = 20 * 1024 * 1024;
  std::optional<CorsConfig> cors;      // cors: absent = no CORS headers, OPTIONS answers 405
  std::optional<TlsServerConfig> tls;  // tls: absent = plaintext
  bool include_metadata = false;       // include_metadata: request headers -> ClientMetadata
  // read_header_timeout: time allowed to send a request's headers (slow-loris guard); > 0.
  config::Duration read_header_timeout = std::chrono::seconds(10);
  // max_connections (otlpd addition): open connections beyond this are closed at once and
  // counted in otlpd_receiver_refused_connections; >= 1.
  int64_t max_connections = 1000;
};

struct OtlpReceiverConfig : ComponentConfig {
  std::optional<GrpcServerConfig> grpc;  // protocols::grpc
  std::optional<HttpServerConfig> http;  // protocols::http
};

// Reads `protocols` from the receiver's map into `cfg` and validates it. The caller calls
// reader.Finish() afterwards.
void DecodeOtlpReceiverConfig(config::MapReader& reader, OtlpReceiverConfig& cfg);

}  // namespace otlpd::receiver::otlp
