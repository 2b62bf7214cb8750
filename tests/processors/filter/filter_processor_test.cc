#include "processors/filter/filter_processor.h"

#include <spdlog/sinks/ostream_sink.h>

#include <cstdlib>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "processors/filter/factory.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::filter {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using otlpd::testing::ErrConsumer;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;
using otlpd::testing::SinkConsumer;
namespace trace = opentelemetry::proto::trace::v1;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

std::unique_ptr<FilterConfig> DecodeNode(const config::Node& node) {
  config::Errors errors;
  auto cfg = std::make_unique<FilterConfig>();
  config::MapReader reader(node, "processors::filter", errors);
  FilterProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  return cfg;
}

// The filter config under `filter:` in `yaml`; the test fails on any config error.
std::unique_ptr<FilterConfig> Decode(const std::string& yaml) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const config::Node* node = loaded.root.Find("filter");
  if (node == nullptr) {
    ADD_FAILURE() << "no filter: in the yaml";
    return std::make_unique<FilterConfig>();
  }
  return DecodeNode(*node);
}

// filter/noisy exactly as the reference pipeline writes it (the golden copy in testdata).
std::unique_ptr<FilterConfig> ReferenceFilter() {
  const char* dir = std::getenv("OTLPD_SOURCE_DIR");
  if (dir == nullptr) {
    ADD_FAILURE() << "OTLPD_SOURCE_DIR is not set";
    return std::make_unique<FilterConfig>();
  }
  config::Errors errors;
  config::LoadResult loaded = config::LoadFiles(
      {std::string(dir) + "/tests/testdata/config/valid/scout-pipeline.yaml"}, {}, NoEnv, errors);
  const config::Node* processors = loaded.root.Find("processors");
  const config::Node* node = processors ? processors->Find("filter/noisy") : nullptr;
  if (node == nullptr) {
    ADD_FAILURE() << "processors::filter/noisy not found: " << errors.ToString();
    return std::make_unique<FilterConfig>();
  }
  return DecodeNode(*node);
}

TracesBatch SpansNamed(const std::vector<std::string>& names) {
  TracesBatch batch = MakeTraces(static_cast<int>(names.size()));
  auto* spans = batch.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  for (size_t i = 0; i < names.size(); ++i) spans->Mutable(static_cast<int>(i))->set_name(names[i]);
  return batch;
}

std::vector<std::string> SpanNames(const std::vector<TracesBatch>& batches) {
  std::vector<std::string> out;
  for (const auto& b : batches) {
    for (const auto& rs : b.request().resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& s : ss.spans()) out.push_back(s.name());
      }
    }
  }
  return out;
}

void SetAttr(trace::Span* span, const std::string& key, int64_t v) {
  auto* kv = span->add_attributes();
  kv->set_key(key);
  kv->mutable_value()->set_int_value(v);
}
void SetAttr(trace::Span* span, const std::string& key, const std::string& v) {
  auto* kv = span->add_attributes();
  kv->set_key(key);
  kv->mutable_value()->set_string_value(v);
}

class FilterProcessorTest : public ::testing::Test {
 protected:
  FilterProcessorTest() {
    logger_ = std::make_shared<spdlog::logger>(
        "processor/filter/noisy", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    settings_.id = ComponentId("filter", "noisy");
    settings_.logger = logger_;
    settings_.metrics = &metrics_;
  }
  int64_t Filtered(std::string_view name) const {
    return metrics_.CounterValue(name, {{"filter", "filter/noisy"}});
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_;
  SelfMetrics metrics_;
  CreateSettings settings_;
  SinkConsumer<TracesBatch> traces_sink_;
  SinkConsumer<MetricsBatch> metrics_sink_;
  SinkConsumer<LogsBatch> logs_sink_;
};

struct ReferenceCase {
  std::string span_name;
  bool dropped;
};

class ReferenceFilterTest : public FilterProcessorTest,
                            public ::testing::WithParamInterface<ReferenceCase> {};

TEST_P(ReferenceFilterTest, DropsExactlyHealthChecksAndTransactionLifecycle) {
  auto cfg = ReferenceFilter();
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(SpansNamed({GetParam().span_name})).ok());
  EXPECT_EQ(traces_sink_.ItemCount(), GetParam().dropped ? 0 : 1) << GetParam().span_name;
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), GetParam().dropped ? 1 : 0);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, ReferenceFilterTest,
    ::testing::Values(ReferenceCase{"GET /api/health", true}, ReferenceCase{"GET /health", true},
                      ReferenceCase{"/api/healthz-anything", true}, ReferenceCase{"BEGIN", true},
                      ReferenceCase{"COMMIT", true}, ReferenceCase{"ROLLBACK", true},
                      ReferenceCase{"COMMIT TRANSACTION", true}, ReferenceCase{"ROLLBACK;", true},
                      ReferenceCase{"BEGINNING", false},
                      ReferenceCase{"INSERT INTO articles", false},
                      ReferenceCase{"GET /api/articles/{id}", false}));

