#include "pipeline/logging.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "opentelemetry/proto/common/v1/common.pb.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LoggingTest : public ::testing::Test {
 protected:
  void TearDown() override { ConfigureLogging(LogSettings{}); }
};

TEST_F(LoggingTest, JsonEncodingEscapesMessageAndLoggerName) {
  ConfigureLogging({.level = spdlog::level::info, .json = true});
  auto log = GetLogger("exporter/odd\"name");
  ::testing::internal::CaptureStderr();
  log->info("backend said \"no\"\tthen\n\\bye");
  log->flush();
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, HasSubstr(R"("logger":"exporter/odd\"name")"));
  EXPECT_THAT(out, HasSubstr(R"("msg":"backend said \"no\"\tthen\n\\bye"})"));
  EXPECT_THAT(out, HasSubstr(R"("level":"info")"));
}

TEST_F(LoggingTest, LevelFiltersEveryLoggerIncludingOnesMadeEarlier) {
  auto early = GetLogger("processor/early");
  ConfigureLogging({.level = spdlog::level::warn, .json = false});
  auto late = GetLogger("processor/late");
  ::testing::internal::CaptureStderr();
  early->info("hidden-early");
  late->info("hidden-late");
  late->warn("shown-late");
  early->flush();
  late->flush();
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, Not(HasSubstr("hidden-early")));
  EXPECT_THAT(out, Not(HasSubstr("hidden-late")));
  EXPECT_THAT(out, HasSubstr("processor/late: shown-late"));
}

}  // namespace
}  // namespace otlpd

namespace otlpd {
namespace {

// A request with invalid UTF-8 makes protobuf log a line; from a client that is noise, so it
// goes through the "protobuf" logger at debug level instead of straight to stderr.
TEST(ProtobufLogging, ParserComplaintsAreDebugLinesOfTheProtobufLogger) {
  opentelemetry::proto::common::v1::AnyValue bad;
  bad.set_string_value("bad \xff");
  std::string wire;
  ASSERT_TRUE(bad.SerializePartialToString(&wire));

  ConfigureLogging({.level = spdlog::level::info, .json = false});
  ::testing::internal::CaptureStderr();
  opentelemetry::proto::common::v1::AnyValue parsed;
  EXPECT_FALSE(parsed.ParseFromString(wire));
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), Not(HasSubstr("invalid UTF-8")));

  ConfigureLogging({.level = spdlog::level::debug, .json = false});
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(parsed.ParseFromString(wire));
  GetLogger("protobuf")->flush();
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, HasSubstr("invalid UTF-8"));
  EXPECT_THAT(out, HasSubstr("protobuf"));
  ConfigureLogging(LogSettings{});
}

}  // namespace
}  // namespace otlpd
