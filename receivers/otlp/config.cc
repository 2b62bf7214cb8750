#include "receivers/otlp/config.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "receivers/otlp/endpoint.h"

namespace otlpd::receiver::otlp {
namespace {

constexpr const char* kNoProtocol = "must specify at least one protocol (grpc or http)";

void DecodeEndpoint(config::MapReader& r, std::string* endpoint) {
  if (r.String("endpoint", endpoint) && !ParseHostPort(*endpoint)) {
    r.Error("endpoint", "must be host:port, got \"" + *endpoint + "\"");
  }
}

void DecodeTls(config::MapReader& r, TlsServerConfig& tls) {
  r.String("cert_file", &tls.cert_file);
  r.String("key_file", &tls.key_file);
  r.String("client_ca_file", &tls.client_ca_file);
  // Without both there is nothing to serve TLS with; refusing here beats a failed start.
  if (tls.cert_file.empty()) r.Error("cert_file", "is required when tls is set");
  if (tls.key_file.empty()) r.Error("key_file", "is required when tls is set");
}

void DecodeTlsIfPresent(config::MapReader& r, std::optional<TlsServerConfig>& tls) {
  if (auto t = r.Child("tls")) {
    tls.emplace();
    DecodeTls(*t, *tls);
    t->Finish();
  }
}

void DecodeGrpc(config::MapReader& r, GrpcServerConfig& cfg) {
  DecodeEndpoint(r, &cfg.endpoint);
  // gRPC takes the limit as an int of bytes.
  r.Int("max_recv_msg_size_mib", &cfg.max_recv_msg_size_mib, 1,
        std::numeric_limits<int32_t>::max() / (1024 * 1024));
  r.Int("max_concurrent_streams", &cfg.max_concurrent_streams, 0,
        std::numeric_limits<int32_t>::max());
  if (auto k = r.Child("keepalive")) {
    if (auto sp = k->Child("server_parameters")) {
      auto& p = cfg.keepalive.server_parameters;
      sp->Duration("max_connection_idle", &p.max_connection_idle);
      sp->Duration("max_connection_age", &p.max_connection_age);
      sp->Duration("max_connection_age_grace", &p.max_connection_age_grace);
      sp->Duration("time", &p.time);
      sp->Duration("timeout", &p.timeout);
      sp->Finish();
    }
    if (auto ep = k->Child("enforcement_policy")) {
      auto& p = cfg.keepalive.enforcement_policy;
      ep->Duration("min_time", &p.min_time);
      ep->Bool("permit_without_stream", &p.permit_without_stream);
      ep->Finish();
    }
    k->Finish();
  }
  DecodeTlsIfPresent(r, cfg.tls);
  r.Bool("include_metadata", &cfg.include_metadata);
}

void DecodeUrlPath(config::MapReader& r, std::string_view key, std::string* out) {
  if (r.String(key, out) && (out->empty() || out->front() != '/')) {
    r.Error(key, "must start with \"/\", got \"" + *out + "\"");
  }
}

void DecodeCors(config::MapReader& r, CorsConfig& cors) {
  if (r.StringList("allowed_origins", &cors.allowed_origins)) {
    for (const std::string& origin : cors.allowed_origins) {
      if (std::count(origin.begin(), origin.end(), '*') > 1) {
        r.Error("allowed_origins", "\"" + origin + "\": at most one \"*\" per origin");
      }
    }
  }
  r.StringList("allowed_headers", &cors.allowed_headers);
  r.Int("max_age", &cors.max_age, 0);
}

void DecodeHttp(config::MapReader& r, HttpServerConfig& cfg) {
  DecodeEndpoint(r, &cfg.endpoint);
  DecodeUrlPath(r, "traces_url_path", &cfg.traces_url_path);
  DecodeUrlPath(r, "metrics_url_path", &cfg.metrics_url_path);
  DecodeUrlPath(r, "logs_url_path", &cfg.logs_url_path);
  const std::string* paths[] = {&cfg.traces_url_path, &cfg.metrics_url_path, &cfg.logs_url_path};
  for (int i = 0; i < 3; ++i) {
    for (int j = i + 1; j < 3; ++j) {
      if (*paths[i] == *paths[j]) r.ErrorHere("two signals share the url path \"" + *paths[i] + "\"");
    }
  }
  // 0 means the default, as in the Collector.
  if (r.Int("max_request_body_size", &cfg.max_request_body_size, 0) &&
      cfg.max_request_body_size == 0) {
    cfg.max_request_body_size = HttpServerConfig().max_request_body_size;
  }
  if (auto c = r.Child("cors")) {
    cfg.cors.emplace();
    DecodeCors(*c, *cfg.cors);
    c->Finish();
  }
  DecodeTlsIfPresent(r, cfg.tls);
  r.Bool("include_metadata", &cfg.include_metadata);
  r.Duration("read_header_timeout", &cfg.read_header_timeout, std::chrono::milliseconds(1));
  r.Int("max_connections", &cfg.max_connections, 1, std::numeric_limits<int32_t>::max());
}

}  // namespace

void DecodeOtlpReceiverConfig(config::MapReader& reader, OtlpReceiverConfig& cfg) {
  auto protocols = reader.Child("protocols");
  if (!protocols) {
    // Present but not a map has been reported by Child already.
    if (!reader.Has("protocols")) reader.Error("protocols", kNoProtocol);
    return;
  }
  if (auto g = protocols->Child("grpc")) {
    cfg.grpc.emplace();
    DecodeGrpc(*g, *cfg.grpc);
    g->Finish();
  }
  if (auto h = protocols->Child("http")) {
    cfg.http.emplace();
    DecodeHttp(*h, *cfg.http);
    h->Finish();
  }
  if (!cfg.grpc && !cfg.http && !protocols->Has("grpc") && !protocols->Has("http")) {
    protocols->ErrorHere(kNoProtocol);
  }
  protocols->Finish();
}

}  // namespace otlpd::receiver::otlp
