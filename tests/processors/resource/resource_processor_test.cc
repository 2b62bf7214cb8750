#include "processors/resource/resource_processor.h"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/resource/config.h"
#include "processors/resource/factory.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::resource {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;
using otlpd::testing::SinkConsumer;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

std::unique_ptr<ResourceConfig> DecodeNode(const config::Node& node, config::Errors& errors) {
  auto cfg = std::make_unique<ResourceConfig>();
  config::MapReader reader(node, "processors::resource", errors);
  ResourceProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  return cfg;
}

std::unique_ptr<ResourceConfig> Decode(const std::string& yaml, config::Errors& errors,
                                       const config::EnvLookup& env = NoEnv) {
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", env, errors);
  return DecodeNode(loaded.root, errors);
}

const AnyValue* ResourceAttr(const opentelemetry::proto::resource::v1::Resource& r,
                             const std::string& key) {
  return FindAttribute(r.attributes(), key);
}

CreateSettings Settings() {
  CreateSettings s;
  s.id = ComponentId("resource");
  return s;
}

// The reference pipeline's resource processor, decoded from the golden config with
// SCOUT_ENVIRONMENT set, applied to every signal through the factory.
TEST(ResourceProcessor, ReferenceUpsertOfDeploymentEnvironment) {
  const char* dir = std::getenv("OTLPD_SOURCE_DIR");
  ASSERT_NE(dir, nullptr) << "OTLPD_SOURCE_DIR is not set";
  config::Errors errors;
  config::LoadResult loaded = config::LoadFiles(
      {std::string(dir) + "/tests/testdata/config/valid/scout-pipeline.yaml"}, {},
      [](const std::string& name) -> std::optional<std::string> {
        if (name == "SCOUT_ENVIRONMENT") return "staging";
        return std::nullopt;
      },
      errors);
  const config::Node* node = loaded.root.Find("processors")->Find("resource");
  ASSERT_NE(node, nullptr);
  config::Errors decode_errors;
  auto cfg = DecodeNode(*node, decode_errors);
  ASSERT_TRUE(decode_errors.empty()) << decode_errors.ToString();

  ResourceProcessorFactory f;
  SinkConsumer<TracesBatch> traces;
  SinkConsumer<MetricsBatch> metrics;
  SinkConsumer<LogsBatch> logs;
  auto t = f.CreateTraces(Settings(), *cfg, traces);
  auto m = f.CreateMetrics(Settings(), *cfg, metrics);
  auto l = f.CreateLogs(Settings(), *cfg, logs);
  ASSERT_TRUE(t.ok() && m.ok() && l.ok());

  TracesBatch tb = MakeTraces(1);
  // A second resource that already says "dev", and a third without any resource at all.
  auto* dev = tb.mutable_request().add_resource_spans();
  UpsertAttribute(dev->mutable_resource()->mutable_attributes(), "deployment.environment")
      .set_string_value("dev");
  tb.mutable_request().add_resource_spans()->add_scope_spans()->add_spans()->set_name("bare");
  ASSERT_TRUE((*t)->Consume(std::move(tb)).ok());
  ASSERT_TRUE((*m)->Consume(MakeMetrics(1)).ok());
  ASSERT_TRUE((*l)->Consume(MakeLogs(1)).ok());

  const auto out_batches = traces.Batches();
  ASSERT_EQ(out_batches.size(), 1u);
  const auto& out = out_batches[0].request();
  ASSERT_EQ(out.resource_spans_size(), 3);
  for (const auto& rs : out.resource_spans()) {
    ASSERT_NE(ResourceAttr(rs.resource(), "deployment.environment"), nullptr);
    EXPECT_EQ(ResourceAttr(rs.resource(), "deployment.environment")->string_value(), "staging");
  }
  EXPECT_EQ(out.resource_spans(0).resource().attributes_size(), 2);  // service.name kept
  EXPECT_EQ(out.resource_spans(1).resource().attributes_size(), 1);  // replaced, not added
  EXPECT_EQ(ResourceAttr(metrics.Batches()[0].request().resource_metrics(0).resource(),
                         "deployment.environment")
                ->string_value(),
            "staging");
  EXPECT_EQ(ResourceAttr(logs.Batches()[0].request().resource_logs(0).resource(),
                         "deployment.environment")
                ->string_value(),
            "staging");
}

