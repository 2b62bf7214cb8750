#include "pipeline/logging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
