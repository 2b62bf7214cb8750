#include "exporters/otlp_grpc/config.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace otlpd::exporter::otlp_grpc {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool HasPrefix(const std::string& s, std::string_view prefix) {
  return Lower(s.substr(0, prefix.size())) == prefix;
}

// gRPC refuses metadata keys outside [0-9a-z-_.] when the call starts; say so at load time.
bool ValidMetadataKey(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

std::string GrpcTarget(const Config& cfg) {
  std::string target = cfg.endpoint;
  if (HasPrefix(target, "https://")) {
    target = target.substr(8);
  } else if (HasPrefix(target, "http://")) {
    target = target.substr(7);
  }
  while (!target.empty() && target.back() == '/') target.pop_back();
  return target;
}

bool UsesTls(const Config& cfg) { return HasPrefix(cfg.endpoint, "https://") || !cfg.tls.insecure; }

void DecodeConfig(config::MapReader& r, Config& cfg) {
  r.String("endpoint", &cfg.endpoint);
  if (cfg.endpoint.empty()) {
    // Also what an unset ${VAR} gives.
    r.Error("endpoint", "must be set (host:port)");
  } else if (GrpcTarget(cfg).empty()) {
    r.Error("endpoint", "has no host: \"" + cfg.endpoint + "\"");
  }
  if (auto tls = r.Child("tls")) {
    helper::DecodeTlsClientConfig(*tls, cfg.tls);
    if (tls->Has("min_version")) {
      tls->Error("min_version", "not supported by otlp_grpc (gRPC negotiates TLS 1.2 or 1.3)");
    }
    tls->Finish();
  }
  std::string compression;
  if (r.Enum("compression", &compression, {"gzip", "none"})) {
    cfg.compression = compression == "gzip" ? Compression::kGzip : Compression::kNone;
  }
  std::map<std::string, config::Secret> headers;
  if (r.SecretMap("headers", &headers)) {
    for (auto& [key, value] : headers) {
      std::string lower = Lower(key);
      if (!ValidMetadataKey(lower)) {
        r.Error("headers", "invalid gRPC metadata key \"" + key + "\" (use 0-9 a-z - _ .)");
        continue;
      }
      cfg.headers[lower] = std::move(value);
    }
  }
  if (auto ka = r.Child("keepalive")) {
    KeepaliveConfig keepalive;
    ka->Duration("time", &keepalive.time);
    ka->Duration("timeout", &keepalive.timeout);
    ka->Bool("permit_without_stream", &keepalive.permit_without_stream);
    ka->Finish();
    cfg.keepalive = keepalive;
  }
  helper::DecodeAuthConfig(r, cfg.auth);
  helper::DecodeConfig(r, cfg.helper);
}

}  // namespace otlpd::exporter::otlp_grpc
