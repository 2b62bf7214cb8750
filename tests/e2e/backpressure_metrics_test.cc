// The real otlpd binary between a real HTTP client and a loopback backend:
// - a full exporter queue reaches an OTLP/HTTP client as 503 with Retry-After (issue: nothing
//   accepted is lost, so overload must be refused, not dropped);
// - /metrics counts exactly what a client sent, what the filter dropped and what was exported;
// - SIGTERM with a backend that never answers ends within the shutdown deadline and reports
//   what it could not deliver.
#include <curl/curl.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/telemetry.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using testing::CannedResponse;
using testing::FakeHttpServer;
using testing::OtlpdBinary;
using testing::Subprocess;
using namespace std::chrono_literals;

struct HttpAnswer {
  long status = 0;
  std::string retry_after;
  std::string body;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  if (line.rfind("Retry-After:", 0) == 0 || line.rfind("retry-after:", 0) == 0) {
    std::string v = line.substr(12);
    v.erase(0, v.find_first_not_of(' '));
    v.erase(v.find_last_not_of("\r\n ") + 1);
    *static_cast<std::string*>(out) = v;
  }
  return size * n;
}

// One request with libcurl: POST protobuf to `url`, or GET when `body` is null.
HttpAnswer Http(const std::string& url, const std::string* body) {
  HttpAnswer a;
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-protobuf");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &a.retry_after);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return a;
}

// Writes `yaml` to a fresh file and starts otlpd on it; learns the HTTP and metrics ports.
class Otlpd {
 public:
  explicit Otlpd(const std::string& yaml, std::vector<std::string> extra = {}) {
    path_ = std::filesystem::temp_directory_path() /
            ("otlpd-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".yaml");
    std::ofstream(path_) << yaml;
    std::vector<std::string> argv = {OtlpdBinary(), "--config", path_.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<Subprocess>(argv);
    ready = process->WaitForOutput("started", 20s);
    http_port = Find("OTLP/HTTP listening on 127\\.0\\.0\\.1:([0-9]+)");
    metrics_port = Find("serving http://127\\.0\\.0\\.1:([0-9]+)");
  }
  ~Otlpd() { std::filesystem::remove(path_); }
  std::string TracesUrl() const { return "http://127.0.0.1:" + std::to_string(http_port) + "/v1/traces"; }
  std::string MetricsUrl() const { return "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics"; }

  std::unique_ptr<Subprocess> process;
  bool ready = false;
  int http_port = 0;
  int metrics_port = 0;

 private:
  int Find(const std::string& pattern) {
    std::smatch m;
    const std::string err = process->Stderr();
    return std::regex_search(err, m, std::regex(pattern)) ? std::stoi(m[1]) : 0;
  }
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string Spans(int n, const std::string& name_prefix = "span-") {
  TracesBatch b = testing::MakeTraces(n);
  auto* spans = b.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  for (int i = 0; i < spans->size(); ++i) spans->Mutable(i)->set_name(name_prefix + std::to_string(i));
  return b.request().SerializeAsString();
}

// The value of one sample line of the Prometheus text, or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST(BackpressureE2eTest, FullExporterQueueAnswers503WithRetryAfter) {
  FakeHttpServer backend;
  // The backend holds every request far longer than the test runs: the one consumer stays busy.
  backend.SetDefaultResponse(CannedResponse{.status = 200, .delay = std::chrono::minutes(5)});
  ASSERT_TRUE(backend.Start().ok());
  Otlpd otlpd(R"(receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
exporters:
  otlp_http:
    endpoint: )" + backend.Url() + R"(
    compression: none
    timeout: 10m
    sending_queue:
      num_consumers: 1
      queue_size: 1
service:
  telemetry:
    metrics:
      address: 127.0.0.1:0
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlp_http]
)", {"--shutdown-timeout", "1s"});
  ASSERT_TRUE(otlpd.ready) << otlpd.process->Stderr();

  const std::string body = Spans(2);
  ASSERT_EQ(Http(otlpd.TracesUrl(), &body).status, 200);       // taken by the consumer...
  ASSERT_TRUE(backend.WaitForRequests(1, 10s));                 // ...which is now stuck
  ASSERT_EQ(Http(otlpd.TracesUrl(), &body).status, 200);       // fills the queue
  HttpAnswer refused = Http(otlpd.TracesUrl(), &body);          // finds it full
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_FALSE(refused.retry_after.empty());
  EXPECT_GE(std::stoi(refused.retry_after.empty() ? "0" : refused.retry_after), 1);

  const std::string metrics = Http(otlpd.MetricsUrl(), nullptr).body;
  EXPECT_EQ(Sample(metrics, "otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"}"), 4);
  // Refused at admission, before the body was read: counted as a request, not as spans.
  EXPECT_EQ(Sample(metrics, "otlpd_receiver_admission_refused_requests_total{receiver=\"otlp\",transport=\"http\"}"), 1);

  // The backend never answers: shutdown gives up at its deadline and says what it dropped.
  const auto begin = std::chrono::steady_clock::now();
  otlpd.process->Signal(SIGTERM);
  ASSERT_TRUE(otlpd.process->WaitForExit(30s).has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 20s);
  EXPECT_THAT(otlpd.process->Stderr(), HasSubstr("drop"));
}

TEST(MetricsE2eTest, CountersMatchWhatWasSentFilteredAndExported) {
  FakeHttpServer backend;
  ASSERT_TRUE(backend.Start().ok());
  Otlpd otlpd(R"(receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  filter:
    traces:
      span:
        - 'IsMatch(name, "^drop-")'
exporters:
  otlp_http:
    endpoint: )" + backend.Url() + R"(
service:
  telemetry:
    metrics:
      address: 127.0.0.1:0
  pipelines:
    traces:
      receivers: [otlp]
      processors: [filter]
      exporters: [otlp_http]
)");
  ASSERT_TRUE(otlpd.ready) << otlpd.process->Stderr();

  const std::string keep = Spans(3, "keep-");
  const std::string drop = Spans(2, "drop-");
  ASSERT_EQ(Http(otlpd.TracesUrl(), &keep).status, 200);
  ASSERT_EQ(Http(otlpd.TracesUrl(), &drop).status, 200);  // filtered to nothing: still OK
  ASSERT_TRUE(backend.WaitForRequests(1, 10s));

  // Export completes after the backend answers; wait for the counter rather than sleeping.
  std::string metrics;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  const std::string sent = "otelcol_exporter_sent_spans_total{exporter=\"otlp_http\"}";
  while (std::chrono::steady_clock::now() < deadline) {
    metrics = Http(otlpd.MetricsUrl(), nullptr).body;
    if (Sample(metrics, sent) == 3) break;
  }
  EXPECT_EQ(Sample(metrics, sent), 3) << metrics;
  EXPECT_EQ(Sample(metrics, "otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"}"), 5);
  EXPECT_EQ(Sample(metrics, "otelcol_processor_filter_spans_filtered_total{filter=\"filter\"}"), 2);
  EXPECT_EQ(backend.RequestCount(), 1u);  // the filtered request never reached the backend

  otlpd.process->Signal(SIGTERM);
  EXPECT_EQ(otlpd.process->WaitForExit(20s), 0) << otlpd.process->Stderr();
}

}  // namespace
}  // namespace otlpd
