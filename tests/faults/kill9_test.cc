// kill -9 under load with the persistent queue: otlpd is killed (no shutdown code runs) while
// spans are at every stage, then started again on the same storage directory with the backend
// up. EVERY span acknowledged to the client must reach the backend: the set of acknowledged span
// IDs is a subset of the set received, counted exactly. Duplicates are allowed (at-least-once:
// what was being sent at the kill goes again) and reported.
//
// Repeat it to gain confidence (each run takes seconds):
//   ctest -R Kill9 --repeat until-fail:20 --output-on-failure
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
using testing::OtlpdProcess;
using testing::PipelineOptions;
using testing::PipelineYaml;
using testing::SpanBackend;
using testing::TempDir;
using namespace std::chrono_literals;

class Kill9Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::OtlpdHasComponent("file_storage")) {
      GTEST_SKIP() << "this otlpd has no file_storage extension (persistent queue) yet";
    }
    ASSERT_TRUE(backend_.Start().ok());
  }

  // After the kill: the backend is fast, otlpd starts again on the same storage, the client
  // follows it to its new ports and keeps sending a little, then every acknowledged span must
  // arrive.
  void RestartAndCheckEverythingAckedArrives(OtlpdProcess& otlpd, LoadClient& client,
                                             const std::string& name) {
    backend_.SetDelay(0ms);
    backend_.SetRefusal(0);
    ASSERT_TRUE(otlpd.Start()) << otlpd.AllOutput();
    client.SetTarget(otlpd.GrpcTarget(), otlpd.HttpUrl());
    const size_t acked_at_kill = client.AckedCount();
    ASSERT_TRUE(client.WaitForAcked(acked_at_kill + 500, 20s)) << otlpd.AllOutput();
    client.Stop();

    // SIGTERM flushes what the batch processor holds (the burst test batches for 10s); anything
    // the exporter did not deliver before exiting stays in the log, and one more run sends it.
    EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
    const auto acked = client.Acked();
    if (!backend_.WaitForAll(acked, 0ms)) {
      ASSERT_TRUE(otlpd.Start()) << otlpd.AllOutput();
    }
    const bool all = backend_.WaitForAll(acked, 20s);
    const auto missing = backend_.Missing(acked);
    std::cout << "[ faults   ] " << name << ": acked " << acked.size() << " (" << acked_at_kill
              << " before the kill), received " << backend_.Distinct() << ", duplicates "
              << backend_.Duplicates() << ", missing " << missing.size() << "\n";
    EXPECT_TRUE(all) << missing.size() << " acknowledged spans never arrived, e.g. "
                     << (missing.empty() ? 0 : missing.front()) << "\n" << otlpd.AllOutput();
    EXPECT_THAT(backend_.Problems(), ::testing::IsEmpty());
    if (otlpd.Running()) {
      EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
    }
  }

  SpanBackend backend_;
  TempDir storage_;
};

// A reference-like pipeline (memory_limiter, filter, resource, batch, gzip otlp_http). The backend
// is slower than the exporter's timeout, so at the kill there are requests in flight (timing out
// and being retried) and more queued behind them, and the batch processor holds some too.
TEST_F(Kill9Test, InFlightAndQueuedSpansSurviveKill9) {
  backend_.SetDelay(2s);
  PipelineOptions p{.backend_url = backend_.Url(), .batch = true, .batch_timeout = "200ms",
                    .send_batch_size = 200, .exporter_timeout = "500ms", .queue_size = 1000,
                    .storage_dir = storage_.path()};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  LoadClient client({.grpc_target = otlpd.GrpcTarget(), .threads = 3});
  client.Start();
  ASSERT_TRUE(client.WaitForAcked(3000, 20s)) << otlpd.Output();
  ASSERT_TRUE(backend_.WaitForRequests(2, 20s)) << otlpd.Output();  // attempts in flight
  EXPECT_EQ(backend_.Distinct(), 0u);  // nothing was delivered: all of it is queued or in flight
  otlpd.Kill();

  RestartAndCheckEverythingAckedArrives(otlpd, client, "kill -9 in flight");
}

// The reference's batch settings (10s, 1024 spans), a fast backend, OTLP/HTTP clients sending a
// burst: the kill lands while the batch processor holds an unfinished batch that an in-memory
// design would lose, with earlier full batches queued or sent.
TEST_F(Kill9Test, SpansHeldByTheBatchProcessorSurviveKill9DuringABurst) {
  PipelineOptions p{.backend_url = backend_.Url(), .batch = true, .batch_timeout = "10s",
                    .send_batch_size = 1024, .exporter_timeout = "2s", .queue_size = 1000,
                    .storage_dir = storage_.path()};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  LoadClient client({.transport = LoadClient::Transport::kHttp,
                     .http_url = otlpd.HttpUrl(),
                     .threads = 2,
                     .spans_per_request = 50,
                     .pace = 0ms});
  client.Start();
  // 2500 acknowledged: two full batches flushed, the rest of the burst held by the batcher.
  ASSERT_TRUE(client.WaitForAcked(2500, 20s)) << otlpd.Output();
  otlpd.Kill();

  RestartAndCheckEverythingAckedArrives(otlpd, client, "kill -9 during a burst");
}

}  // namespace
}  // namespace otlpd