const std::vector<std::string> kReferenceNames = {
    "GET /api/health",   "BEGINNING", "GET /health",  "/api/healthz-anything",
    "INSERT INTO articles", "BEGIN",  "COMMIT",       "ROLLBACK",
    "COMMIT TRANSACTION",   "ROLLBACK;", "GET /api/articles/{id}"};

TEST_F(FilterProcessorTest, ReferenceFilterOneRequestUsesOneRegexSet) {
  auto cfg = ReferenceFilter();
  ASSERT_NE(cfg->traces, nullptr);
  EXPECT_EQ(cfg->error_mode, ErrorMode::kIgnore);
  EXPECT_EQ(cfg->traces->group(ottl::Level::kSpan).size(), 2u);
  EXPECT_EQ(cfg->traces->group(ottl::Level::kSpan).regex_set_count(), 1u);
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(SpansNamed(kReferenceNames)).ok());
  EXPECT_THAT(SpanNames(traces_sink_.Batches()),
              ElementsAre("BEGINNING", "INSERT INTO articles", "GET /api/articles/{id}"));
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 8);
}

// The reference filter on an encoded batch, as the receivers hand it over: filtered on the
// bytes (it stays encoded), with the same survivors and count.
TEST_F(FilterProcessorTest, ReferenceFilterOnAnEncodedRequestKeepsItEncoded) {
  auto cfg = ReferenceFilter();
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  const TraceRequest request = SpansNamed(kReferenceNames).request();
  ASSERT_TRUE(p.Consume(TracesBatch::FromEncoded(request.SerializeAsString(),
                                                 CountItems(request)))
                  .ok());
  const auto batches = traces_sink_.Batches();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_TRUE(batches[0].is_encoded());
  EXPECT_EQ(batches[0].ItemCount(), 3);
  EXPECT_THAT(SpanNames(batches),
              ElementsAre("BEGINNING", "INSERT INTO articles", "GET /api/articles/{id}"));
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 8);
}

TEST_F(FilterProcessorTest, FlatStyleGivesTheSameResult) {
  auto cfg = Decode(R"(filter:
  trace_conditions:
    - 'IsMatch(span.name, ".*(/api)?/health.*")'
    - 'IsMatch(span.name, "^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$")'
)");
  ASSERT_NE(cfg->traces, nullptr);
  EXPECT_EQ(cfg->traces->group(ottl::Level::kSpan).regex_set_count(), 1u);
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(SpansNamed(kReferenceNames)).ok());
  EXPECT_THAT(SpanNames(traces_sink_.Batches()),
              ElementsAre("BEGINNING", "INSERT INTO articles", "GET /api/articles/{id}"));
}

// Span "a" makes the first condition fail (Len of an int); "drop" and "long" are dropped.
TracesBatch ErrorModeBatch() {
  TracesBatch batch = SpansNamed({"a", "drop", "long"});
  auto* spans = batch.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  SetAttr(spans->Mutable(0), "n", int64_t{7});
  SetAttr(spans->Mutable(2), "n", std::string("a long value"));
  return batch;
}

const char* kErrorModeYaml = R"(filter:
  error_mode: %s
  traces:
    span: ['Len(attributes["n"]) > 3', 'name == "drop"']
)";

std::string WithMode(const char* mode) {
  std::string yaml = kErrorModeYaml;
  yaml.replace(yaml.find("%s"), 2, mode);
  return yaml;
}

TEST_F(FilterProcessorTest, ErrorModeIgnoreLogsOncePerRequestAndKeepsGoing) {
  auto cfg = Decode(WithMode("ignore"));
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(ErrorModeBatch()).ok());
  EXPECT_THAT(SpanNames(traces_sink_.Batches()), ElementsAre("a"));
  logger_->flush();
  EXPECT_THAT(log_.str(), HasSubstr("2 condition error(s) ignored"));
  EXPECT_THAT(log_.str(), HasSubstr("Len: expected a string, map or list, got int"));
}

TEST_F(FilterProcessorTest, ErrorModeSilentKeepsGoingWithoutLogging) {
  auto cfg = Decode(WithMode("silent"));
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(ErrorModeBatch()).ok());
  EXPECT_THAT(SpanNames(traces_sink_.Batches()), ElementsAre("a"));
  logger_->flush();
  EXPECT_EQ(log_.str(), "");
}

