// The oauth2client extension against a fake token server: caching, sharing, refresh, failure
// handling, credentials files, and what is (never) logged.
#include "extensions/oauth2client/oauth2client_extension.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "tests/extensions/oauth2client/fake_token_server.h"
#include "tests/support/fake_clock.h"

namespace otlpd::extension::oauth2client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using otlpd::testing::FakeClock;
using otlpd::testing::FakeTokenServer;
using namespace std::chrono_literals;

// Options built by assignment: designated initializers that leave trailing members out trip
// GCC's -Wmissing-field-initializers.
template <class F>
FakeTokenServer::Options Opts(F set) {
  FakeTokenServer::Options o;
  set(o);
  return o;
}

class NoExtensionsHost : public Host {
 public:
  Extension* GetExtension(const ComponentId&) const override { return nullptr; }
};

// Everything the extension logs, at every level, for assertions on what is (not) said.
class CapturedLog {
 public:
  CapturedLog() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    logger_ = std::make_shared<spdlog::logger>("extension/oauth2client", sink);
    logger_->set_level(spdlog::level::trace);
    logger_->set_pattern("%l %v");
  }
  std::shared_ptr<spdlog::logger> logger() const { return logger_; }
  std::string Text() {
    logger_->flush();
    return out_.str();
  }
  int Count(const std::string& needle) {
    const std::string text = Text();
    int n = 0;
    for (size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + 1)) {
      ++n;
    }
    return n;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> logger_;
};

// A file under the test temp dir that the test can rewrite (credential rotation).
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    std::string pattern = (std::filesystem::temp_directory_path() / "oauth2-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    close(fd);
    path_ = pattern;
    Write(content);
  }
  ~TempFile() { std::filesystem::remove(path_); }
  void Write(const std::string& content) { std::ofstream(path_, std::ios::trunc) << content; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class Oauth2ClientTest : public ::testing::Test {
 protected:
  Config BaseConfig(const FakeTokenServer& server) {
    Config cfg;
    cfg.client_id = "agent";
    cfg.client_secret = config::Secret(kSecret);
    cfg.token_url = server.TokenUrl();
    cfg.endpoint_params["audience"] = {"b14collector"};
    cfg.timeout = 5s;
    return cfg;
  }

  std::unique_ptr<Oauth2ClientExtension> Make(Config cfg, Clock* clock = &RealClock::Get()) {
    CreateSettings settings;
    settings.id = ComponentId("oauth2client");
    settings.logger = log_.logger();
    settings.clock = clock;
    auto ext = std::make_unique<Oauth2ClientExtension>(settings, std::move(cfg));
    EXPECT_TRUE(ext->Start(host_).ok());
    return ext;
  }

  // GetRequestHeaders, but never hangs the test: a call that has not returned within 10s of real
  // time fails the test and is released by shutting the extension down.
  static StatusOr<AuthHeaders> Get(Oauth2ClientExtension& ext, Deadline deadline) {
    auto call = std::async(std::launch::async, [&] { return ext.GetRequestHeaders(deadline); });
    if (call.wait_for(10s) != std::future_status::ready) {
      ADD_FAILURE() << "GetRequestHeaders did not return";
      ext.Shutdown(std::chrono::steady_clock::now()).IgnoreError();
    }
    return call.get();
  }
  static StatusOr<AuthHeaders> Get(Oauth2ClientExtension& ext) {
    return Get(ext, std::chrono::steady_clock::now() + 5s);
  }
  static std::string Authorization(const StatusOr<AuthHeaders>& h) {
    if (!h.ok()) return "error: " + h.status().ToString();
    for (const auto& [name, value] : *h) {
      if (name == "authorization") return value;
    }
    return "no authorization header";
  }

  static constexpr const char* kSecret = "s3cret-Value-42";
  NoExtensionsHost host_;
  CapturedLog log_;
};

TEST_F(Oauth2ClientTest, FetchesOnceAndSharesTheTokenWithEveryCaller) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  auto ext = Make(BaseConfig(server));
  // Two exporters' worth of callers: 2 x 4 workers, 50 requests each.
  std::atomic<int> good{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i) {
    workers.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        if (Authorization(ext->GetRequestHeaders(std::chrono::steady_clock::now() + 5s)) ==
            "Bearer token-1") {
          ++good;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(good.load(), 400);
  EXPECT_EQ(server.Requests(), 1u);
  EXPECT_EQ(ext->FetchesForTest(), 1);
  ASSERT_TRUE(ext->Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST_F(Oauth2ClientTest, ConcurrentFirstCallsWaitForOneFetch) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  // A slow token endpoint, so that every caller arrives while the first fetch is in flight.
  server.http().SetHandler([](const testing::RecordedRequest&) {
    testing::CannedResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = R"({"access_token":"slow-token","token_type":"Bearer","expires_in":3600})";
    r.delay = 300ms;
    return r;
  });
  auto ext = Make(BaseConfig(server));
  constexpr int kCallers = 16;
  std::latch ready(kCallers);
  std::vector<std::future<std::string>> calls;
  for (int i = 0; i < kCallers; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      ready.arrive_and_wait();
      return Authorization(ext->GetRequestHeaders(std::chrono::steady_clock::now() + 5s));
    }));
  }
  for (auto& c : calls) EXPECT_EQ(c.get(), "Bearer slow-token");
  EXPECT_EQ(server.Requests(), 1u);
}

