// Disk full under the persistent queue, two ways: the storage's own size limit (max_size_mib),
// and a real filesystem that runs out of space (a 2 MiB tmpfs, mounted in a private mount
// namespace so no root is needed where unprivileged user namespaces are allowed). The backend is
// down, so the log only grows. otlpd must refuse upstream with a retryable answer (gRPC
// UNAVAILABLE, HTTP 503 + Retry-After), keep serving, never crash, and deliver everything it
// acknowledged once the backend is back.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/faults/fault_env.h"
#include "tests/faults/load_client.h"
#include "tests/support/otlpd_process.h"
#include "tests/support/span_backend.h"
#include "tests/support/subprocess.h"

namespace otlpd {
namespace {

using testing::LoadClient;
using testing::OtlpdProcess;
using testing::PipelineOptions;
using testing::PipelineYaml;
using testing::SpanBackend;
using testing::Subprocess;
using testing::TempDir;
using namespace std::chrono_literals;

constexpr int kGrpcUnavailable = 14;

uintmax_t DirectoryBytes(const std::string& dir) {
  uintmax_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::OtlpdHasComponent("file_storage")) {
      GTEST_SKIP() << "this otlpd has no file_storage extension (persistent queue) yet";
    }
    ASSERT_TRUE(backend_.Start().ok());
    backend_.Down();
  }

  // The backend is down: the client fills the storage until otlpd refuses; then the backend
  // returns and every acknowledged span must arrive.
  void FillThenRecover(OtlpdProcess& otlpd, const std::string& name) {
    ASSERT_TRUE(otlpd.Start()) << otlpd.Output();
    LoadClient client({.grpc_target = otlpd.GrpcTarget(), .threads = 2, .spans_per_request = 100});
    client.Start();
    ASSERT_TRUE(client.WaitForFailures(10, 30s)) << otlpd.Output();
    EXPECT_GE(client.Failures()[kGrpcUnavailable], 10) << otlpd.Output();
    EXPECT_GT(client.FailuresWithRetryHint(), 0);
    const size_t acked_when_full = client.AckedCount();
    EXPECT_GT(acked_when_full, 0u);

    LoadClient http({.transport = LoadClient::Transport::kHttp, .http_url = otlpd.HttpUrl()});
    const auto refused = http.SendOnce(100);
    EXPECT_EQ(refused.code, 503) << refused.message;
    EXPECT_GE(refused.retry_after_ms, 1000);
    EXPECT_TRUE(otlpd.Running()) << otlpd.Output();

    ASSERT_TRUE(backend_.Up().ok());
    ASSERT_TRUE(client.WaitForAcked(acked_when_full + 2000, 20s))
        << "acked " << client.AckedCount() << ", " << acked_when_full << " when full; backend has "
        << backend_.Distinct() << " spans from " << backend_.Requests() << " requests; storage "
        << DirectoryBytes(storage_.path()) << " bytes\n" << otlpd.Output();
    client.Stop();
    const auto acked = client.Acked();
    EXPECT_TRUE(backend_.WaitForAll(acked, 20s))
        << backend_.Missing(acked).size() << " of " << acked.size() << " missing\n"
        << otlpd.Output();
    std::cout << "[ faults   ] " << name << ": acked " << acked.size() << " (" << acked_when_full
              << " when full), received " << backend_.Distinct() << ", duplicates "
              << backend_.Duplicates() << ", refusals " << client.Failures()[kGrpcUnavailable]
              << "\n";
    EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
  }

  SpanBackend backend_;
  TempDir storage_;
};

TEST_F(DiskFullTest, SizeLimitRefusesRetryablyAndRecovers) {
  // No compression on the wire or in the log, and a queue far larger than the disk allows: the
  // 1 MiB limit is what refuses.
  PipelineOptions p{.backend_url = backend_.Url(), .compression = "none", .queue_size = 100000,
                    .storage_dir = storage_.path(), .max_size_mib = 1};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  FillThenRecover(otlpd, "disk limit");
  // Bounded disk use: the limit plus at most a segment's worth of slack.
  EXPECT_LT(DirectoryBytes(storage_.path()), 3u << 20);
}

TEST_F(DiskFullTest, FullFilesystemRefusesRetryablyAndRecovers) {
  Subprocess probe({"/usr/bin/unshare", "-rm", "/bin/true"});
  if (probe.WaitForExit(10s) != 0) {
    GTEST_SKIP() << "cannot mount a private tmpfs here (no unprivileged user namespaces)";
  }
  // No size limit of its own: the filesystem runs out first (ENOSPC).
  PipelineOptions p{.backend_url = backend_.Url(), .compression = "none", .queue_size = 100000,
                    .storage_dir = storage_.path()};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  otlpd.SetLauncher({"/usr/bin/unshare", "-rm", "/bin/sh", "-c",
                     "mount -t tmpfs -o size=2m otlpd-faults \"$0\" && exec \"$@\"",
                     storage_.path()});
  FillThenRecover(otlpd, "tmpfs full");
}

}  // namespace
}  // namespace otlpd
