#include "processors/attributes/attributes_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/attributes/factory.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::attributes {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;
using otlpd::testing::SinkConsumer;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

std::unique_ptr<AttributesConfig> Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  auto cfg = std::make_unique<AttributesConfig>();
  config::MapReader reader(loaded.root, "processors::attributes", errors);
  AttributesProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  return cfg;
}

std::unique_ptr<AttributesConfig> MustDecode(const std::string& yaml) {
  config::Errors errors;
  auto cfg = Decode(yaml, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  return cfg;
}

const AnyValue* Attr(const AttributeList& attrs, const std::string& key) {
  return FindAttribute(attrs, key);
}

CreateSettings Settings() {
  CreateSettings s;
  s.id = ComponentId("attributes");
  return s;
}

// Two resources (checkout, billing); spans named span-<i>; span-1 of checkout is a SERVER span
// with http.route=/api/cart.
TracesBatch TwoServices() {
  TracesBatch batch = MakeTraces(2, "checkout");
  auto* span = batch.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(1);
  span->set_kind(opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
  UpsertAttribute(span->mutable_attributes(), "http.route").set_string_value("/api/cart");
  *batch.mutable_request().add_resource_spans() = MakeTraces(1, "billing").request().resource_spans(0);
  return batch;
}

// Which spans got the `tag` attribute, as "service/span".
std::vector<std::string> Tagged(const TracesBatch& batch) {
  std::vector<std::string> out;
  for (const auto& rs : batch.request().resource_spans()) {
    const std::string service = rs.resource().attributes(0).value().string_value();
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& s : ss.spans()) {
        if (Attr(s.attributes(), "tag") != nullptr) out.push_back(service + "/" + s.name());
      }
    }
  }
  return out;
}

std::vector<std::string> RunTraces(const std::string& yaml) {
  auto cfg = MustDecode(yaml);
  SinkConsumer<TracesBatch> sink;
  AttributesTracesProcessor p(*cfg, sink);
  EXPECT_TRUE(p.Consume(TwoServices()).ok());
  auto got = sink.Batches();
  if (got.size() != 1) {
    ADD_FAILURE() << "expected one batch";
    return {};
  }
  return Tagged(got[0]);
}

const char* kTag = "actions: [{key: tag, value: x, action: upsert}]\n";

TEST(AttributesProcessor, AppliesToEverySpanWithoutIncludeOrExclude) {
  EXPECT_THAT(RunTraces(kTag), ::testing::ElementsAre("checkout/span-0", "checkout/span-1",
                                                      "billing/span-0"));
}

TEST(AttributesProcessor, IncludeAndExcludeSelectSpans) {
  struct Case {
    std::string filter;
    std::vector<std::string> tagged;
  };
  for (const Case& c : std::vector<Case>{
           {"include: {match_type: strict, services: [billing]}\n", {"billing/span-0"}},
           {"exclude: {match_type: strict, services: [billing]}\n",
            {"checkout/span-0", "checkout/span-1"}},
           {"include: {match_type: regexp, span_names: ['-1$']}\n", {"checkout/span-1"}},
           {"include: {match_type: strict, span_kinds: [SPAN_KIND_SERVER]}\n", {"checkout/span-1"}},
           {"include: {match_type: strict, attributes: [{key: http.route, value: /api/cart}]}\n",
            {"checkout/span-1"}},
           {"include: {match_type: strict, attributes: [{key: http.route}]}\n", {"checkout/span-1"}},
           {"include: {match_type: regexp, attributes: [{key: http.route, value: '^/api/'}]}\n",
            {"checkout/span-1"}},
           {"include: {match_type: strict, attributes: [{key: http.route, value: /other}]}\n", {}},
           {"include: {match_type: strict, resources: [{key: service.name, value: checkout}]}\n",
            {"checkout/span-0", "checkout/span-1"}},
           {"include: {match_type: strict, libraries: [{name: test-scope}]}\n",
            {"checkout/span-0", "checkout/span-1", "billing/span-0"}},
           {"include: {match_type: strict, libraries: [{name: test-scope, version: '9'}]}\n", {}},
           {"include: {match_type: regexp, services: [check]}\n"
            "exclude: {match_type: strict, span_names: [span-0]}\n",
            {"checkout/span-1"}},
           // Every property set must match: right service, wrong name.
           {"include: {match_type: strict, services: [billing], span_names: [span-1]}\n", {}},
       }) {
    EXPECT_EQ(RunTraces(std::string(kTag) + c.filter), c.tagged) << c.filter;
  }
}