TEST(ResourceProcessor, ValuesAreTypedFromYaml) {
  config::Errors errors;
  auto cfg = Decode(R"(attributes:
  - {key: int, value: 123, action: upsert}
  - {key: quoted, value: "123", action: upsert}
  - {key: double, value: 1.5, action: upsert}
  - {key: bool, value: true, action: upsert}
  - {key: text, value: prod, action: upsert}
  - {key: list, value: [a, 1], action: upsert}
  - key: from_env_plain
    value: ${PORT}
    action: upsert
)",
                    errors, [](const std::string& n) -> std::optional<std::string> {
                      if (n == "PORT") return "4318";
                      return std::nullopt;
                    });
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  SinkConsumer<TracesBatch> sink;
  ResourceProcessor<TracesBatch> p(cfg->attributes, sink);
  ASSERT_TRUE(p.Consume(MakeTraces(1)).ok());
  const auto r_batches = sink.Batches();
  ASSERT_EQ(r_batches.size(), 1u);
  const auto& r = r_batches[0].request().resource_spans(0).resource();
  EXPECT_EQ(ResourceAttr(r, "int")->int_value(), 123);
  EXPECT_EQ(ResourceAttr(r, "quoted")->string_value(), "123");
  EXPECT_DOUBLE_EQ(ResourceAttr(r, "double")->double_value(), 1.5);
  EXPECT_TRUE(ResourceAttr(r, "bool")->bool_value());
  EXPECT_EQ(ResourceAttr(r, "text")->string_value(), "prod");
  EXPECT_EQ(ResourceAttr(r, "list")->array_value().values(1).int_value(), 1);
  // A whole-value expansion is typed by YAML, as in the Collector.
  EXPECT_EQ(ResourceAttr(r, "from_env_plain")->int_value(), 4318);
}

TEST(ResourceProcessor, EveryActionReachesResourceAttributes) {
  config::Errors errors;
  auto cfg = Decode(R"(attributes:
  - {key: service.name, action: hash}
  - {key: copy, from_attribute: service.name, action: insert}
  - {key: service.name, action: delete}
  - {key: version, value: "2.5", action: insert}
  - {key: version, converted_type: double, action: convert}
)", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  SinkConsumer<LogsBatch> sink;
  ResourceProcessor<LogsBatch> p(cfg->attributes, sink);
  ASSERT_TRUE(p.Consume(MakeLogs(1, "secret-service")).ok());
  const auto r_batches = sink.Batches();
  ASSERT_EQ(r_batches.size(), 1u);
  const auto& r = r_batches[0].request().resource_logs(0).resource();
  EXPECT_EQ(ResourceAttr(r, "service.name"), nullptr);
  AnyValue original;
  original.set_string_value("secret-service");
  EXPECT_EQ(ResourceAttr(r, "copy")->string_value(), attributes::HashValue(original));
  EXPECT_DOUBLE_EQ(ResourceAttr(r, "version")->double_value(), 2.5);
}

TEST(ResourceProcessor, AdmitAsksDownstream) {
  config::Errors errors;
  auto cfg = Decode("attributes: [{key: a, value: b, action: upsert}]\n", errors);
  SinkConsumer<MetricsBatch> sink;
  ResourceProcessor<MetricsBatch> p(cfg->attributes, sink);
  sink.SetAdmit(UnavailableError("full"));
  EXPECT_EQ(p.Admit().code(), StatusCode::kUnavailable);
}

TEST(ResourceConfig, Errors) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {"x: 1\n", "processors::resource::attributes: missing required key \"attributes\""},
           {"attributes:\n  - {key: a, value: b}\n", "missing required key \"action\""},
           {"attributes:\n  - {value: b, action: upsert}\n", "missing required key \"key\""},
           {"attributes:\n  - {key: a, value: b, from_attribute: c, action: upsert}\n",
            "takes only one of"},
           {"attributes:\n  - {key: a, value: b, action: merge}\n", "unknown action \"merge\""},
           {"attributes:\n  - {pattern: '[', action: delete}\n", "invalid regular expression"},
           {"attributes: [{key: a, value: b, action: upsert}]\nactions: []\n",
            "processors::resource::actions: unknown key"},
       }) {
    config::Errors errors;
    Decode(c.yaml, errors);
    EXPECT_FALSE(errors.empty()) << c.yaml;
    EXPECT_THAT(errors.ToString(), HasSubstr(c.expected)) << c.yaml;
  }
}

}  // namespace
}  // namespace otlpd::processor::resource
