#include "pipeline/service_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/pipeline/test_graph_env.h"

namespace otlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestGraphEnv;

// Every error line, for exact comparisons.
std::vector<std::string> Lines(const config::Errors& errors) {
  std::vector<std::string> out;
  std::string text = errors.ToString();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TEST(ServiceConfigTest, DecodesAValidConfigAndResolvesAliases) {
  TestGraphEnv env;
  config::Errors errors;
  ServiceConfig cfg = env.Decode(R"(
extensions:
  test_extension:
receivers:
  test_receiver:
processors:
  test_processor/a:
    tag: first
exporters:
  testexp/out:
service:
  extensions: [test_extension]
  telemetry:
    logs:
      level: debug
      encoding: json
  pipelines:
    traces:
      receivers: [test_receiver]
      processors: [test_processor/a]
      exporters: [test_exporter/out]
)", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  ASSERT_EQ(cfg.exporters.size(), 1u);
  EXPECT_EQ(cfg.exporters.begin()->first.ToString(), "test_exporter/out");  // alias resolved
  EXPECT_EQ(cfg.exporters.begin()->second.written_as, "testexp/out");
  ASSERT_EQ(cfg.pipelines.size(), 1u);
  EXPECT_EQ(cfg.pipelines[0].IdString(), "traces");
  EXPECT_EQ(cfg.pipelines[0].exporters[0].ToString(), "test_exporter/out");
  EXPECT_EQ(cfg.enabled_extensions.size(), 1u);
  EXPECT_EQ(cfg.telemetry.logs.level, spdlog::level::debug);
  EXPECT_TRUE(cfg.telemetry.logs.json);
  const auto& proc = static_cast<const testing::TestConfig&>(*cfg.processors.begin()->second.config);
  EXPECT_EQ(proc.tag, "first");
}

TEST(ServiceConfigTest, ReportsEveryProblemWithLocationAndPath) {
  TestGraphEnv env;
  config::Errors errors;
  env.Decode(R"(receivers:
  test_receivr:
  test_receiver:
    tagg: x
processors:
  1bad:
exporters:
  test_exporter/b14:
  testexp/b14:
service:
  pipelines:
    traces:
      receivers: [test_receiver]
      processors: [test_processor/2]
      exporters: [test_exporter/b14]
    metrics:
      receivers: [test_receiver]
      exporters: [test_exporter/b14]
    logs/x:
      exporters: []
    spans:
      receivers: [test_receiver]
)", errors);
  EXPECT_THAT(Lines(errors),
              ElementsAre(
                  "test.yaml:2:3: receivers::test_receivr: unknown receiver type \"test_receivr\" "
                  "(did you mean \"test_receiver\"?)",
                  "test.yaml:4:5: receivers::test_receiver::tagg: unknown key \"tagg\" (did you "
                  "mean \"tag\"?)",
                  "test.yaml:6:3: processors::1bad: invalid component ID \"1bad\": the type must "
                  "match ^[a-zA-Z][0-9a-zA-Z_]{0,62}$",
                  "test.yaml:9:3: exporters::testexp/b14: exporter \"test_exporter/b14\" is "
                  "defined twice (also as \"test_exporter/b14\" at test.yaml:8:3)",
                  "test.yaml:14:20: service::pipelines::traces::processors[0]: references "
                  "processor \"test_processor/2\" which is not configured",
                  "test.yaml:18:19: service::pipelines::metrics::exporters[0]: exporter "
                  "\"test_exporter/b14\" does not support metrics",
                  "test.yaml:19:5: service::pipelines::logs/x::receivers: a pipeline needs at "
                  "least one receiver",
                  "test.yaml:20:18: service::pipelines::logs/x::exporters: a pipeline needs at "
                  "least one exporter",
                  "test.yaml:21:5: service::pipelines::spans: invalid pipeline ID \"spans\": must "
                  "be traces, metrics or logs, optionally followed by /name"));
}

TEST(ServiceConfigTest, RequiresServiceAndPipelines) {
  TestGraphEnv env;
  config::Errors errors;
  env.Decode("receivers:\n  test_receiver:\n", errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("service: missing"));

  config::Errors errors2;
  env.Decode("service:\n  pipelines: {}\n", errors2);
  EXPECT_THAT(errors2.ToString(), HasSubstr("service::pipelines: at least one pipeline is required"));
}

TEST(ServiceConfigTest, RejectsUnknownTopLevelAndServiceKeys) {
  TestGraphEnv env;
  config::Errors errors;
  env.Decode(R"(recievers: {}
service:
  pipeline: {}
)", errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("test.yaml:1:1: recievers: unknown key \"recievers\" (did you mean \"receivers\"?)"));
  EXPECT_THAT(errors.ToString(), HasSubstr("service::pipeline: unknown key \"pipeline\" (did you mean \"pipelines\"?)"));
}

TEST(ServiceConfigTest, RejectsDanglingAndRepeatedReferences) {
  TestGraphEnv env;
  config::Errors errors;
  env.Decode(R"(receivers:
  test_receiver:
exporters:
  test_exporter:
service:
  extensions: [test_extension/missing]
  pipelines:
    traces:
      receivers: [test_receiver, test_receiver]
      exporters: [test_exporter]
)", errors);
  EXPECT_THAT(errors.ToString(),
              HasSubstr("service::extensions[0]: references extension \"test_extension/missing\" "
                        "which is not configured"));
  EXPECT_THAT(errors.ToString(),
              HasSubstr("service::pipelines::traces::receivers[1]: references receiver "
                        "\"test_receiver\" more than once"));
}

}  // namespace
}  // namespace otlpd