TEST(AttributesProcessor, LogRecords) {
  auto cfg = MustDecode(
      "actions: [{key: tag, value: 1, action: insert}]\n"
      "include: {match_type: regexp, log_bodies: ['^log-[02]$']}\n");
  SinkConsumer<LogsBatch> sink;
  AttributesLogsProcessor p(*cfg, sink);
  ASSERT_TRUE(p.Consume(MakeLogs(3)).ok());
  const auto records_batches = sink.Batches();
  ASSERT_EQ(records_batches.size(), 1u);
  const auto& records = records_batches[0].request().resource_logs(0).scope_logs(0).log_records();
  ASSERT_EQ(records.size(), 3);
  EXPECT_NE(Attr(records[0].attributes(), "tag"), nullptr);
  EXPECT_EQ(Attr(records[1].attributes(), "tag"), nullptr);
  EXPECT_EQ(Attr(records[2].attributes(), "tag")->int_value(), 1);
}

TEST(AttributesProcessor, MetricDataPoints) {
  auto cfg = MustDecode(
      "actions: [{key: host, value: a, action: upsert}]\n"
      "include: {match_type: strict, metric_names: [test.gauge]}\n");
  SinkConsumer<MetricsBatch> sink;
  AttributesMetricsProcessor p(*cfg, sink);
  MetricsBatch batch = MakeMetrics(2);
  auto* other = batch.mutable_request().mutable_resource_metrics(0)->mutable_scope_metrics(0)->add_metrics();
  other->set_name("other");
  other->mutable_histogram()->add_data_points()->set_count(1);
  ASSERT_TRUE(p.Consume(std::move(batch)).ok());
  const auto metrics_batches = sink.Batches();
  ASSERT_EQ(metrics_batches.size(), 1u);
  const auto& metrics = metrics_batches[0].request().resource_metrics(0).scope_metrics(0).metrics();
  for (const auto& dp : metrics[0].gauge().data_points()) {
    EXPECT_EQ(Attr(dp.attributes(), "host")->string_value(), "a");
  }
  EXPECT_EQ(Attr(metrics[1].histogram().data_points(0).attributes(), "host"), nullptr);
}

TEST(AttributesProcessor, AdmitAsksDownstream) {
  auto cfg = MustDecode(kTag);
  SinkConsumer<TracesBatch> sink;
  AttributesTracesProcessor p(*cfg, sink);
  sink.SetAdmit(UnavailableError("full"));
  EXPECT_EQ(p.Admit().code(), StatusCode::kUnavailable);
}

TEST(AttributesFactory, RefusesPropertiesThatCannotApplyToTheSignal) {
  AttributesProcessorFactory f;
  auto cfg = MustDecode(std::string(kTag) + "include: {match_type: strict, span_names: [a]}\n");
  SinkConsumer<TracesBatch> traces;
  SinkConsumer<LogsBatch> logs;
  SinkConsumer<MetricsBatch> metrics;
  EXPECT_TRUE(f.CreateTraces(Settings(), *cfg, traces).ok());
  auto l = f.CreateLogs(Settings(), *cfg, logs);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status().message(), HasSubstr("span_names cannot select logs items"));
  EXPECT_FALSE(f.CreateMetrics(Settings(), *cfg, metrics).ok());

  auto plain = MustDecode(kTag);
  EXPECT_TRUE(f.CreateLogs(Settings(), *plain, logs).ok());
  EXPECT_TRUE(f.CreateMetrics(Settings(), *plain, metrics).ok());
}

TEST(AttributesConfig, Errors) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {"include: {match_type: strict, services: [a]}\n", "missing required key \"actions\""},
           {"actions: [{key: a, value: 1, action: upsert}]\ninclude: {services: [a]}\n",
            "include: missing required key \"match_type\""},
           {"actions: [{key: a, value: 1, action: upsert}]\ninclude: {match_type: fuzzy, services: [a]}\n",
            "include::match_type"},
           {"actions: [{key: a, value: 1, action: upsert}]\nexclude: {match_type: strict}\n",
            "needs at least one of services"},
           {"actions: [{key: a, value: 1, action: upsert}]\n"
            "include: {match_type: regexp, span_names: ['(']}\n",
            "include::span_names: invalid regular expression"},
           {"actions: [{key: a, value: 1, action: upsert}]\n"
            "include: {match_type: regexp, attributes: [{key: k, value: 3}]}\n",
            "value must be a string pattern"},
           {"actions: [{key: a, value: 1, action: upsert}]\n"
            "include: {match_type: strict, attributes: [{value: 3}]}\n",
            "include::attributes[0]: missing required key \"key\""},
           {"actions: [{key: a, value: 1, action: upsert}]\n"
            "include: {match_type: strict, log_severity_number: {min: WARN}}\n",
            "include::log_severity_number: unknown key"},
       }) {
    config::Errors errors;
    Decode(c.yaml, errors);
    EXPECT_FALSE(errors.empty()) << c.yaml;
    EXPECT_THAT(errors.ToString(), HasSubstr(c.expected)) << c.yaml;
  }
}

}  // namespace
}  // namespace otlpd::processor::attributes
