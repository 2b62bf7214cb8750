// ParseDuration / FormatDuration: Go's duration syntax, overflow, and the shortest exact form.
#include <gtest/gtest.h>

#include "config/duration.h"
#include "config/map_reader.h"

namespace otlpd::config {
namespace {

using namespace std::chrono_literals;

TEST(ParseDuration, AcceptsGoSyntax) {
  EXPECT_EQ(ParseDuration("0"), Duration::zero());
  EXPECT_EQ(ParseDuration("+0"), Duration::zero());
  EXPECT_EQ(ParseDuration("0s"), Duration::zero());
  EXPECT_EQ(ParseDuration("10ns"), 10ns);
  EXPECT_EQ(ParseDuration("250us"), 250us);
  EXPECT_EQ(ParseDuration("3\xC2\xB5s"), 3us);  // micro sign
  EXPECT_EQ(ParseDuration("3\xCE\xBCs"), 3us);  // Greek mu
  EXPECT_EQ(ParseDuration("500ms"), 500ms);
  EXPECT_EQ(ParseDuration("1s"), 1s);
  EXPECT_EQ(ParseDuration("1.5s"), 1500ms);
  EXPECT_EQ(ParseDuration(".5s"), 500ms);
  EXPECT_EQ(ParseDuration("2.s"), 2s);
  EXPECT_EQ(ParseDuration("5m"), 5min);
  EXPECT_EQ(ParseDuration("1h"), 1h);
  EXPECT_EQ(ParseDuration("1h30m"), 90min);
  EXPECT_EQ(ParseDuration("1h30m15s250ms"), 1h + 30min + 15s + 250ms);
  EXPECT_EQ(ParseDuration("1.000000001s"), 1s + 1ns);
  EXPECT_EQ(ParseDuration("0.1234567891s"), 123456789ns);  // below a nanosecond truncates
  EXPECT_EQ(ParseDuration("2562047h"), 2562047h);
}

TEST(ParseDuration, RefusesWhatGoRefusesAndNegatives) {
  for (const char* bad : {"", "10", "s", ".s", "1.2.3s", "1x", "5 s", "1d", "1sec", "h1", "+",
                          "-1s", "1s-", "1e3s", "abc"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

TEST(ParseDuration, ReportsWhy) {
  EXPECT_EQ(ParseGoDuration("10").error, DurationError::kMissingUnit);
  EXPECT_EQ(ParseGoDuration("10d").error, DurationError::kUnknownUnit);
  EXPECT_EQ(ParseGoDuration("x").error, DurationError::kSyntax);
  EXPECT_EQ(ParseGoDuration("-1s").error, DurationError::kNegative);
  EXPECT_EQ(ParseGoDuration("-0s").error, DurationError::kNone);
  // 2^63 ns is about 2562047.8 hours.
  EXPECT_EQ(ParseGoDuration("2562048h").error, DurationError::kOverflow);
  EXPECT_EQ(ParseGoDuration("9223372036854775807ns").error, DurationError::kNone);
  EXPECT_EQ(ParseGoDuration("9223372036854775808ns").error, DurationError::kOverflow);
  EXPECT_EQ(ParseGoDuration("99999999999999999999999s").error, DurationError::kOverflow);
  EXPECT_EQ(ParseGoDuration("2562047h2562047h").error, DurationError::kOverflow);
}

TEST(FormatDuration, ShortestExactForm) {
  EXPECT_EQ(FormatDuration(Duration::zero()), "0s");
  EXPECT_EQ(FormatDuration(1s), "1s");
  EXPECT_EQ(FormatDuration(500ms), "500ms");
  EXPECT_EQ(FormatDuration(1500ms), "1.5s");
  EXPECT_EQ(FormatDuration(1050ms), "1.05s");
  EXPECT_EQ(FormatDuration(90min), "1h30m");
  EXPECT_EQ(FormatDuration(1h + 5s), "1h5s");
  EXPECT_EQ(FormatDuration(61s + 500ms), "1m1.5s");
  EXPECT_EQ(FormatDuration(250us), "250us");
  EXPECT_EQ(FormatDuration(1500us), "1.5ms");
  EXPECT_EQ(FormatDuration(7ns), "7ns");
  EXPECT_EQ(FormatDuration(-2s), "-2s");
  // Whatever it prints parses back to the same value.
  for (Duration d : {Duration(1), Duration(999999999), Duration(3723004005006),
                     Duration(std::numeric_limits<int64_t>::max())}) {
    EXPECT_EQ(ParseDuration(FormatDuration(d)), d) << FormatDuration(d);
  }
}

}  // namespace
}  // namespace otlpd::config
