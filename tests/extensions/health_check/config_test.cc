// health_check config decoding and the Go-style time texts of its answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "extensions/health_check/config.h"
#include "extensions/health_check/factory.h"
#include "extensions/health_check/go_time_format.h"

namespace otlpd::extension::health_check {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

Config Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(
      yaml, "c.yaml", [](const std::string&) { return std::optional<std::string>(); }, errors);
  HealthCheckFactory factory;
  auto cfg = factory.CreateDefaultConfig();
  const config::Node* node = loaded.root.Find("health_check");
  EXPECT_NE(node, nullptr);
  if (node == nullptr) return Config();
  config::MapReader reader(*node, "extensions::health_check", errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  return static_cast<Config&>(*cfg);
}

TEST(HealthCheckConfigTest, Defaults) {
  config::Errors errors;
  Config cfg = Decode("health_check:\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.endpoint, "localhost:13133");
  EXPECT_EQ(cfg.path, "/");
  EXPECT_FALSE(cfg.response_body.has_value());
  EXPECT_FALSE(cfg.check_collector_pipeline.enabled);
  EXPECT_EQ(cfg.check_collector_pipeline.interval, 5min);
  EXPECT_EQ(cfg.check_collector_pipeline.exporter_failure_threshold, 5);
}

TEST(HealthCheckConfigTest, ReferencePipelineBlockAndEveryKey) {
  config::Errors errors;
  Config ref = Decode("health_check:\n  endpoint: 0.0.0.0:13133\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ref.endpoint, "0.0.0.0:13133");

  Config cfg = Decode(R"(health_check:
  endpoint: "[::1]:13134"
  path: /health/status
  response_body: {healthy: up, unhealthy: down}
  check_collector_pipeline: {enabled: true, interval: 30s, exporter_failure_threshold: 3}
)",
                      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.endpoint, "[::1]:13134");
  EXPECT_EQ(cfg.path, "/health/status");
  ASSERT_TRUE(cfg.response_body.has_value());
  EXPECT_EQ(cfg.response_body->healthy, "up");
  EXPECT_EQ(cfg.response_body->unhealthy, "down");
  EXPECT_TRUE(cfg.check_collector_pipeline.enabled);
  EXPECT_EQ(cfg.check_collector_pipeline.interval, 30s);
  EXPECT_EQ(cfg.check_collector_pipeline.exporter_failure_threshold, 3);
}

TEST(HealthCheckConfigTest, InvalidValuesAreErrors) {
  config::Errors errors;
  Decode(R"(health_check:
  endpoint: 13133
  path: health
  check_collector_pipeline: {interval: 0s, exporter_failure_threshold: 0, enable: true}
  tls: {}
)",
         errors);
  const std::string text = errors.ToString();
  EXPECT_THAT(text, HasSubstr("extensions::health_check::endpoint: invalid endpoint \"13133\""));
  EXPECT_THAT(text, HasSubstr("extensions::health_check::path: must start with /"));
  EXPECT_THAT(text, HasSubstr("interval: must be >= 1ms"));
  EXPECT_THAT(text, HasSubstr("exporter_failure_threshold: must be >= 1"));
  EXPECT_THAT(text, HasSubstr("unknown key \"enable\" (did you mean \"enabled\"?)"));
  EXPECT_THAT(text, HasSubstr("unknown key \"tls\""));
}

TEST(GoTimeFormatTest, DurationsAsGoPrintsThem) {
  EXPECT_EQ(FormatGoDuration(0ns), "0s");
  EXPECT_EQ(FormatGoDuration(999ns), "999ns");
  EXPECT_EQ(FormatGoDuration(1500ns), "1.5\u00b5s");
  EXPECT_EQ(FormatGoDuration(2ms), "2ms");
  EXPECT_EQ(FormatGoDuration(1234567ns), "1.234567ms");
  EXPECT_EQ(FormatGoDuration(1s), "1s");
  EXPECT_EQ(FormatGoDuration(49013251800ns), "49.0132518s");
  EXPECT_EQ(FormatGoDuration(61500ms), "1m1.5s");
  EXPECT_EQ(FormatGoDuration(1h), "1h0m0s");
  EXPECT_EQ(FormatGoDuration(72h + 3min + 500ms), "72h3m0.5s");
  EXPECT_EQ(FormatGoDuration(-90s), "-1m30s");
}

TEST(GoTimeFormatTest, Rfc3339NanoInUtc) {
  using std::chrono::system_clock;
  EXPECT_EQ(FormatRfc3339Nano(system_clock::from_time_t(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Nano(system_clock::from_time_t(1605067951) + 684717400ns),
            "2020-11-11T04:12:31.6847174Z");
}

}  // namespace
}  // namespace otlpd::extension::health_check
