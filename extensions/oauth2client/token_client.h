// TokenClient: one OAuth2 client-credentials token request (RFC 6749 section 4.4) over libcurl,
// and the parsing of its answer. Knows nothing of caching: oauth2client_extension.h decides when
// to fetch and shares the result.
//
//   TokenClient client(cfg.tls, std::chrono::seconds(10));
//   FetchResult r = client.Fetch({.token_url = url, .client_id = id, .client_secret = secret},
//                                AuthStyle::kInHeader);
//   if (r.token.ok()) headers = {{"authorization", r.token->token_type + " " + r.token->access_token}};
//   client.Abort();  // from another thread: a Fetch in progress returns at once (CANCELLED)
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/secret.h"
#include "extensions/oauth2client/config.h"
#include "pipeline/status.h"

namespace otlpd::extension::oauth2client {

struct Token {
  std::string access_token;  // a credential: never log it
  // As Go's oauth2.Token.Type(): "Bearer" for bearer (any case) or none, "MAC", "Basic", or the
  // server's text.
  std::string token_type = "Bearer";
  std::optional<std::chrono::seconds> expires_in;  // absent when the server did not say (or 0)
};

struct TokenRequest {
  std::string token_url;
  std::string client_id;
  config::Secret client_secret;
  std::vector<std::string> scopes;
  std::map<std::string, std::vector<std::string>> endpoint_params;
};

// Where the client credentials travel (Go's oauth2.AuthStyle). Go's clientcredentials default,
// which the Collector uses, is to probe: HTTP Basic first, then form fields in the body.
enum class AuthStyle {
  kInHeader,  // Authorization: Basic base64(form-escaped id ":" form-escaped secret)
  kInParams,  // client_id and client_secret as form fields in the body
};

struct FetchResult {
  // A failure is UNAVAILABLE (retryable) with a message naming the token URL and the HTTP status
  // or curl error, never a credential; CANCELLED after Abort().
  StatusOr<Token> token = Status(StatusCode::kUnknown, "not fetched");
  int http_status = 0;  // 0 when no HTTP answer arrived
};

class TokenClient {
 public:
  // `timeout` bounds one request (0: no bound of its own; Abort still ends it).
  TokenClient(TlsConfig tls, std::chrono::milliseconds timeout);
  ~TokenClient();
  TokenClient(const TokenClient&) = delete;
  TokenClient& operator=(const TokenClient&) = delete;

  // POSTs the form to request.token_url and parses the answer. Blocks until the answer, the
  // timeout or Abort(). One caller at a time (the extension's fetch thread); the connection is
  // kept for the next call.
  FetchResult Fetch(const TokenRequest& request, AuthStyle style);

  // Ends a Fetch in progress, and makes every later one return CANCELLED at once. Thread-safe.
  void Abort();

 private:
  TlsConfig tls_;
  std::chrono::milliseconds timeout_;
  void* multi_ = nullptr;  // CURLM*: curl_multi_poll + curl_multi_wakeup make Abort() prompt
  void* easy_ = nullptr;   // CURL*, reused so that connections are too
  std::atomic<bool> aborted_{false};
};

// application/x-www-form-urlencoded, as Go's url.Values.Encode: keys sorted, unreserved
// characters kept, space as '+', everything else %XX.
std::string FormEscape(std::string_view text);
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// The token endpoint's answer: JSON (RFC 6749 section 5.1), or a form-encoded body when the
// content type says application/x-www-form-urlencoded or text/plain (as Go accepts). A non-2xx
// status, an `error` field, or a missing access_token is UNAVAILABLE naming `token_url`, the
// status and the server's error code and description.
StatusOr<Token> ParseTokenResponse(int http_status, std::string_view content_type,
                                   std::string_view body, const std::string& token_url);

}  // namespace otlpd::extension::oauth2client
