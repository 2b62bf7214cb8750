// HttpClient: the otlp_http exporter's transport. POSTs a body with libcurl and returns the
// answer, knowing nothing of OTLP.
//
// Connections: a pool of curl handles, one taken per request in flight, so each sending worker
// effectively owns one and reuses it (keep-alive). HTTP/2 is used when a TLS server offers it
// (ALPN), HTTP/1.1 otherwise. Proxies come from the usual environment variables (https_proxy,
// http_proxy, all_proxy, no_proxy; libcurl reads them by default and, as a safety measure,
// ignores upper-case HTTP_PROXY).
//
// Each request runs on its own curl multi handle so that a cancellation (the exporter's
// shutdown deadline) wakes it at once (curl_multi_wakeup) instead of waiting for a timeout.
// Response bodies are read up to a bound; the rest is discarded.
//
//   auto client = HttpClient::Create({.tls = cfg.tls});
//   StatusOr<HttpResponse> r = (*client)->Post(url, {{"Content-Type", "application/x-protobuf"}},
//                                             body, attempt_ctx);
//   if (r.ok() && r->status / 100 == 2) { /* accepted */ }
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporters/helper/sender.h"
#include "exporters/helper/tls_config.h"
#include "pipeline/status.h"

namespace otlpd::exporter::otlp_http {

struct HttpClientOptions {
  helper::TlsClientConfig tls;
  // Response bodies are kept up to this many bytes: enough for any OTLP response or error
  // message, and a misbehaving server cannot make us buffer more.
  size_t max_response_body = 64 * 1024;
  std::string user_agent = "otlpd/0.1.0";
};

struct HttpResponse {
  long status = 0;
  std::string body;  // at most max_response_body bytes
  std::string content_type;
  std::string retry_after;  // the Retry-After header, empty when absent
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // Checks that the TLS files are readable (FAILED_PRECONDITION naming the key otherwise).
  static StatusOr<std::unique_ptr<HttpClient>> Create(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One POST; thread-safe. An HTTP answer of any status is a response. Transport failures are
  // errors: DEADLINE_EXCEEDED when ctx.deadline passed, CANCELLED when ctx.cancel fired,
  // UNAVAILABLE for everything else (refused, reset, DNS, TLS: the message says which and, for
  // TLS, which settings to check).
  StatusOr<HttpResponse> Post(const std::string& url, const HttpHeaders& headers,
                              std::string_view body, const helper::AttemptContext& ctx);

 private:
  struct Connection;
  explicit HttpClient(HttpClientOptions options);
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> conn);

  const HttpClientOptions options_;
  std::mutex mu_;
  // Idle connections; at most one per request that was in flight at once (num_consumers).
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace otlpd::exporter::otlp_http