TEST_F(Oauth2ClientTest, RefreshesAShortLivedTokenBeforeItExpires) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.expires_in = 3; }));
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  auto ext = Make(BaseConfig(server), &clock);
  auto deadline = [&] { return clock.Now() + 5s; };

  EXPECT_EQ(Authorization(Get(*ext, deadline())), "Bearer token-1");
  // expiry_buffer is 5m, but never more than half the lifetime: refresh 1.5s before expiry.
  clock.Advance(1400ms);
  EXPECT_EQ(Authorization(Get(*ext, deadline())), "Bearer token-1");
  EXPECT_EQ(server.Requests(), 1u);

  clock.Advance(200ms);  // 1.6s: inside the refresh window, token still valid
  EXPECT_EQ(Authorization(Get(*ext, deadline())), "Bearer token-1");  // no waiting
  ASSERT_TRUE(server.http().WaitForRequests(2, 5s));
  const auto until = std::chrono::steady_clock::now() + 5s;
  std::string auth;
  while (std::chrono::steady_clock::now() < until &&
         (auth = Authorization(Get(*ext, deadline()))) != "Bearer token-2") {
    std::this_thread::yield();  // the refreshed token lands right after the answer
  }
  EXPECT_EQ(auth, "Bearer token-2");
  EXPECT_EQ(server.Requests(), 2u);

  // Past the expiry of token-2 with no refresh in between: the caller waits for a new one.
  clock.Advance(10s);
  EXPECT_EQ(Authorization(Get(*ext, deadline())), "Bearer token-3");
  EXPECT_EQ(server.Requests(), 3u);
}

TEST_F(Oauth2ClientTest, FailedBackgroundRefreshBacksOffWhileTheTokenIsValid) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.expires_in = 100; }));
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  auto ext = Make(BaseConfig(server), &clock);
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  server.FailNext(100, 503);
  clock.Advance(60s);  // refresh window (last 50s)
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  ASSERT_TRUE(server.http().WaitForRequests(2, 5s));
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (ext->CompletedFetchesForTest() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
  }
  ASSERT_EQ(ext->CompletedFetchesForTest(), 2u);
  // The refresh failed; the old token keeps working and nobody re-asks at once.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  }
  EXPECT_FALSE(server.http().WaitForRequests(3, 200ms));
  clock.Advance(1100ms);  // past the first backoff step
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  EXPECT_TRUE(server.http().WaitForRequests(3, 5s));
}

TEST_F(Oauth2ClientTest, LongLivedTokenRefreshesExpiryBufferBeforeExpiry) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.expires_in = 3600; }));
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  auto ext = Make(BaseConfig(server), &clock);
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  clock.Advance(3299s);  // 1s before the 5m buffer starts
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  EXPECT_FALSE(server.http().WaitForRequests(2, 100ms));
  clock.Advance(2s);
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  EXPECT_TRUE(server.http().WaitForRequests(2, 5s));
}

TEST_F(Oauth2ClientTest, AnswerWithoutExpiresInUsesTheDefaultLifetime) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.expires_in = -1; }));
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  Config cfg = BaseConfig(server);
  cfg.default_token_lifetime = 10min;
  auto ext = Make(cfg, &clock);
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-1");
  clock.Advance(11min);  // expired: a blocking fetch
  EXPECT_EQ(Authorization(Get(*ext, clock.Now() + 5s)), "Bearer token-2");
}

TEST_F(Oauth2ClientTest, InvalidateForcesANewFetch) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  auto ext = Make(BaseConfig(server));
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  ext->Invalidate();
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-2");
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-2");
  EXPECT_EQ(server.Requests(), 2u);
}

