// The persistent sending queue through the real otlpd binary and the real file_storage
// extension: spans a client was answered 200 for survive a stop while the backend is down, and
// the next run delivers each of them exactly once (the guarantee of README "Delivery
// guarantees"). The batch processor in the pipeline writes through, so it holds nothing.
#include <curl/curl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/compression.h"
#include "pipeline/telemetry.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using testing::FakeHttpServer;
using testing::OtlpdBinary;
using testing::Subprocess;
using namespace std::chrono_literals;

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// POSTs an OTLP/HTTP protobuf body; the HTTP status, 0 on a transport error.
long Post(const std::string& url, const std::string& body) {
  long status = 0;
  std::string answer;
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-protobuf");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

// A request of `n` spans whose names are "<prefix><i>": every span of the test has its own name.
std::string Spans(int n, const std::string& prefix) {
  TracesBatch b = testing::MakeTraces(n);
  auto* spans =
      b.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  for (int i = 0; i < spans->size(); ++i) spans->Mutable(i)->set_name(prefix + std::to_string(i));
  return b.request().SerializeAsString();
}

// Span names per occurrence in everything the backend received (bodies are gzip'd OTLP).
std::map<std::string, int> ReceivedSpans(const FakeHttpServer& backend) {
  std::map<std::string, int> names;
  for (const testing::RecordedRequest& r : backend.Requests()) {
    StatusOr<std::string> body = r.Header("content-encoding") == "gzip"
                                     ? Decompress(Compression::kGzip, r.body, 64 << 20)
                                     : StatusOr<std::string>(r.body);
    if (!body.ok()) continue;
    TraceRequest request;
    if (!request.ParseFromString(*body)) continue;
    for (const auto& rs : request.resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& span : ss.spans()) ++names[span.name()];
      }
    }
  }
  return names;
}

int64_t Total(const std::map<std::string, int>& names) {
  int64_t n = 0;
  for (const auto& [name, count] : names) n += count;
  return n;
}

class PersistentQueueE2eTest : public ::testing::Test {
 protected:
  PersistentQueueE2eTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("otlpd-pq-e2e-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  ~PersistentQueueE2eTest() override { std::filesystem::remove_all(dir_); }

  // The configuration, with the queue's directory and the backend's port.
  std::string WriteConfig(uint16_t backend_port) {
    const std::filesystem::path path = dir_.string() + ".yaml";
    std::ofstream(path) << R"(receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  batch:
    send_batch_size: 1000
    timeout: 10s
extensions:
  file_storage:
    directory: )" << (dir_ / "queue").string()
                        << R"(
    create_directory: true
exporters:
  otlp_http:
    endpoint: http://127.0.0.1:)" << backend_port
                        << R"(
    retry_on_failure:
      initial_interval: 100ms
      max_interval: 200ms
      max_elapsed_time: 0s
    sending_queue:
      storage: file_storage
service:
  extensions: [file_storage]
  telemetry:
    metrics:
      address: 127.0.0.1:0
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp_http]
)";
    return path.string();
  }

  std::unique_ptr<Subprocess> StartOtlpd(const std::string& config, int* http_port) {
    auto p = std::make_unique<Subprocess>(std::vector<std::string>{
        OtlpdBinary(), "--config", config, "--shutdown-timeout", "2s"});
    EXPECT_TRUE(p->WaitForOutput("started", 20s)) << p->Stderr();
    std::smatch m;
    const std::string err = p->Stderr();
    const std::regex listening("OTLP/HTTP listening on 127\\.0\\.0\\.1:([0-9]+)");
    *http_port = std::regex_search(err, m, listening) ? std::stoi(m[1]) : 0;
    return p;
  }

  std::filesystem::path dir_;
};

TEST_F(PersistentQueueE2eTest, SpansAcceptedWhileTheBackendIsDownArriveExactlyOnceAfterARestart) {
  // Learn a free port for the backend, then take the backend down: connections are refused.
  uint16_t port = 0;
  {
    FakeHttpServer probe;
    ASSERT_TRUE(probe.Start().ok());
    port = probe.port();
  }
  const std::string config = WriteConfig(port);

  constexpr int kRequests = 20;
  constexpr int kSpansPerRequest = 5;
  {
    int http_port = 0;
    auto first = StartOtlpd(config, &http_port);
    ASSERT_GT(http_port, 0) << first->Stderr();
    const std::string url = "http://127.0.0.1:" + std::to_string(http_port) + "/v1/traces";
    for (int r = 0; r < kRequests; ++r) {
      ASSERT_EQ(Post(url, Spans(kSpansPerRequest, "r" + std::to_string(r) + "-")), 200);
    }
    EXPECT_THAT(first->Stderr(), HasSubstr("writing through"));
    first->Signal(SIGTERM);
    EXPECT_EQ(first->WaitForExit(20s), 0) << first->Stderr();
    // Nothing was dropped: it stays on disk, and the log says so.
    EXPECT_THAT(first->Stderr(), HasSubstr("stay queued on disk"));
    EXPECT_THAT(first->Stderr(), ::testing::Not(HasSubstr("dropped")));
  }

  FakeHttpServer backend(FakeHttpServer::Options{.port = port});
  ASSERT_TRUE(backend.Start().ok()) << "port " << port << " was taken meanwhile";
  int http_port = 0;
  auto second = StartOtlpd(config, &http_port);
  EXPECT_THAT(second->Stderr(), HasSubstr("from the previous run"));

  constexpr int64_t kSpans = kRequests * kSpansPerRequest;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (Total(ReceivedSpans(backend)) < kSpans && std::chrono::steady_clock::now() < deadline) {
    (void)backend.WaitForRequests(backend.RequestCount() + 1, 200ms);
  }
  // A clean stop after delivery: nothing is sent twice, before or during it.
  second->Signal(SIGTERM);
  EXPECT_EQ(second->WaitForExit(20s), 0) << second->Stderr();

  const std::map<std::string, int> received = ReceivedSpans(backend);
  EXPECT_EQ(Total(received), kSpans) << second->Stderr();
  EXPECT_EQ(received.size(), static_cast<size_t>(kSpans));  // every span, each once
  for (const auto& [name, count] : received) EXPECT_EQ(count, 1) << name;
  EXPECT_THAT(second->Stderr(), ::testing::Not(HasSubstr("stay queued on disk")));
}

}  // namespace
}  // namespace otlpd
