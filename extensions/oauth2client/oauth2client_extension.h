// Oauth2ClientExtension: the `oauth2client` extension. Holds one OAuth2 token (client-credentials
// grant) shared by every exporter that names the extension in `auth.authenticator`, and hands it
// out as `authorization: Bearer <token>`.
//
// Tokens are fetched lazily by one fetch thread, one request at a time: concurrent callers
// without a valid token wait for the same fetch (each no longer than its own deadline); a
// caller that finds the token within expiry_buffer of expiry gets it at once and a refresh
// starts in the background. Credentials files are re-read at every fetch.
//
//   auto* auth = dynamic_cast<ClientAuthenticator*>(host.GetExtension(id));
//   StatusOr<AuthHeaders> h = auth->GetRequestHeaders(clock.Now() + 5s);  // UNAVAILABLE: no token
//   ... HTTP 401 from the backend: auth->Invalidate(); retry once ...
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "extensions/oauth2client/config.h"
#include "extensions/oauth2client/token_client.h"
#include "pipeline/client_auth.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"

namespace otlpd::extension::oauth2client {

class Oauth2ClientExtension final : public Extension, public ClientAuthenticator {
 public:
  Oauth2ClientExtension(const CreateSettings& settings, Config cfg);
  ~Oauth2ClientExtension() override;

  // Starts the fetch thread; does not fetch (a token server that is down must not stop the
  // service from starting: data waits in the exporters' retry loops instead).
  Status Start(Host& host) override;
  // Cancels a fetch in progress, wakes every waiting caller (UNAVAILABLE) and joins the thread.
  Status Shutdown(Deadline deadline) override;

  // Thread-safe. UNAVAILABLE (retryable) when no valid token can be had by `deadline`: the
  // message names the token URL and the last failure, never a credential.
  StatusOr<AuthHeaders> GetRequestHeaders(Deadline deadline) override;
  // Forgets the token; the next GetRequestHeaders fetches a new one. Note: the interface does
  // not say which token was refused, so a 401 that arrives after a newer token was fetched
  // discards that one too (costing one extra fetch, never a wrong answer).
  void Invalidate() override;
  bool AllowsInsecureTransport() const override { return false; }

  // Token requests sent so far (an auth-style probe counts as two).
  int64_t FetchesForTest() const;
  // Fetches finished so far, successful or not (a probe is one fetch).
  uint64_t CompletedFetchesForTest() const;

 private:
  struct CachedToken {
    std::string header_value;       // "<type> <access_token>": a credential, never logged
    Clock::TimePoint expires_at;    // TimePoint::max() when it never expires
    Clock::TimePoint refresh_at;    // expires_at - min(expiry_buffer, lifetime / 2)
  };
  enum class Style { kUnknown, kInHeader, kInParams };

  void FetchLoop();
  // One fetch, including the auth-style probe; runs on the fetch thread without mu_ held.
  StatusOr<Token> FetchToken();
  StatusOr<TokenRequest> BuildRequest() const;
  // Logs a failure only when it differs from the previous one, and a recovery once.
  void LogOutcome(const Status& status, int http_status);
  // `text` with every occurrence of `secret` (the one just sent) replaced by [REDACTED].
  static std::string Scrub(std::string text, const std::string& secret);

  const Config cfg_;
  Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  TokenClient client_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<CachedToken> token_;  // guarded by mu_
  bool started_ = false;
  bool stopping_ = false;
  bool fetch_requested_ = false;
  bool fetching_ = false;
  uint64_t completed_fetches_ = 0;   // waiters wait for this to move
  Status last_error_;                 // of the last completed fetch; OK after a success
  // After a failed background refresh, the next one waits (1s doubling to 30s) so that a token
  // server that is down is not asked again on every request while the old token still works.
  Clock::TimePoint no_refresh_before_{};
  Clock::Duration refresh_backoff_{0};
  int64_t requests_sent_ = 0;
  std::thread thread_;

  // Fetch thread only.
  Style style_ = Style::kUnknown;     // learned from the first successful fetch, as Go does
  std::string last_failure_key_;      // "" while healthy
  bool ever_succeeded_ = false;
};

}  // namespace otlpd::extension::oauth2client