TEST_F(Oauth2ClientTest, TokenEndpointDownThenUp) {
  uint16_t port = 0;
  std::string url;
  {
    FakeTokenServer probe({});
    ASSERT_TRUE(probe.Start().ok());
    port = probe.http().port();
    url = probe.TokenUrl();
  }  // stopped: connections to the port are refused now
  FakeTokenServer never_started({});
  Config cfg = BaseConfig(never_started);
  cfg.token_url = url;
  auto ext = Make(cfg);

  StatusOr<AuthHeaders> down = Get(*ext);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(IsRetryable(down.status()));
  EXPECT_THAT(down.status().message(), HasSubstr(url));
  EXPECT_THAT(down.status().message(), Not(HasSubstr(kSecret)));

  FakeTokenServer server(Opts([&](FakeTokenServer::Options& o) { o.port = port; }));
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  EXPECT_EQ(log_.Count("cannot get a token"), 1) << log_.Text();
  EXPECT_EQ(log_.Count("issues tokens again"), 1) << log_.Text();
}

TEST_F(Oauth2ClientTest, ServerErrorIsRetryableAndNamesUrlAndStatus) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  server.FailNext(1, 503);
  auto ext = Make(BaseConfig(server));
  StatusOr<AuthHeaders> failed = Get(*ext);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(failed.status().message(), HasSubstr(server.TokenUrl()));
  EXPECT_THAT(failed.status().message(), HasSubstr("HTTP 503"));
  // A 5xx says nothing about how the credentials were sent: no second (probe) request.
  EXPECT_EQ(server.Requests(), 1u);
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
}

TEST_F(Oauth2ClientTest, WrongSecretIsLoggedOnceAndNeverShown) {
  FakeTokenServer server(
      Opts([](FakeTokenServer::Options& o) { o.client_secret = "the-server-expects-this"; }));
  ASSERT_TRUE(server.Start().ok());
  auto ext = Make(BaseConfig(server));
  for (int i = 0; i < 5; ++i) {
    StatusOr<AuthHeaders> h = Get(*ext);
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.status().code(), StatusCode::kUnavailable);
    EXPECT_THAT(h.status().message(), HasSubstr("HTTP 401"));
    EXPECT_THAT(h.status().message(), HasSubstr("invalid_client"));
    EXPECT_THAT(h.status().message(), HasSubstr(server.TokenUrl()));
    EXPECT_THAT(h.status().message(), Not(HasSubstr(kSecret)));
  }
  EXPECT_EQ(log_.Count("refused the client credentials"), 1) << log_.Text();

  // The server accepts the secret again (it was rotated there): one recovery line.
  server.SetClientSecret(kSecret);
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  EXPECT_EQ(log_.Count("issues tokens again"), 1) << log_.Text();
  const std::string text = log_.Text();
  EXPECT_THAT(text, Not(HasSubstr(kSecret)));
  EXPECT_THAT(text, Not(HasSubstr("token-1")));  // nor the token
}

TEST_F(Oauth2ClientTest, CredentialFilesAreReadAtEveryFetch) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) {
    o.client_id = "file-agent";
    o.client_secret = "secret-A";
  }));
  ASSERT_TRUE(server.Start().ok());
  TempFile id_file("file-agent\n");
  TempFile secret_file("  secret-A\n");
  Config cfg = BaseConfig(server);
  cfg.client_id.clear();
  cfg.client_id_file = id_file.path();
  cfg.client_secret = config::Secret();
  cfg.client_secret_file = secret_file.path();
  auto ext = Make(cfg);
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");

  // Rotation: the server and the file change; the cached token is still used until refused.
  server.SetClientSecret("secret-B");
  secret_file.Write("secret-B");
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  ext->Invalidate();
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-2");
  EXPECT_THAT(log_.Text(), Not(HasSubstr("secret-A")));
  EXPECT_THAT(log_.Text(), Not(HasSubstr("secret-B")));

  // An emptied file is a retryable error naming the file, not its content.
  secret_file.Write("\n");
  ext->Invalidate();
  StatusOr<AuthHeaders> h = Get(*ext);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(h.status().message(), HasSubstr(secret_file.path()));
}

TEST_F(Oauth2ClientTest, SendsGrantScopesAndEndpointParams) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  Config cfg = BaseConfig(server);
  cfg.scopes = {"api.metrics", "api.traces"};
  cfg.endpoint_params["resource"] = {"r1", "r 2"};
  auto ext = Make(cfg);
  ASSERT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  testing::Form form = server.LastForm();
  EXPECT_EQ(form["grant_type"], std::vector<std::string>{"client_credentials"});
  EXPECT_EQ(form["scope"], std::vector<std::string>{"api.metrics api.traces"});
  EXPECT_EQ(form["audience"], std::vector<std::string>{"b14collector"});
  EXPECT_EQ(form["resource"], (std::vector<std::string>{"r1", "r 2"}));
  // Go's default: HTTP Basic first, and no credentials in the body then.
  EXPECT_TRUE(server.LastUsedBasic());
  EXPECT_EQ(form.count("client_secret"), 0u);
  EXPECT_EQ(server.http().Requests().front().Header("accept"), "application/json");
}

