// The reference (scout) pipeline end to end: the real otlpd runs the committed copy of
// scout-pipeline.yaml, unchanged except for its listen addresses, between the official JS SDK
// and a fake HTTPS backend plus a fake OAuth2 token server. Every item carries test.id, and the
// backend counts each one, so every scenario asserts exact counts: nothing accepted is lost and
// nothing is delivered twice.
//
// The reference batches for 10s. Tests either stop otlpd with SIGTERM (the batch processor
// flushes on shutdown) or send exactly send_batch_size (1024) items, which the batch processor
// forwards at once; no test waits out the timer.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/scout_backend.h"
#include "tests/extensions/oauth2client/fake_token_server.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::E2eDir;
using testing::FakeTokenServer;
using testing::RunningOtlpd;
using testing::ScoutBackend;
using testing::SendWithSdk;
using testing::SourceDir;
using testing::Subprocess;
using namespace std::chrono_literals;

constexpr char kSecret[] = "scout-Secret-7f3a9c";
constexpr char kEnvironment[] = "e2e-staging";
constexpr int kBatchSize = 1024;  // send_batch_size in the reference

// Span names as the two reference services produce them. The filter drops the health probes and
// the transaction-lifecycle statements; "BEGIN work" and "SELECT health_score" look similar but
// are kept ("health" appears without a leading slash).
const std::vector<std::string> kSpanNames = {
    "GET /api/articles/{id}",  // kept
    "GET /api/health",         // dropped
    "INSERT INTO notes",       // kept
    "BEGIN",                   // dropped
    "GET /health",             // dropped
    "COMMIT;",                 // dropped
    "SELECT health_score",     // kept
    "ROLLBACK TRANSACTION",    // dropped
    "BEGIN work",              // kept
};
const std::vector<bool> kSpanKept = {true, false, true, false, false, false, true, false, true};

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

class ReferencePipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(E2eDir() / "node_modules/@opentelemetry/sdk-trace-base"))
        << "the JS SDK is not installed: run `npm ci` in tests/e2e (make test does)";
    ASSERT_TRUE(backend_.Start().ok());
    ASSERT_TRUE(tokens_.Start().ok());
  }

  // Starts otlpd on the committed reference config with the SCOUT_* variables pointing at the
  // fakes. `secret` is what otlpd is told; the token server expects kSecret.
  void StartOtlpd(const std::string& secret = kSecret) {
    const std::string config =
        SourceDir() + "/tests/testdata/config/valid/scout-pipeline.yaml";
    otlpd_ = std::make_unique<RunningOtlpd>(
        std::vector<std::string>{"--config", config, "--set",
                                 "extensions::health_check::endpoint=127.0.0.1:0"},
        std::map<std::string, std::string>{{"SCOUT_CLIENT_ID", "agent"},
                                           {"SCOUT_CLIENT_SECRET", secret},
                                           {"SCOUT_TOKEN_URL", tokens_.TokenUrl()},
                                           {"SCOUT_ENVIRONMENT", kEnvironment},
                                           {"SCOUT_ENDPOINT", backend_.Url()}});
    ASSERT_TRUE(otlpd_->ready()) << otlpd_->process().Stderr();
  }

  std::string Endpoint(const std::string& transport) const {
    return transport == "grpc" ? otlpd_->GrpcUrl() : otlpd_->HttpUrl();
  }

  void Send(const std::string& signal, const std::string& transport, const std::string& names,
            const std::string& tag) {
    std::string out;
    ASSERT_EQ(SendWithSdk(signal, transport, Endpoint(transport), names, tag, &out), 0)
        << signal << " over " << transport << ": " << out;
  }

  // `count` spans named "op", over OTLP/HTTP protobuf, tagged <tag>-0 ... <tag>-(count-1).
  int SendMany(const std::string& tag, int count, std::string* out) {
    Subprocess node({"/usr/bin/env", "node", (E2eDir() / "send.mjs").string(), "--signal",
                     "traces", "--transport", "http-proto", "--endpoint", otlpd_->HttpUrl(),
                     "--names", "op", "--count", std::to_string(count), "--tag", tag});
    auto code = node.WaitForExit(60s);
    *out = node.Stdout() + node.Stderr();
    return code.value_or(-1);
  }

  // SIGTERM, then the exit code: 0 once the batch processor flushed and the exporter drained,
  // 3 ("unclean shutdown") when the exporter had to drop data at the shutdown deadline.
  void StopOtlpd(int expected_exit_code = 0) {
    otlpd_->process().Signal(SIGTERM);
    EXPECT_EQ(otlpd_->process().WaitForExit(30s), expected_exit_code)
        << otlpd_->process().Stderr();
  }

  std::string Output() const { return otlpd_->process().Stdout() + otlpd_->process().Stderr(); }

  ScoutBackend backend_;
  FakeTokenServer tokens_{{.client_secret = kSecret, .tls = true, .certificate = nullptr}};
  std::unique_ptr<RunningOtlpd> otlpd_;
};

