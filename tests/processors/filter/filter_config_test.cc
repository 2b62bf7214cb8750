#include "processors/filter/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/filter/factory.h"

namespace otlpd::processor::filter {
namespace {

using ::testing::HasSubstr;
using ottl::Level;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

// Decodes the map under `filter:` of `yaml` as the service would (Finish included).
std::unique_ptr<FilterConfig> Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  auto cfg = std::make_unique<FilterConfig>();
  const config::Node* node = loaded.root.Find("filter");
  if (node == nullptr) {
    ADD_FAILURE() << "no filter: in\n" << yaml << "\n" << errors.ToString();
    return cfg;
  }
  config::MapReader reader(*node, "processors::filter", errors);
  FilterProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  return cfg;
}

TEST(FilterConfig, DefaultConfigHasNothingToFilter) {
  config::Errors errors;
  auto cfg = Decode("filter:\n", errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg->error_mode, ErrorMode::kIgnore);
  EXPECT_EQ(cfg->traces, nullptr);
  EXPECT_EQ(cfg->metrics, nullptr);
  EXPECT_EQ(cfg->logs, nullptr);
}

TEST(FilterConfig, ContextListsFileConditionsUnderTheirContext) {
  config::Errors errors;
  auto cfg = Decode(R"(filter:
  error_mode: propagate
  traces:
    span: ['name == "a"', 'kind == SPAN_KIND_CLIENT']
    spanevent: ['name == "e"']
  metrics:
    metric: ['name == "m"']
    datapoint: ['value_int > 3']
  logs:
    log_record: ['severity_number < SEVERITY_NUMBER_WARN']
)", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg->error_mode, ErrorMode::kPropagate);
  ASSERT_NE(cfg->traces, nullptr);
  EXPECT_EQ(cfg->traces->group(Level::kSpan).size(), 2u);
  EXPECT_EQ(cfg->traces->group(Level::kSpanEvent).size(), 1u);
  ASSERT_NE(cfg->metrics, nullptr);
  EXPECT_EQ(cfg->metrics->group(Level::kMetric).size(), 1u);
  EXPECT_EQ(cfg->metrics->group(Level::kDataPoint).size(), 1u);
  ASSERT_NE(cfg->logs, nullptr);
  EXPECT_EQ(cfg->logs->group(Level::kLog).size(), 1u);
}

TEST(FilterConfig, FlatListsInferTheContext) {
  config::Errors errors;
  auto cfg = Decode(R"(filter:
  trace_conditions:
    - 'resource.attributes["env"] == "dev"'
    - 'scope.name == "noisy-lib"'
    - 'span.name == "x" and resource.attributes["env"] == "prod"'
    - 'IsMatch(spanevent.name, "grpc")'
    - context: span
      error_mode: silent
      conditions: ['name == "unprefixed in an explicit context"']
  metric_conditions: ['datapoint.value_int > 3', 'metric.name == "m"']
  log_conditions: ['log.body == "x"']
)", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  ASSERT_NE(cfg->traces, nullptr);
  EXPECT_EQ(cfg->traces->group(Level::kResource).size(), 1u);
  EXPECT_EQ(cfg->traces->group(Level::kScope).size(), 1u);
  EXPECT_EQ(cfg->traces->group(Level::kSpan).size(), 2u);
  EXPECT_EQ(cfg->traces->group(Level::kSpanEvent).size(), 1u);
  EXPECT_EQ(cfg->metrics->group(Level::kDataPoint).size(), 1u);
  EXPECT_EQ(cfg->metrics->group(Level::kMetric).size(), 1u);
  EXPECT_EQ(cfg->logs->group(Level::kLog).size(), 1u);
}

TEST(FilterConfig, BadConditionIsReportedAtItsScalarWithItsColumn) {
  config::Errors errors;
  Decode(R"(filter:
  traces:
    span:
      - 'name == "x"'
      - 'IsMath(name, "x")'
      - 'name == "a" and nme == "b"'
)", errors);
  ASSERT_EQ(errors.size(), 2u) << errors.ToString();
  const std::string text = errors.ToString();
  EXPECT_THAT(text, HasSubstr("test.yaml:5:9: processors::filter::traces::span[1]: "
                              "column 1: unknown function \"IsMath\" (did you mean \"IsMatch\"?)"));
  EXPECT_THAT(text, HasSubstr("test.yaml:6:9: processors::filter::traces::span[2]: "
                              "column 17: unknown path \"nme\" in the span context (did you mean "
                              "\"name\"?)"));
}

TEST(FilterConfig, BadRegexIsAConfigError) {
  config::Errors errors;
  Decode(R"(filter:
  logs:
    log_record: ['IsMatch(body, "(")']
)", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors.ToString(),
              HasSubstr("processors::filter::logs::log_record[0]: column 15: invalid "
                        "regular expression \"(\""));
}

TEST(FilterConfig, StructuralErrors) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {"filter:\n  error_mode: loud\n", "processors::filter::error_mode"},
           {"filter:\n  traces:\n    spans: ['name == \"x\"']\n", "unknown key"},
           {"filter:\n  tracez: {}\n", "unknown key"},
           {"filter:\n  traces:\n    span: 'name == \"x\"'\n", "expected a list of conditions"},
           {"filter:\n  traces:\n    span:\n      - {a: b}\n",
            "traces::span[0]: expected a condition string, got a map"},
           {"filter:\n  traces: {span: ['name == \"x\"']}\n  trace_conditions: ['span.name == \"y\"']\n",
            "cannot be combined with \"traces\""},
           {"filter:\n  trace_conditions:\n    - context: datapoint\n      conditions: ['name == \"x\"']\n",
            "unknown context \"datapoint\"; valid: resource, scope, span, spanevent"},
           {"filter:\n  trace_conditions:\n    - context: span\n", "missing required key \"conditions\""},
           {"filter:\n  trace_conditions:\n    - {conditions: ['x == 1'], colour: red}\n", "unknown key"},
           {"filter:\n  trace_conditions: ['name == \"x\"']\n", "needs a context prefix"},
           {"filter:\n  metric_conditions: ['span.name == \"x\"']\n", "needs a context prefix"},
       }) {
    config::Errors errors;
    Decode(c.yaml, errors);
    EXPECT_FALSE(errors.empty()) << c.yaml;
    EXPECT_THAT(errors.ToString(), HasSubstr(c.expected)) << c.yaml;
  }
}

}  // namespace
}  // namespace otlpd::processor::filter