TEST_F(Oauth2ClientTest, ProbesForCredentialsInTheBodyAndRemembers) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.accept_basic = false; }));
  ASSERT_TRUE(server.Start().ok());
  auto ext = Make(BaseConfig(server));
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
  EXPECT_EQ(server.Requests(), 2u);  // Basic refused, then the body
  EXPECT_FALSE(server.LastUsedBasic());
  EXPECT_EQ(server.LastForm()["client_secret"], std::vector<std::string>{kSecret});
  ext->Invalidate();
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-2");
  EXPECT_EQ(server.Requests(), 3u);  // straight to the style that worked
  EXPECT_FALSE(server.LastUsedBasic());
}

TEST_F(Oauth2ClientTest, FormEncodedAnswerIsAccepted) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.form_answer = true; }));
  ASSERT_TRUE(server.Start().ok());
  auto ext = Make(BaseConfig(server));
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
}

TEST_F(Oauth2ClientTest, CallerDeadlineBoundsTheWait) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  server.http().SetHandler([](const testing::RecordedRequest&) {
    testing::CannedResponse r;
    r.body = "{}";
    r.delay = 3s;
    return r;
  });
  auto ext = Make(BaseConfig(server));
  const auto start = std::chrono::steady_clock::now();
  StatusOr<AuthHeaders> h = Get(*ext, start + 200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(h.status().message(), HasSubstr("deadline"));
}

TEST_F(Oauth2ClientTest, ShutdownReleasesWaitersAndCancelsTheFetch) {
  FakeTokenServer server({});
  ASSERT_TRUE(server.Start().ok());
  server.http().SetHandler([](const testing::RecordedRequest&) {
    testing::CannedResponse r;
    r.body = "{}";
    r.delay = 30s;
    return r;
  });
  auto ext = Make(BaseConfig(server));
  auto waiter = std::async(std::launch::async, [&] {
    return ext->GetRequestHeaders(std::chrono::steady_clock::now() + 30s);
  });
  ASSERT_TRUE(server.http().WaitForRequests(1, 5s));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(ext->Shutdown(start + 5s).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_EQ(waiter.wait_for(5s), std::future_status::ready);
  StatusOr<AuthHeaders> h = waiter.get();
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kUnavailable);
  // After shutdown: a clear refusal, not a hang.
  EXPECT_FALSE(ext->GetRequestHeaders(std::chrono::steady_clock::now() + 1s).ok());
}

TEST_F(Oauth2ClientTest, HttpsWithTheServersCa) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.tls = true; }));
  ASSERT_TRUE(server.Start().ok());
  Config cfg = BaseConfig(server);
  cfg.tls.ca_file = server.http().CaFile();
  auto ext = Make(cfg);
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
}

TEST_F(Oauth2ClientTest, HttpsUnknownCaFailsUnlessVerificationIsSkipped) {
  FakeTokenServer server(Opts([](FakeTokenServer::Options& o) { o.tls = true; }));
  ASSERT_TRUE(server.Start().ok());
  {
    auto ext = Make(BaseConfig(server));
    StatusOr<AuthHeaders> h = Get(*ext);
    ASSERT_FALSE(h.ok());
    EXPECT_THAT(h.status().message(), HasSubstr(server.TokenUrl()));
  }
  Config cfg = BaseConfig(server);
  cfg.tls.insecure_skip_verify = true;
  auto ext = Make(cfg);
  EXPECT_EQ(Authorization(Get(*ext)), "Bearer token-1");
}

TEST_F(Oauth2ClientTest, NotStartedRefuses) {
  FakeTokenServer server({});
  CreateSettings settings;
  settings.logger = log_.logger();
  Oauth2ClientExtension ext(settings, BaseConfig(server));
  StatusOr<AuthHeaders> h = ext.GetRequestHeaders(std::chrono::steady_clock::now() + 1s);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(ext.AllowsInsecureTransport());
  EXPECT_TRUE(ext.Shutdown(std::chrono::steady_clock::now()).ok());  // without Start
}

}  // namespace
}  // namespace otlpd::extension::oauth2client