// Scenarios 1-5: all three transports for traces, plus metrics and logs; the filter drops
// exactly the probe and transaction spans; every resource gets deployment.environment and keeps
// service.name; every backend request is gzip with the one token fetched once.
TEST_F(ReferencePipelineTest, NormalTrafficArrivesFilteredEnrichedGzippedWithOneToken) {
  StartOtlpd();
  std::map<std::string, int> expected;
  for (const std::string transport : {"grpc", "http-proto", "http-json"}) {
    const std::string tag = "traces-" + transport;
    Send("traces", transport, Join(kSpanNames), tag);
    for (size_t i = 0; i < kSpanNames.size(); ++i) {
      if (kSpanKept[i]) expected[tag + "-" + std::to_string(i)] = 1;
    }
  }
  for (const std::string signal : {"metrics", "logs"}) {
    for (const std::string transport : {"grpc", "http-proto", "http-json"}) {
      const std::string tag = signal + "-" + transport;
      Send(signal, transport, "checkout.count,checkout.errors", tag);
      expected[tag + "-0"] = 1;
      expected[tag + "-1"] = 1;
    }
  }
  StopOtlpd();

  EXPECT_EQ(backend_.Counts(), expected);
  EXPECT_THAT(backend_.Problems(), IsEmpty());
  std::multiset<std::string> names;
  for (size_t i = 0; i < kSpanNames.size(); ++i) {
    if (kSpanKept[i]) {
      for (int transport = 0; transport < 3; ++transport) names.insert(kSpanNames[i]);
    }
  }
  EXPECT_EQ(backend_.SpanNames(), names);

  const auto resources = backend_.Resources();
  ASSERT_FALSE(resources.empty());
  for (const auto& attrs : resources) {
    EXPECT_EQ(attrs.count("deployment.environment") ? attrs.at("deployment.environment") : "",
              kEnvironment);
    EXPECT_EQ(attrs.count("service.name") ? attrs.at("service.name") : "", "otlpd-e2e");
  }

  const auto requests = backend_.http().Requests();
  ASSERT_GE(requests.size(), 3u);  // at least one per signal
  for (const auto& r : requests) {
    EXPECT_EQ(r.Header("content-encoding"), "gzip") << r.target;
    EXPECT_EQ(r.Header("authorization"), "Bearer token-1") << r.target;
  }
  EXPECT_EQ(tokens_.Issued(), 1);
  EXPECT_EQ(tokens_.Requests(), 1u);
  EXPECT_EQ(tokens_.LastForm()["audience"], std::vector<std::string>{"b14collector"});
}

// Scenario 6: two 503s and a 429 with Retry-After: 1, then success. The exporter retries the
// same batch; no request timed out, so every span arrives exactly once.
TEST_F(ReferencePipelineTest, RetriesThrough503sAnd429WithoutLossOrDuplicates) {
  backend_.Script("/v1/traces", {{.status = 503},
                                 {.status = 503},
                                 {.status = 429, .headers = {{"Retry-After", "1"}}}});
  StartOtlpd();
  const auto start = std::chrono::steady_clock::now();
  std::string out;
  ASSERT_EQ(SendMany("retry", kBatchSize, &out), 0) << out;
  ASSERT_TRUE(backend_.WaitForItems(kBatchSize, 20s)) << Output();
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(backend_.Requests("/v1/traces"), 4);
  const auto counts = backend_.Counts();
  EXPECT_EQ(counts.size(), static_cast<size_t>(kBatchSize));
  for (int i = 0; i < kBatchSize; ++i) {
    EXPECT_EQ(backend_.Count("retry-" + std::to_string(i)), 1) << i;
  }
  // Three waits: backoff from 1s (randomised by +-50%) and at least the 429's Retry-After.
  EXPECT_GE(elapsed, 1500ms);
  StopOtlpd();
  EXPECT_EQ(backend_.Accepted(), static_cast<size_t>(kBatchSize));  // nothing more on shutdown
}

// Scenario 7: a 400 is permanent: that batch is dropped, not retried, and later data flows.
TEST_F(ReferencePipelineTest, A400DropsThatBatchWithoutBlockingLaterData) {
  backend_.Script("/v1/traces", {{.status = 400, .body = "bad request"}});
  StartOtlpd();
  std::string out;
  ASSERT_EQ(SendMany("refused", kBatchSize, &out), 0) << out;
  ASSERT_TRUE(backend_.WaitForRequests("/v1/traces", 1, 10s)) << Output();

  Send("traces", "grpc", "GET /api/articles/{id},INSERT INTO notes", "later");
  StopOtlpd();

  std::map<std::string, int> expected = {{"later-0", 1}, {"later-1", 1}};
  EXPECT_EQ(backend_.Counts(), expected);
  EXPECT_EQ(backend_.Requests("/v1/traces"), 2);  // the refused batch was not sent again
}

