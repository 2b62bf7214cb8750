// SIGTERM under load: a client keeps sending while otlpd is told to stop. otlpd must exit within
// its shutdown timeout with exit code 0 and deliver everything it acknowledged: with the
// in-memory queue by draining it before exiting; with the persistent queue even when the backend
// is down at the time, by delivering it after a restart on the same storage.
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

constexpr auto kShutdownTimeout = 5s;

TEST(SigtermUnderLoadTest, InMemoryQueueDrainsAndExitsZeroWithinTheTimeout) {
  SpanBackend backend;
  ASSERT_TRUE(backend.Start().ok());
  PipelineOptions p{.backend_url = backend.Url(), .batch = true, .batch_timeout = "1s",
                    .send_batch_size = 500};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  LoadClient client({.grpc_target = otlpd.GrpcTarget(), .threads = 3, .retry = false});
  client.Start();
  ASSERT_TRUE(client.WaitForAcked(3000, 20s)) << otlpd.Output();

  const auto begin = std::chrono::steady_clock::now();
  const auto code = otlpd.Terminate(kShutdownTimeout + 5s);
  const auto took = std::chrono::steady_clock::now() - begin;
  client.Stop();  // its attempts after the receivers closed failed and were not acknowledged
  ASSERT_TRUE(code.has_value()) << "no exit within the shutdown timeout\n" << otlpd.Output();
  EXPECT_EQ(*code, 0) << otlpd.Output();
  EXPECT_LT(took, kShutdownTimeout + 1s);

  const auto acked = client.Acked();
  EXPECT_TRUE(backend.WaitForAll(acked, 10s))
      << backend.Missing(acked).size() << " of " << acked.size() << " missing";
  EXPECT_EQ(backend.Duplicates(), 0u);
  std::cout << "[ faults   ] SIGTERM in-memory: exit " << code.value_or(-1) << " after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms; acked " << acked.size() << ", received " << backend.Distinct()
            << ", duplicates " << backend.Duplicates() << "\n";
}

TEST(SigtermUnderLoadTest, PersistentQueueLosesNothingAcrossARestart) {
  if (!testing::OtlpdHasComponent("file_storage")) {
    GTEST_SKIP() << "this otlpd has no file_storage extension (persistent queue) yet";
  }
  TempDir storage;
  SpanBackend backend;
  ASSERT_TRUE(backend.Start().ok());
  backend.SetRefusal(503, "1");  // nothing can be delivered before the stop
  PipelineOptions p{.backend_url = backend.Url(), .batch = true, .batch_timeout = "1s",
                    .send_batch_size = 500, .queue_size = 100000,
                    .storage_dir = storage.path()};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  LoadClient client({.grpc_target = otlpd.GrpcTarget(), .threads = 3, .retry = false});
  client.Start();
  ASSERT_TRUE(client.WaitForAcked(3000, 20s)) << otlpd.Output();
  const auto begin = std::chrono::steady_clock::now();
  const auto code = otlpd.Terminate(kShutdownTimeout + 5s);
  const auto took = std::chrono::steady_clock::now() - begin;
  client.Stop();
  ASSERT_TRUE(code.has_value()) << "no exit within the shutdown timeout\n" << otlpd.Output();
  // What is still queued is in the durable log, not lost: a clean stop.
  EXPECT_EQ(*code, 0) << otlpd.Output();
  EXPECT_LT(took, kShutdownTimeout + 1s);

  backend.SetRefusal(0);
  ASSERT_TRUE(otlpd.Start()) << otlpd.AllOutput();
  const auto acked = client.Acked();
  EXPECT_TRUE(backend.WaitForAll(acked, 20s))
      << backend.Missing(acked).size() << " of " << acked.size() << " missing\n"
      << otlpd.AllOutput();
  std::cout << "[ faults   ] SIGTERM persistent: exit " << code.value_or(-1) << " after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms; acked " << acked.size() << ", received " << backend.Distinct()
            << ", duplicates " << backend.Duplicates() << "\n";
  EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
}

}  // namespace
}  // namespace otlpd
