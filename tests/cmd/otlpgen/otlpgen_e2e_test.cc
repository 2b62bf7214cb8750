// otlpgen against the real otlpd: a pass-through traces pipeline (no processors, no debug output)
// exports to a loopback backend that decodes every request and counts spans. otlpgen must
// deliver exactly --count spans, over gRPC and over HTTP with gzip, and say so in its report.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/compression.h"
#include "pipeline/telemetry.h"
#include "tests/e2e/e2e_support.h"
#include "tests/support/fake_http_server.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using testing::FakeHttpServer;
using testing::RunningOtlpd;
using testing::Subprocess;
using namespace std::chrono_literals;

std::string OtlpgenBinary() {
  const char* dir = std::getenv("OTLPD_BUILD_DIR");
  return std::string(dir ? dir : ".") + "/cmd/otlpgen/otlpgen";
}

// Counts the spans of every OTLP/HTTP traces request it accepts.
class CountingBackend {
 public:
  CountingBackend() {
    server_.SetHandler([this](const testing::RecordedRequest& r) {
      std::string body = r.body;
      if (r.Header("content-encoding") == "gzip") {
        StatusOr<std::string> plain = Decompress(Compression::kGzip, r.body, 64 << 20);
        if (!plain.ok()) return testing::CannedResponse{.status = 400};
        body = std::move(*plain);
      }
      TraceRequest req;
      if (!req.ParseFromString(body)) return testing::CannedResponse{.status = 400};
      std::lock_guard lock(mu_);
      spans_ += CountItems(req);
      cv_.notify_all();
      return testing::CannedResponse{.status = 200};
    });
  }
  ~CountingBackend() { server_.Stop(); }
  Status Start() { return server_.Start(); }
  std::string Url() const { return server_.Url(); }
  // Waits until at least `n` spans arrived (or `timeout`), then returns the count.
  int64_t WaitForSpans(int64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return spans_ >= n; });
    return spans_;
  }

 private:
  FakeHttpServer server_;
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t spans_ = 0;
};

class OtlpgenE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.Start().ok());
    config_ = std::filesystem::temp_directory_path() /
              ("otlpgen-e2e-" + std::to_string(getpid()) + ".yaml");
    std::ofstream(config_) << "receivers:\n  otlp:\n    protocols:\n      grpc:\n      http:\n"
                              "exporters:\n  otlp_http:\n    endpoint: " << backend_.Url() << "\n"
                              "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n"
                              "      exporters: [otlp_http]\n";
    otlpd_ = std::make_unique<RunningOtlpd>(std::vector<std::string>{"--config", config_.string()});
    ASSERT_TRUE(otlpd_->ready()) << otlpd_->process().Stderr();
  }
  void TearDown() override {
    otlpd_.reset();
    std::filesystem::remove(config_);
  }

  // Runs otlpgen to completion and returns its stdout; fails the test on a non-zero exit.
  std::string RunOtlpgen(std::vector<std::string> args) {
    args.insert(args.begin(), OtlpgenBinary());
    Subprocess gen(args);
    std::optional<int> code = gen.WaitForExit(60s);
    EXPECT_EQ(code, 0) << gen.Stdout() << gen.Stderr();
    return gen.Stdout();
  }

  CountingBackend backend_;
  std::filesystem::path config_;
  std::unique_ptr<RunningOtlpd> otlpd_;
};

TEST_F(OtlpgenE2eTest, GrpcDeliversExactlyCountSpans) {
  const std::string grpc = otlpd_->GrpcUrl().substr(std::string("http://").size());
  const std::string out = RunOtlpgen({"--protocol", "grpc", "--endpoint", grpc, "--count", "1234",
                                      "--batch-size", "100", "--workers", "3", "--json"});
  EXPECT_THAT(out, HasSubstr("\"items_ok\":1234,\"items_failed\":0"));
  EXPECT_EQ(backend_.WaitForSpans(1234, 20s), 1234);
}

TEST_F(OtlpgenE2eTest, HttpGzipDeliversExactlyCountSpansAtARate) {
  const auto start = std::chrono::steady_clock::now();
  const std::string out = RunOtlpgen({"--protocol", "http", "--gzip", "--endpoint",
                                      otlpd_->HttpUrl(), "--count", "2050", "--batch-size", "100",
                                      "--workers", "2", "--rate", "5000"});
  // 2050 spans at 5000/s take at least 0.4 s after the first request: pacing held them back.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 390ms);
  EXPECT_THAT(out, HasSubstr("sent 2050 items in 21 requests (0 failed"));
  EXPECT_EQ(backend_.WaitForSpans(2050, 20s), 2050);
}

TEST_F(OtlpgenE2eTest, RefusedRequestsAreCountedByCode) {
  // Nothing listens on the metrics path of a traces-only pipeline: otlpd answers 404.
  Subprocess gen({OtlpgenBinary(), "--signal", "metrics", "--protocol", "http", "--endpoint",
                  otlpd_->HttpUrl(), "--count", "20", "--batch-size", "10"});
  EXPECT_EQ(gen.WaitForExit(60s), 1);
  EXPECT_THAT(gen.Stdout(), HasSubstr("error http 404: 2 requests"));
}

}  // namespace
}  // namespace otlpd
