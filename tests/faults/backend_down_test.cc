// Backend down for longer than the sending queue can hold. otlpd must refuse upstream (gRPC
// UNAVAILABLE with RetryInfo, HTTP 503 with Retry-After) once the queue is full, never crash or
// drop what it accepted, and deliver everything it acknowledged when the backend comes back.
// Once with the in-memory queue, once with the persistent one.
#include <chrono>
#include <iostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/faults/fault_env.h"
#include "tests/faults/load_client.h"
#include "tests/support/otlpd_process.h"
#include "tests/support/span_backend.h"

namespace otlpd {
namespace {

using testing::LoadClient;
using testing::MetricValue;
using testing::OtlpdProcess;
using testing::PipelineOptions;
using testing::PipelineYaml;
using testing::SpanBackend;
using testing::TempDir;
using namespace std::chrono_literals;

constexpr int kGrpcUnavailable = 14;
// A full queue is seen at admission, before a request's body is read: counted per request.
const std::string kGrpcRefusedRequests =
    "otlpd_receiver_admission_refused_requests_total{receiver=\"otlp\",transport=\"grpc\"}";

// The scenario for either queue: the backend is down from the start, so the queue fills and
// otlpd refuses; then the backend comes back and the refused requests, retried by the client,
// go through with everything queued before them.
void RefuseWhileDownThenDeliver(const PipelineOptions& p) {
  SpanBackend backend;
  ASSERT_TRUE(backend.Start().ok());
  backend.Down();  // the port is known and now refuses connections
  PipelineOptions options = p;
  options.backend_url = backend.Url();
  OtlpdProcess otlpd(PipelineYaml(options), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  LoadClient client({.grpc_target = otlpd.GrpcTarget(), .http_url = otlpd.HttpUrl()});
  client.Start();
  ASSERT_TRUE(client.WaitForFailures(5, 20s)) << otlpd.Output();
  const size_t acked_while_down = client.AckedCount();
  EXPECT_GT(acked_while_down, 0u) << "the queue should take some requests before it is full";
  EXPECT_GE(client.Failures()[kGrpcUnavailable], 5);
  EXPECT_GT(client.FailuresWithRetryHint(), 0) << "UNAVAILABLE without RetryInfo";

  // The same refusal over HTTP: 503 with a Retry-After of at least a second.
  LoadClient http({.transport = LoadClient::Transport::kHttp, .http_url = otlpd.HttpUrl()});
  const auto refused = http.SendOnce(5);
  EXPECT_EQ(refused.code, 503) << refused.message;
  EXPECT_GE(refused.retry_after_ms, 1000);
  EXPECT_GE(MetricValue(otlpd.MetricsUrl(), kGrpcRefusedRequests), 5);
  EXPECT_TRUE(otlpd.Running()) << otlpd.Output();

  // Back up: the queue drains, refusals stop, and new requests are acknowledged again.
  ASSERT_TRUE(backend.Up().ok());
  ASSERT_TRUE(client.WaitForAcked(acked_while_down + 2000, 30s)) << otlpd.Output();
  client.Stop();
  const auto acked = client.Acked();
  EXPECT_TRUE(backend.WaitForAll(acked, 20s))
      << backend.Missing(acked).size() << " of " << acked.size() << " acknowledged spans missing";
  std::cout << "[ faults   ] backend down: acked " << acked.size() << ", received "
            << backend.Distinct() << ", duplicates " << backend.Duplicates() << ", refusals "
            << client.Failures()[kGrpcUnavailable] << "\n";
  EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
  EXPECT_THAT(backend.Problems(), ::testing::IsEmpty());
}

TEST(BackendDownTest, InMemoryQueueRefusesWhenFullAndDeliversAfterRecovery) {
  RefuseWhileDownThenDeliver({.queue_size = 5, .num_consumers = 1});
}

TEST(BackendDownTest, PersistentQueueRefusesWhenFullAndDeliversAfterRecovery) {
  if (!testing::OtlpdHasComponent("file_storage")) {
    GTEST_SKIP() << "this otlpd has no file_storage extension (persistent queue) yet";
  }
  TempDir storage;
  RefuseWhileDownThenDeliver(
      {.queue_size = 20, .num_consumers = 1, .storage_dir = storage.path()});
}

}  // namespace
}  // namespace otlpd