// Runs curl against the OTLP/HTTP receiver and returns the status code it saw ("000" when the
// connection failed). Used for requests no SDK would make.
std::string Curl(const std::string& url, const std::string& content_type,
                 const std::string& body_file) {
  Subprocess curl({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                   "-H", "Content-Type: " + content_type, "--data-binary", "@" + body_file, url});
  curl.WaitForExit(30s);
  return curl.Stdout();
}

// Scenario 8: garbage, a wrong content type and an oversize body are refused with the
// Collector's codes while good traffic before and after them is delivered exactly.
TEST_F(ReferencePipelineTest, BadRequestsAreRefusedWhileGoodTrafficFlows) {
  StartOtlpd();
  Send("traces", "http-proto", "GET /api/articles/{id}", "before");

  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("otlpd-e2e-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "garbage") << "\x0a\xff\xff\xff\xff this is not protobuf";
    std::ofstream(dir / "json") << "{\"resourceSpans\": [";
    std::ofstream big(dir / "big", std::ios::binary);
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 21; ++i) big << chunk;  // over the 20 MiB default limit
  }
  const std::string url = otlpd_->HttpUrl() + "/v1/traces";
  EXPECT_EQ(Curl(url, "application/x-protobuf", (dir / "garbage").string()), "400");
  EXPECT_EQ(Curl(url, "application/json", (dir / "json").string()), "400");
  EXPECT_EQ(Curl(url, "text/plain", (dir / "garbage").string()), "415");
  const std::string big_code = Curl(url, "application/x-protobuf", (dir / "big").string());
  EXPECT_TRUE(big_code == "400" || big_code == "413") << big_code;
  std::filesystem::remove_all(dir);

  Send("traces", "grpc", "INSERT INTO notes", "after");
  Send("logs", "http-json", "a log line", "after-log");
  StopOtlpd();

  std::map<std::string, int> expected = {{"before-0", 1}, {"after-0", 1}, {"after-log-0", 1}};
  EXPECT_EQ(backend_.Counts(), expected);
  EXPECT_THAT(backend_.Problems(), IsEmpty());
}

// Scenario 9: the batch processor holds data for 10s; SIGTERM right after sending must flush it
// all to the backend before otlpd exits 0.
TEST_F(ReferencePipelineTest, SigtermFlushesWhatTheBatchProcessorHolds) {
  StartOtlpd();
  const auto start = std::chrono::steady_clock::now();
  Send("traces", "http-proto", "GET /api/articles/{id},INSERT INTO notes", "held");
  Send("metrics", "http-proto", "checkout.count", "held-metric");
  Send("logs", "http-proto", "a log line", "held-log");
  // Well inside the 10s batch timeout, so the data is still held, not already exported.
  ASSERT_LT(std::chrono::steady_clock::now() - start, 8s);
  EXPECT_EQ(backend_.http().RequestCount(), 0u);
  StopOtlpd();

  std::map<std::string, int> expected = {
      {"held-0", 1}, {"held-1", 1}, {"held-metric-0", 1}, {"held-log-0", 1}};
  EXPECT_EQ(backend_.Counts(), expected);
}

// Scenario 10: a wrong client secret is reported clearly and otlpd keeps running; no data reaches
// the backend without a token, and the secret never appears in the output. The token failure is
// retryable, so the batch is still waiting at SIGTERM: otlpd drops it at the shutdown deadline,
// says so, and exits 3 (unclean shutdown), not with a crash.
TEST_F(ReferencePipelineTest, WrongClientSecretIsLoggedClearlyWithoutCrashOrLeak) {
  const std::string wrong = "wrong-Secret-55d1e0";
  StartOtlpd(wrong);
  std::string out;
  ASSERT_EQ(SendMany("nokey", kBatchSize, &out), 0) << out;
  EXPECT_TRUE(otlpd_->process().WaitForOutput("refused the client credentials", 15s))
      << Output();
  EXPECT_GE(tokens_.Requests(), 1u);
  EXPECT_EQ(tokens_.Issued(), 0);
  EXPECT_FALSE(otlpd_->process().WaitForExit(0ms).has_value()) << "otlpd exited: " << Output();
  StopOtlpd(/*expected_exit_code=*/3);
  EXPECT_THAT(Output(), HasSubstr("dropped 1024 spans"));

  EXPECT_EQ(backend_.http().RequestCount(), 0u);
  EXPECT_THAT(Output(), HasSubstr(tokens_.TokenUrl()));
  EXPECT_THAT(Output(), Not(HasSubstr(wrong)));
  EXPECT_THAT(Output(), Not(HasSubstr(kSecret)));
}

}  // namespace
}  // namespace otlpd
