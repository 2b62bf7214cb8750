// `make run`'s promise, checked with parts nobody on the project wrote: otlpd on its embedded
// default config (OTLP in -> batch -> debug) prints what the official OpenTelemetry JS SDK sends
// over OTLP/gRPC, OTLP/HTTP protobuf and OTLP/HTTP JSON, for every signal, and then stops with
// exit code 0 on SIGINT.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using testing::E2eDir;
using testing::RunningOtlpd;
using testing::SendWithSdk;
using namespace std::chrono_literals;

class SdkToDebugTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(E2eDir() / "node_modules/@opentelemetry/sdk-trace-base"))
        << "the JS SDK is not installed: run `npm ci` in tests/e2e (make test does)";
  }
};

TEST_F(SdkToDebugTest, EveryTransportAndSignalShowsUpInTheDebugOutput) {
  RunningOtlpd otlpd({});
  ASSERT_TRUE(otlpd.ready()) << otlpd.process().Stderr();

  struct Send {
    std::string signal, transport, name;
  };
  const std::vector<Send> sends = {
      {"traces", "grpc", "GET /api/articles/{id}"}, {"traces", "http-proto", "GET /api/users"},
      {"traces", "http-json", "POST /api/orders"},  {"metrics", "grpc", "requests.grpc"},
      {"metrics", "http-proto", "requests.proto"},  {"metrics", "http-json", "requests.json"},
      {"logs", "grpc", "log over grpc"},            {"logs", "http-proto", "log over proto"},
      {"logs", "http-json", "log over json"},
  };
  for (const Send& s : sends) {
    const std::string endpoint = s.transport == "grpc" ? otlpd.GrpcUrl() : otlpd.HttpUrl();
    const std::string tag = s.signal + "-" + s.transport;
    std::string out;
    ASSERT_EQ(SendWithSdk(s.signal, s.transport, endpoint, s.name, tag, &out), 0) << out;
    // The batch processor flushes on its 200ms timeout; the debug exporter (verbosity normal)
    // prints one line per item with its attributes.
    EXPECT_TRUE(otlpd.process().WaitForOutput("test.id=" + tag + "-0", 10s))
        << tag << "\n" << otlpd.process().Stderr();
    EXPECT_THAT(otlpd.process().Stderr(), HasSubstr(s.name));
  }

  otlpd.process().Signal(SIGINT);
  EXPECT_EQ(otlpd.process().WaitForExit(20s), 0) << otlpd.process().Stderr();
}

}  // namespace
}  // namespace otlpd
