#include "exporters/otlp_http/config.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace otlpd::exporter::otlp_http {
namespace {

// "" when `url` is a usable http(s) URL with a host, else what is wrong with it. Parsing with
// libcurl's own URL parser means we accept exactly what the transport will accept.
std::string CheckUrl(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return "cannot parse (out of memory)";
  std::string problem;
  char* scheme = nullptr;
  char* host = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    problem = "must be an http:// or https:// URL, got \"" + url + "\"";
  } else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
             (std::string_view(scheme) != "http" && std::string_view(scheme) != "https")) {
    problem = "must be an http:// or https:// URL, got \"" + url + "\"";
  } else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0') {
    problem = "has no host: \"" + url + "\"";
  }
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return problem;
}

bool IsHttps(const std::string& url) {
  std::string prefix = url.substr(0, 8);
  std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return prefix == "https://";
}

}  // namespace

std::string JoinSignalUrl(std::string_view endpoint, Signal signal) {
  const std::string path = "v1/" + std::string(SignalName(signal));
  // A query (or fragment) stays at the end: https://host/base?x=1 ->
  // https://host/base/v1/traces?x=1
  const size_t tail_at = endpoint.find_first_of("?#");
  std::string head(endpoint.substr(0, tail_at));
  const std::string_view tail =
      tail_at == std::string_view::npos ? std::string_view() : endpoint.substr(tail_at);
  if (head.empty() || head.back() != '/') head += '/';
  return head + path + std::string(tail);
}

std::string SignalUrl(const Config& cfg, Signal signal) {
  const std::string* own = nullptr;
  switch (signal) {
    case Signal::kTraces:
      own = &cfg.traces_endpoint;
      break;
    case Signal::kMetrics:
      own = &cfg.metrics_endpoint;
      break;
    case Signal::kLogs:
      own = &cfg.logs_endpoint;
      break;
  }
  if (own != nullptr && !own->empty()) return *own;
  if (cfg.endpoint.empty()) return "";
  return JoinSignalUrl(cfg.endpoint, signal);
}

void DecodeConfig(config::MapReader& r, Config& cfg) {
  const std::pair<const char*, std::string*> urls[] = {{"endpoint", &cfg.endpoint},
                                                       {"traces_endpoint", &cfg.traces_endpoint},
                                                       {"metrics_endpoint", &cfg.metrics_endpoint},
                                                       {"logs_endpoint", &cfg.logs_endpoint}};
  for (const auto& [key, out] : urls) {
    if (r.String(key, out) && !out->empty()) {
      if (std::string problem = CheckUrl(*out); !problem.empty()) r.Error(key, problem);
    }
  }
  // A signal without any URL is refused when an exporter for it is created (only the service
  // knows which signals use this exporter); no URL at all is always wrong, and is also what an
  // unset ${VAR} gives.
  if (cfg.endpoint.empty() && cfg.traces_endpoint.empty() && cfg.metrics_endpoint.empty() &&
      cfg.logs_endpoint.empty()) {
    r.Error("endpoint", "must be set (or traces_endpoint, metrics_endpoint, logs_endpoint)");
  }

  std::string encoding;
  if (r.Enum("encoding", &encoding, {"proto", "json"})) {
    cfg.encoding = encoding == "json" ? Encoding::kJson : Encoding::kProto;
  }
  std::string compression;
  if (r.Enum("compression", &compression, {"gzip", "zstd", "deflate", "none"})) {
    cfg.compression =
        compression == "none" ? Compression::kNone : *ParseContentEncoding(compression);
  }
  if (auto params = r.Child("compression_params")) {
    int64_t level = 0;
    if (params->Int("level", &level, -1000, 1000)) {
      if (level == -1) level = 0;  // the Collector's "default level"
      // Let the codec itself say whether it takes this level.
      if (cfg.compression != Compression::kNone) {
        StatusOr<std::string> probe = Compress(cfg.compression, "probe", static_cast<int>(level));
        if (!probe.ok()) params->Error("level", probe.status().message());
      }
      cfg.compression_level = static_cast<int>(level);
    }
    params->Finish();
  }
  r.SecretMap("headers", &cfg.headers);
  if (auto tls = r.Child("tls")) {
    helper::DecodeTlsClientConfig(*tls, cfg.tls);
    if (cfg.tls.insecure) {
      // Over HTTP the scheme decides; `insecure: true` with https:// would be a contradiction.
      const std::string* https = nullptr;
      for (const std::string* url :
           {&cfg.endpoint, &cfg.traces_endpoint, &cfg.metrics_endpoint, &cfg.logs_endpoint}) {
        if (IsHttps(*url)) https = url;
      }
      if (https != nullptr) {
        tls->Error("insecure", "is true but the endpoint is https:// (" + *https +
                                   "); for plaintext use an http:// endpoint");
      }
    }
    tls->Finish();
  }
  helper::DecodeAuthConfig(r, cfg.auth);
  helper::DecodeConfig(r, cfg.helper);
}

}  // namespace otlpd::exporter::otlp_http
