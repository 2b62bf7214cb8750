#include "extensions/oauth2client/oauth2client_extension.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "pipeline/logging.h"

namespace otlpd::extension::oauth2client {
namespace {

// How long the fetch thread sleeps between checks when idle; it is woken at once by a request
// or by Shutdown, so this only bounds the wait, it does not pace anything.
constexpr auto kIdleWait = std::chrono::seconds(60);
constexpr Clock::Duration kMinRefreshBackoff = std::chrono::seconds(1);
constexpr Clock::Duration kMaxRefreshBackoff = std::chrono::seconds(30);

std::string TrimSpace(const std::string& s) {
  const char* ws = " \t\r\n\v\f";
  const size_t first = s.find_first_not_of(ws);
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

// Reads a credentials file as Go's Collector does: whole file, surrounding white space trimmed,
// empty is an error. The message names the file, never its content.
StatusOr<std::string> ReadCredentialsFile(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return UnavailableError("cannot read " + key + " \"" + path + "\": " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string value = TrimSpace(content.str());
  if (value.empty()) return UnavailableError(key + " \"" + path + "\" is empty");
  return value;
}

std::chrono::milliseconds Millis(config::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

}  // namespace

Oauth2ClientExtension::Oauth2ClientExtension(const CreateSettings& settings, Config cfg)
    : cfg_(std::move(cfg)),
      clock_(*settings.clock),
      log_(settings.logger ? settings.logger : GetLogger("extension/" + settings.id.ToString())),
      client_(cfg_.tls, Millis(cfg_.timeout)) {}

Oauth2ClientExtension::~Oauth2ClientExtension() {
  Shutdown(std::chrono::steady_clock::now()).IgnoreError();
}

Status Oauth2ClientExtension::Start(Host&) {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return FailedPreconditionError("oauth2client started twice");
  started_ = true;
  thread_ = std::thread([this] { FetchLoop(); });
  return OkStatus();
}

Status Oauth2ClientExtension::Shutdown(Deadline) {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  client_.Abort();  // a fetch in progress returns at once
  if (thread_.joinable()) thread_.join();
  return OkStatus();
}

StatusOr<AuthHeaders> Oauth2ClientExtension::GetRequestHeaders(Deadline deadline) {
  std::unique_lock lock(mu_);
  if (!started_ || stopping_) {
    return UnavailableError("oauth2client is not running");
  }
  const Clock::TimePoint now = clock_.Now();
  if (token_ && now < token_->expires_at) {
    if (now >= token_->refresh_at && now >= no_refresh_before_ && !fetching_ &&
        !fetch_requested_) {
      // Refresh in the background; this caller and others keep the still-valid token.
      fetch_requested_ = true;
      cv_.notify_all();
    }
    return AuthHeaders{{"authorization", token_->header_value}};
  }
  // No usable token: wait for the next fetch to complete (joining one in progress).
  const uint64_t seen = completed_fetches_;
  if (!fetching_ && !fetch_requested_) {
    fetch_requested_ = true;
    cv_.notify_all();
  }
  const bool done = clock_.WaitUntil(cv_, lock, deadline, [&] {
    return stopping_ || completed_fetches_ > seen;
  });
  if (stopping_) return UnavailableError("oauth2client is shutting down");
  if (token_ && clock_.Now() < token_->expires_at) {
    return AuthHeaders{{"authorization", token_->header_value}};
  }
  if (!done) {
    std::string msg = "no token from " + cfg_.token_url + " before the request deadline";
    if (!last_error_.ok()) msg += "; last attempt: " + last_error_.message();
    return UnavailableError(std::move(msg));
  }
  return last_error_.ok() ? UnavailableError("token from " + cfg_.token_url + " already expired")
                          : UnavailableError(last_error_.message());
}

void Oauth2ClientExtension::Invalidate() {
  std::lock_guard lock(mu_);
  if (token_) log_->debug("token refused by a backend; fetching a new one on next use");
  token_.reset();
}

int64_t Oauth2ClientExtension::FetchesForTest() const {
  std::lock_guard lock(mu_);
  return requests_sent_;
}

uint64_t Oauth2ClientExtension::CompletedFetchesForTest() const {
  std::lock_guard lock(mu_);
  return completed_fetches_;
}

void Oauth2ClientExtension::FetchLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, kIdleWait, [&] { return stopping_ || fetch_requested_; });
    if (stopping_) break;
    if (!fetch_requested_) continue;
    fetch_requested_ = false;
    fetching_ = true;
    const Clock::TimePoint asked_at = clock_.Now();
    lock.unlock();
    StatusOr<Token> token = FetchToken();
    lock.lock();
    fetching_ = false;
    ++completed_fetches_;
    if (token.ok()) {
      // Lifetime counts from when we asked, so clock skew and latency only make it shorter.
      std::optional<config::Duration> lifetime;
      if (token->expires_in) {
        lifetime = *token->expires_in;
      } else if (cfg_.default_token_lifetime > config::Duration::zero()) {
        lifetime = cfg_.default_token_lifetime;
      }
      CachedToken cached;
      cached.header_value = token->token_type + " " + token->access_token;
      if (lifetime) {
        const auto buffer = std::min(cfg_.expiry_buffer, *lifetime / 2);
        cached.expires_at = asked_at + std::chrono::duration_cast<Clock::Duration>(*lifetime);
        cached.refresh_at = cached.expires_at - std::chrono::duration_cast<Clock::Duration>(buffer);
      } else {
        cached.expires_at = Clock::TimePoint::max();
        cached.refresh_at = Clock::TimePoint::max();
      }
      token_ = std::move(cached);
      last_error_ = OkStatus();
      refresh_backoff_ = Clock::Duration::zero();
      no_refresh_before_ = Clock::TimePoint{};
    } else {
      // A still-valid token stays in use while its refresh fails.
      last_error_ = token.status();
      refresh_backoff_ = std::clamp<Clock::Duration>(2 * refresh_backoff_, kMinRefreshBackoff,
                                                     kMaxRefreshBackoff);
      no_refresh_before_ = clock_.Now() + refresh_backoff_;
    }
    cv_.notify_all();
  }
}

StatusOr<TokenRequest> Oauth2ClientExtension::BuildRequest() const {
  TokenRequest req;
  req.token_url = cfg_.token_url;
  req.scopes = cfg_.scopes;
  req.endpoint_params = cfg_.endpoint_params;
  req.client_id = cfg_.client_id;
  req.client_secret = cfg_.client_secret;
  if (!cfg_.client_id_file.empty()) {
    auto id = ReadCredentialsFile("client_id_file", cfg_.client_id_file);
    if (!id.ok()) return id.status();
    req.client_id = std::move(*id);
  }
  if (!cfg_.client_secret_file.empty()) {
    auto secret = ReadCredentialsFile("client_secret_file", cfg_.client_secret_file);
    if (!secret.ok()) return secret.status();
    req.client_secret = config::Secret(std::move(*secret));
  }
  return req;
}

StatusOr<Token> Oauth2ClientExtension::FetchToken() {
  StatusOr<TokenRequest> req = BuildRequest();
  if (!req.ok()) {
    LogOutcome(req.status(), 0);
    return req.status();
  }
  auto count_request = [&] {
    std::lock_guard lock(mu_);
    ++requests_sent_;
  };
  // Go's clientcredentials (what the Collector uses) sets no AuthStyle, which means "probe":
  // HTTP Basic first; on failure the same request with the credentials in the body; the style
  // that worked is kept. We probe again only after an HTTP 4xx (a transport error or a 5xx says
  // nothing about the style), and remember the style for this extension's lifetime.
  const AuthStyle first = style_ == Style::kInParams ? AuthStyle::kInParams : AuthStyle::kInHeader;
  count_request();
  FetchResult r = client_.Fetch(*req, first);
  if (!r.token.ok() && style_ == Style::kUnknown && r.http_status >= 400 && r.http_status < 500) {
    count_request();
    r = client_.Fetch(*req, AuthStyle::kInParams);
    if (r.token.ok()) style_ = Style::kInParams;
  } else if (r.token.ok() && style_ == Style::kUnknown) {
    style_ = Style::kInHeader;
  }
  if (r.token.ok()) {
    LogOutcome(OkStatus(), r.http_status);
    return std::move(r.token).value();
  }
  // The server's error text could in theory echo what we sent: scrub it before it travels.
  Status failure(r.token.status().code(),
                 Scrub(r.token.status().message(), req->client_secret.Reveal()));
  if (failure.code() != StatusCode::kCancelled) LogOutcome(failure, r.http_status);
  return failure;
}

void Oauth2ClientExtension::LogOutcome(const Status& status, int http_status) {
  if (status.ok()) {
    if (!last_failure_key_.empty()) {
      log_->info("token endpoint {} issues tokens again", cfg_.token_url);
    } else if (!ever_succeeded_) {
      log_->info("obtained a token from {}", cfg_.token_url);
    } else {
      log_->debug("refreshed the token from {}", cfg_.token_url);
    }
    ever_succeeded_ = true;
    last_failure_key_.clear();
    return;
  }
  // Same kind of failure as last time: already said. Exporters retry, and each retry may fetch;
  // repeating the line would flood the log without telling anything new.
  const std::string key = http_status != 0 ? "http " + std::to_string(http_status)
                                           : status.message();
  if (key == last_failure_key_) return;
  last_failure_key_ = key;
  if (http_status == 400 || http_status == 401 || http_status == 403) {
    log_->error("token endpoint refused the client credentials; check client_id and "
                "client_secret (this is logged once until it changes): {}",
                status.message());
  } else {
    log_->warn("cannot get a token (logged once until it changes; exports wait and retry): {}",
               status.message());
  }
}

std::string Oauth2ClientExtension::Scrub(std::string text, const std::string& secret) {
  if (secret.size() < 4) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), config::Secret::kRedacted);
    pos += std::strlen(config::Secret::kRedacted);
  }
  return text;
}

}  // namespace otlpd::extension::oauth2client
