// service::telemetry::metrics: the endpoint's level and address, in both of the Collector's
// forms.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/service_config.h"
#include "tests/pipeline/test_graph_env.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using Level = TelemetryMetricsConfig::Level;

ServiceConfig DecodeTelemetry(const std::string& telemetry_yaml, config::Errors& errors) {
  testing::TestGraphEnv env;
  return env.Decode(R"(receivers:
  test_receiver:
exporters:
  test_exporter:
service:
  pipelines:
    traces:
      receivers: [test_receiver]
      exporters: [test_exporter]
  telemetry:
)" + telemetry_yaml,
                    errors);
}

TEST(TelemetryConfigTest, DefaultsToNormalOnLocalhost8888) {
  config::Errors errors;
  ServiceConfig cfg = DecodeTelemetry("    logs: {level: info}\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.telemetry.metrics.level, Level::kNormal);
  EXPECT_EQ(cfg.telemetry.metrics.address, "localhost:8888");
}

TEST(TelemetryConfigTest, LevelAndAddress) {
  config::Errors errors;
  ServiceConfig cfg =
      DecodeTelemetry("    metrics:\n      level: detailed\n      address: 0.0.0.0:9999\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.telemetry.metrics.level, Level::kDetailed);
  EXPECT_EQ(cfg.telemetry.metrics.address, "0.0.0.0:9999");

  config::Errors none_errors;
  ServiceConfig none = DecodeTelemetry("    metrics: {level: none}\n", none_errors);
  ASSERT_TRUE(none_errors.empty()) << none_errors.ToString();
  EXPECT_EQ(none.telemetry.metrics.level, Level::kNone);
}

TEST(TelemetryConfigTest, PullPrometheusReader) {
  config::Errors errors;
  ServiceConfig cfg = DecodeTelemetry(R"(    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: '::'
                port: 8889
)",
                                      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.telemetry.metrics.level, Level::kBasic);
  EXPECT_EQ(cfg.telemetry.metrics.address, "[::]:8889");
}

TEST(TelemetryConfigTest, RejectsWhatItCannotServe) {
  config::Errors errors;
  DecodeTelemetry(R"(    metrics:
      level: verbose
      readers:
        - periodic:
            exporter:
              otlp: {protocol: http/protobuf, endpoint: http://x:4318}
)",
                  errors);
  const std::string text = errors.ToString();
  EXPECT_THAT(text, HasSubstr("service::telemetry::metrics::level: must be one of none, basic, "
                              "normal, detailed"));
  EXPECT_THAT(text, HasSubstr("service::telemetry::metrics::readers[0]::periodic: periodic (push) "
                              "readers are not supported"));

  config::Errors both;
  DecodeTelemetry(R"(    metrics:
      address: localhost:8888
      readers:
        - pull: {exporter: {prometheus: {host: localhost, port: 8888, without_units: true}}}
)",
                  both);
  EXPECT_THAT(both.ToString(), HasSubstr("set address or readers, not both"));
  EXPECT_THAT(both.ToString(), HasSubstr("unknown key \"without_units\""));

  config::Errors bad_address;
  DecodeTelemetry("    metrics: {address: 8888}\n", bad_address);
  EXPECT_THAT(bad_address.ToString(),
              HasSubstr("service::telemetry::metrics::address: invalid endpoint \"8888\""));

  config::Errors no_port;
  DecodeTelemetry("    metrics:\n      readers: [{pull: {exporter: {prometheus: {host: x}}}}]\n",
                  no_port);
  EXPECT_THAT(no_port.ToString(), HasSubstr("port: missing"));
}

}  // namespace
}  // namespace otlpd