TEST_F(FilterProcessorTest, ErrorModePropagateFailsTheRequest) {
  auto cfg = Decode(WithMode("propagate"));
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  Status s = p.Consume(ErrorModeBatch());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("filter/noisy"));
  EXPECT_THAT(s.message(), HasSubstr(R"(condition "Len(attributes["n"]) > 3")"));
  EXPECT_FALSE(IsRetryable(s));
  EXPECT_EQ(traces_sink_.Batches().size(), 0u);
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 0);
}

TEST_F(FilterProcessorTest, GroupErrorModeOverridesTheProcessorDefault) {
  auto cfg = Decode(R"(filter:
  error_mode: ignore
  trace_conditions:
    - error_mode: propagate
      conditions: ['Len(span.attributes["n"]) > 3']
)");
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  EXPECT_EQ(p.Consume(ErrorModeBatch()).code(), StatusCode::kInvalidArgument);
}

TEST_F(FilterProcessorTest, EmptyScopesAndResourcesAreRemoved) {
  auto cfg = Decode("filter:\n  traces:\n    span: ['IsMatch(name, \"health\")']\n");
  TracesBatch batch = SpansNamed({"GET /health", "GET /health2"});  // resource 1: all dropped
  TracesBatch other = MakeTraces(2, "service-b");
  auto& req = batch.mutable_request();
  *req.add_resource_spans() = other.request().resource_spans(0);
  // Resource 2 gets a second scope whose only span is dropped.
  auto* extra_scope = req.mutable_resource_spans(1)->add_scope_spans();
  extra_scope->mutable_scope()->set_name("health-lib");
  extra_scope->add_spans()->set_name("health probe");
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(std::move(batch)).ok());
  auto got = traces_sink_.Batches();
  ASSERT_EQ(got.size(), 1u);
  const auto& out = got[0].request();
  ASSERT_EQ(out.resource_spans_size(), 1);
  EXPECT_EQ(out.resource_spans(0).resource().attributes(0).value().string_value(), "service-b");
  ASSERT_EQ(out.resource_spans(0).scope_spans_size(), 1);
  EXPECT_EQ(out.resource_spans(0).scope_spans(0).spans_size(), 2);
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 3);
}

TEST_F(FilterProcessorTest, EverythingDroppedAnswersOkWithoutCallingNext) {
  auto cfg = Decode("filter:\n  traces:\n    span: ['name != \"\"']\n");
  ErrConsumer<TracesBatch> next(InternalError("must not be called"));
  FilterTracesProcessor p(settings_, cfg->traces, next);
  EXPECT_TRUE(p.Consume(MakeTraces(5)).ok());
  EXPECT_EQ(next.calls(), 0);
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 5);
}

TEST_F(FilterProcessorTest, SpanEventsAreFilteredAndDroppedSpansAreNotLookedInto) {
  auto cfg = Decode(R"(filter:
  error_mode: propagate
  traces:
    span: ['name == "dropped"']
    spanevent: ['name == "noise"', 'attributes["n"] != nil and Len(attributes["n"]) > 0']
)");
  TracesBatch batch = SpansNamed({"kept", "dropped", "quiet"});
  auto* spans = batch.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  spans->Mutable(0)->add_events()->set_name("noise");
  spans->Mutable(0)->add_events()->set_name("signal");
  // Would fail under propagate if it were evaluated: it is not, its span is dropped first.
  auto* bad = spans->Mutable(1)->add_events();
  bad->set_name("bad");
  auto* kv = bad->add_attributes();
  kv->set_key("n");
  kv->mutable_value()->set_int_value(1);
  spans->Mutable(2)->add_events()->set_name("noise");
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(std::move(batch)).ok());
  auto got = traces_sink_.Batches();
  ASSERT_EQ(got.size(), 1u);
  const auto& out_spans = got[0].request().resource_spans(0).scope_spans(0).spans();
  ASSERT_EQ(out_spans.size(), 2);
  ASSERT_EQ(out_spans[0].events_size(), 1);
  EXPECT_EQ(out_spans[0].events(0).name(), "signal");
  EXPECT_EQ(out_spans[1].name(), "quiet");  // all its events dropped; the span stays
  EXPECT_EQ(out_spans[1].events_size(), 0);
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 1);
}

TEST_F(FilterProcessorTest, ResourceConditionDropsTheWholeResource) {
  auto cfg = Decode(R"(filter:
  trace_conditions: ['resource.attributes["service.name"] == "noisy"']
)");
  TracesBatch batch = MakeTraces(3, "noisy");
  *batch.mutable_request().add_resource_spans() = MakeTraces(2, "quiet").request().resource_spans(0);
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  ASSERT_TRUE(p.Consume(std::move(batch)).ok());
  EXPECT_EQ(traces_sink_.ItemCount(), 2);
  EXPECT_EQ(Filtered("otelcol_processor_filter_spans.filtered"), 3);
}

TEST_F(FilterProcessorTest, DataPointsAndMetrics) {
  auto cfg = Decode("filter:\n  metrics:\n    datapoint: ['value_int < 2']\n");
  FilterMetricsProcessor p(settings_, cfg->metrics, metrics_sink_);
  ASSERT_TRUE(p.Consume(MakeMetrics(4)).ok());
  EXPECT_EQ(metrics_sink_.ItemCount(), 2);
  EXPECT_EQ(Filtered("otelcol_processor_filter_datapoints.filtered"), 2);
}

TEST_F(FilterProcessorTest, AMetricLeftWithoutPointsIsRemoved) {
  auto cfg = Decode("filter:\n  metrics:\n    datapoint: ['metric.name == \"test.gauge\"']\n");
  MetricsBatch batch = MakeMetrics(3);
  auto* sm = batch.mutable_request().mutable_resource_metrics(0)->mutable_scope_metrics(0);
  auto* other = sm->add_metrics();
  other->set_name("kept.sum");
  other->mutable_sum()->add_data_points()->set_as_double(1);
  FilterMetricsProcessor p(settings_, cfg->metrics, metrics_sink_);
  ASSERT_TRUE(p.Consume(std::move(batch)).ok());
  auto got = metrics_sink_.Batches();
  ASSERT_EQ(got.size(), 1u);
  const auto& metrics = got[0].request().resource_metrics(0).scope_metrics(0).metrics();
  ASSERT_EQ(metrics.size(), 1);
  EXPECT_EQ(metrics[0].name(), "kept.sum");
  EXPECT_EQ(Filtered("otelcol_processor_filter_datapoints.filtered"), 3);
}

TEST_F(FilterProcessorTest, MetricConditionDropsTheMetricAndCountsItsPoints) {
  auto cfg = Decode("filter:\n  metrics:\n    metric: ['type == METRIC_DATA_TYPE_GAUGE']\n");
  ErrConsumer<MetricsBatch> next(InternalError("must not be called"));
  FilterMetricsProcessor p(settings_, cfg->metrics, next);
  EXPECT_TRUE(p.Consume(MakeMetrics(4)).ok());
  EXPECT_EQ(next.calls(), 0);
  EXPECT_EQ(Filtered("otelcol_processor_filter_datapoints.filtered"), 4);
}

TEST_F(FilterProcessorTest, LogRecords) {
  auto cfg = Decode("filter:\n  logs:\n    log_record: ['IsMatch(body, \"^log-[12]$\")']\n");
  FilterLogsProcessor p(settings_, cfg->logs, logs_sink_);
  ASSERT_TRUE(p.Consume(MakeLogs(4)).ok());
  EXPECT_EQ(logs_sink_.ItemCount(), 2);
  EXPECT_EQ(Filtered("otelcol_processor_filter_logs.filtered"), 2);
}

TEST_F(FilterProcessorTest, ASignalWithoutConditionsPassesUntouched) {
  auto cfg = Decode("filter:\n  traces:\n    span: ['name == \"x\"']\n");
  FilterLogsProcessor p(settings_, cfg->logs, logs_sink_);
  LogsBatch batch = MakeLogs(3);
  const std::string before = batch.request().SerializeAsString();
  ASSERT_TRUE(p.Consume(std::move(batch)).ok());
  ASSERT_EQ(logs_sink_.Batches().size(), 1u);
  EXPECT_EQ(logs_sink_.Batches()[0].request().SerializeAsString(), before);
}

TEST_F(FilterProcessorTest, AdmitAsksDownstream) {
  auto cfg = Decode("filter:\n  traces:\n    span: ['name == \"x\"']\n");
  FilterTracesProcessor p(settings_, cfg->traces, traces_sink_);
  EXPECT_TRUE(p.Admit().ok());
  traces_sink_.SetAdmit(UnavailableError("full"));
  EXPECT_EQ(p.Admit().code(), StatusCode::kUnavailable);
}

TEST_F(FilterProcessorTest, FactoryCreatesEverySignal) {
  FilterProcessorFactory f;
  auto cfg = Decode("filter:\n  traces:\n    span: ['name == \"x\"']\n");
  EXPECT_TRUE(f.CreateTraces(settings_, *cfg, traces_sink_).ok());
  EXPECT_TRUE(f.CreateMetrics(settings_, *cfg, metrics_sink_).ok());
  EXPECT_TRUE(f.CreateLogs(settings_, *cfg, logs_sink_).ok());
  auto default_cfg = f.CreateDefaultConfig();
  auto p = f.CreateTraces(settings_, *default_cfg, traces_sink_);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE((*p)->Consume(MakeTraces(2)).ok());
  EXPECT_EQ(traces_sink_.ItemCount(), 2);
}

}  // namespace
}  // namespace otlpd::processor::filter
