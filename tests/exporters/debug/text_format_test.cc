// The debug exporter's text at every verbosity, for every signal, asserted line by line.
#include "exporters/debug/text_format.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::debug {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;

using ::testing::HasSubstr;

constexpr uint64_t kStart = 1581452772000000321ull;  // 2020-02-11 20:26:12.000000321 UTC
constexpr uint64_t kEnd = 1581452773000000789ull;

common::KeyValue* Attr(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs,
                       const std::string& key) {
  auto* kv = attrs->Add();
  kv->set_key(key);
  return kv;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

TraceRequest RichTraces() {
  TraceRequest req;
  auto* rs = req.add_resource_spans();
  rs->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
  Attr(rs->mutable_resource()->mutable_attributes(), "service.name")
      ->mutable_value()->set_string_value("checkout");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("io.otel.http");
  ss->mutable_scope()->set_version("1.2.0");
  Attr(ss->mutable_scope()->mutable_attributes(), "lib.flavour")
      ->mutable_value()->set_string_value("vanilla");
  auto* span = ss->add_spans();
  span->set_trace_id(Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  span->set_span_id(Bytes({0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18}));
  span->set_parent_span_id(Bytes({0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8}));
  span->set_name("GET /cart");
  span->set_kind(trace::Span::SPAN_KIND_SERVER);
  span->set_trace_state("ot=th:0");
  span->set_start_time_unix_nano(kStart);
  span->set_end_time_unix_nano(kEnd);
  span->mutable_status()->set_code(trace::Status::STATUS_CODE_ERROR);
  span->mutable_status()->set_message("upstream failed");
  span->set_dropped_attributes_count(1);
  Attr(span->mutable_attributes(), "http.method")->mutable_value()->set_string_value("GET");
  Attr(span->mutable_attributes(), "http.status_code")->mutable_value()->set_int_value(502);
  auto* event = span->add_events();
  event->set_name("retry");
  event->set_time_unix_nano(kEnd);
  Attr(event->mutable_attributes(), "attempt")->mutable_value()->set_int_value(2);
  span->set_dropped_events_count(3);
  auto* link = span->add_links();
  link->set_trace_id(Bytes({0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55,
                            0x44, 0x33, 0x22, 0x11, 0x00}));
  link->set_span_id(Bytes({0, 0, 0, 0, 0, 0, 0, 1}));
  Attr(link->mutable_attributes(), "link.kind")->mutable_value()->set_bool_value(true);
  return req;
}

TEST(TextFormatTest, SummaryLines) {
  EXPECT_EQ(SummaryLine(testing::MakeTraces(3).request()),
            "TracesExporter: 1 resource spans, 3 spans");
  MetricsBatch m = testing::MakeMetrics(4);
  m.mutable_request().mutable_resource_metrics(0)->mutable_scope_metrics(0)->add_metrics();
  EXPECT_EQ(SummaryLine(m.request()),
            "MetricsExporter: 1 resource metrics, 2 metrics, 4 data points");
  EXPECT_EQ(SummaryLine(testing::MakeLogs(5).request()),
            "LogsExporter: 1 resource logs, 5 log records");
}

TEST(TextFormatTest, BasicHasNothingAfterTheSummary) {
  EXPECT_EQ(FormatItems(RichTraces(), Verbosity::kBasic), "");
}

TEST(TextFormatTest, NormalTracesOneLinePerSpan) {
  EXPECT_EQ(FormatItems(RichTraces(), Verbosity::kNormal),
            "ResourceTraces #0 [https://opentelemetry.io/schemas/1.21.0] service.name=checkout\n"
            "ScopeTraces #0 io.otel.http@1.2.0 lib.flavour=vanilla\n"
            "GET /cart 0102030405060708090a0b0c0d0e0f10 1112131415161718 "
            "http.method=GET http.status_code=502\n");
}

TEST(TextFormatTest, DetailedTracesShowEverything) {
  EXPECT_EQ(FormatItems(RichTraces(), Verbosity::kDetailed),
            "ResourceSpans #0\n"
            "Resource SchemaURL: https://opentelemetry.io/schemas/1.21.0\n"
            "Resource attributes:\n"
            "     -> service.name: Str(checkout)\n"
            "ScopeSpans #0\n"
            "ScopeSpans SchemaURL: \n"
            "InstrumentationScope io.otel.http 1.2.0\n"
            "InstrumentationScope attributes:\n"
            "     -> lib.flavour: Str(vanilla)\n"
            "Span #0\n"
            "    Trace ID       : 0102030405060708090a0b0c0d0e0f10\n"
            "    Parent ID      : a1a2a3a4a5a6a7a8\n"
            "    ID             : 1112131415161718\n"
            "    Name           : GET /cart\n"
            "    Kind           : Server\n"
            "    TraceState     : ot=th:0\n"
            "    Start time     : 2020-02-11 20:26:12.000000321 +0000 UTC\n"
            "    End time       : 2020-02-11 20:26:13.000000789 +0000 UTC\n"
            "    Status code    : Error\n"
            "    Status message : upstream failed\n"
            "    DroppedAttributesCount: 1\n"
            "Attributes:\n"
            "     -> http.method: Str(GET)\n"
            "     -> http.status_code: Int(502)\n"
            "Events:\n"
            "SpanEvent #0\n"
            "     -> Name: retry\n"
            "     -> Timestamp: 2020-02-11 20:26:13.000000789 +0000 UTC\n"
            "     -> DroppedAttributesCount: 0\n"
            "     -> Attributes:\n"
            "          -> attempt: Int(2)\n"
            "    DroppedEventsCount: 3\n"
            "Links:\n"
            "SpanLink #0\n"
            "     -> Trace ID: ffeeddccbbaa99887766554433221100\n"
            "     -> ID: 0000000000000001\n"
            "     -> TraceState: \n"
            "     -> DroppedAttributesCount: 0\n"
            "     -> Attributes:\n"
            "          -> link.kind: Bool(true)\n"
            "    DroppedLinksCount: 0\n");
}

MetricsRequest AllMetricTypes() {
  MetricsRequest req;
  auto* rm = req.add_resource_metrics();
  Attr(rm->mutable_resource()->mutable_attributes(), "host.name")
      ->mutable_value()->set_string_value("box-1");
  auto* sm = rm->add_scope_metrics();
  sm->mutable_scope()->set_name("meter");

  auto* g = sm->add_metrics();
  g->set_name("queue.length");
  g->set_unit("1");
  auto* gp = g->mutable_gauge()->add_data_points();
  gp->set_as_int(7);
  gp->set_start_time_unix_nano(kStart);
  gp->set_time_unix_nano(kEnd);
  Attr(gp->mutable_attributes(), "queue")->mutable_value()->set_string_value("q1");
  auto* ex = gp->add_exemplars();
  ex->set_as_double(15);
  ex->set_time_unix_nano(kEnd);
  ex->set_trace_id(Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  ex->set_span_id(Bytes({0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18}));
  Attr(ex->mutable_filtered_attributes(), "user")->mutable_value()->set_string_value("u1");

  auto* s = sm->add_metrics();
  s->set_name("system.cpu.time");
  s->set_description("CPU time");
  s->set_unit("s");
  s->mutable_sum()->set_is_monotonic(true);
  s->mutable_sum()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  auto* sp = s->mutable_sum()->add_data_points();
  sp->set_as_double(123.456);
  Attr(sp->mutable_attributes(), "state")->mutable_value()->set_string_value("user");
  Attr(sp->mutable_attributes(), "cpu")->mutable_value()->set_string_value("0");

  auto* h = sm->add_metrics();
  h->set_name("http.server.request.duration");
  h->mutable_histogram()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
  auto* hp = h->mutable_histogram()->add_data_points();
  Attr(hp->mutable_attributes(), "http.response.status_code")->mutable_value()->set_int_value(200);
  hp->set_count(1340);
  hp->set_sum(99.573);
  hp->set_min(0.017);
  hp->set_max(8.13);
  for (double b : {0.125, 0.5, 1.0, 3.0}) hp->add_explicit_bounds(b);
  for (uint64_t c : {1324, 13, 0, 2, 1}) hp->add_bucket_counts(c);

  auto* e = sm->add_metrics();
  e->set_name("latency");
  e->mutable_exponential_histogram()->set_aggregation_temporality(
      metrics::AGGREGATION_TEMPORALITY_DELTA);
  auto* ep = e->mutable_exponential_histogram()->add_data_points();
  ep->set_count(5);
  ep->set_sum(0.15);
  ep->set_scale(1);
  ep->set_zero_count(1);
  ep->mutable_positive()->set_offset(1);
  ep->mutable_positive()->add_bucket_counts(1);
  ep->mutable_positive()->add_bucket_counts(1);
  ep->mutable_negative()->set_offset(0);
  ep->mutable_negative()->add_bucket_counts(1);
  ep->mutable_negative()->add_bucket_counts(1);

  auto* q = sm->add_metrics();
  q->set_name("rpc.duration");
  auto* qp = q->mutable_summary()->add_data_points();
  qp->set_count(1340);
  qp->set_sum(99.5);
  auto* qv = qp->add_quantile_values();
  qv->set_quantile(0.01);
  qv->set_value(15);
  return req;
}

TEST(TextFormatTest, NormalMetricsOneLinePerDataPoint) {
  EXPECT_EQ(FormatItems(AllMetricTypes(), Verbosity::kNormal),
            "ResourceMetrics #0 host.name=box-1\n"
            "ScopeMetrics #0 meter\n"
            "queue.length{queue=q1} 7\n"
            "system.cpu.time{state=user,cpu=0} 123.456\n"
            "http.server.request.duration{http.response.status_code=200} count=1340 sum=99.573 "
            "min=0.017 max=8.13 le0.125=1324 le0.5=13 le1=0 le3=2 1\n"
            "latency{} count=5 sum=0.15 scale=1 zero_count=1 negative(offset=0)=[1,1] "
            "positive(offset=1)=[1,1]\n"
            "rpc.duration{} count=1340 sum=99.5 q0.01=15\n");
}

TEST(TextFormatTest, DetailedMetricsShowEveryPointType) {
  const std::string text = FormatItems(AllMetricTypes(), Verbosity::kDetailed);
  // Descriptor and number points, with an exemplar.
  EXPECT_THAT(text, HasSubstr("Metric #0\n"
                              "Descriptor:\n"
                              "     -> Name: queue.length\n"
                              "     -> Description: \n"
                              "     -> Unit: 1\n"
                              "     -> DataType: Gauge\n"
                              "NumberDataPoints #0\n"
                              "Data point attributes:\n"
                              "     -> queue: Str(q1)\n"
                              "StartTimestamp: 2020-02-11 20:26:12.000000321 +0000 UTC\n"
                              "Timestamp: 2020-02-11 20:26:13.000000789 +0000 UTC\n"
                              "Value: 7\n"
                              "Exemplars:\n"
                              "Exemplar #0\n"
                              "     -> Trace ID: 0102030405060708090a0b0c0d0e0f10\n"
                              "     -> Span ID: 1112131415161718\n"
                              "     -> Timestamp: 2020-02-11 20:26:13.000000789 +0000 UTC\n"
                              "     -> Value: 15.000000\n"
                              "     -> FilteredAttributes:\n"
                              "          -> user: Str(u1)\n"));
  EXPECT_THAT(text, HasSubstr("     -> DataType: Sum\n"
                              "     -> IsMonotonic: true\n"
                              "     -> AggregationTemporality: Cumulative\n"));
  EXPECT_THAT(text, HasSubstr("Value: 123.456000\n"));
  EXPECT_THAT(text, HasSubstr("HistogramDataPoints #0\n"));
  EXPECT_THAT(text, HasSubstr("Count: 1340\n"
                              "Sum: 99.573000\n"
                              "Min: 0.017000\n"
                              "Max: 8.130000\n"
                              "ExplicitBounds #0: 0.125000\n"));
  EXPECT_THAT(text, HasSubstr("Buckets #4, Count: 1\n"));
  // Scale 1: base sqrt(2). Negative buckets from the most negative up, then zero, then positive.
  EXPECT_THAT(text, HasSubstr("ExponentialHistogramDataPoints #0\n"));
  EXPECT_THAT(text, HasSubstr("Bucket [-2.000000, -1.414214), Count: 1\n"
                              "Bucket [-1.414214, -1.000000), Count: 1\n"
                              "Bucket [0, 0], Count: 1\n"
                              "Bucket (1.414214, 2.000000], Count: 1\n"
                              "Bucket (2.000000, 2.828427], Count: 1\n"));
  EXPECT_THAT(text, HasSubstr("SummaryDataPoints #0\n"));
  EXPECT_THAT(text, HasSubstr("QuantileValue #0: Quantile 0.010000, Value 15.000000\n"));
}

LogsRequest OneLog() {
  LogsRequest req;
  auto* rl = req.add_resource_logs();
  Attr(rl->mutable_resource()->mutable_attributes(), "service.name")
      ->mutable_value()->set_string_value("api");
  auto* sl = rl->add_scope_logs();
  sl->mutable_scope()->set_name("logger");
  auto* r = sl->add_log_records();
  r->set_time_unix_nano(kEnd);
  r->set_severity_text("WARN");
  r->set_severity_number(logs::SEVERITY_NUMBER_WARN);
  r->mutable_body()->set_string_value("disk almost full");
  Attr(r->mutable_attributes(), "disk")->mutable_value()->set_string_value("/dev/sda");
  Attr(r->mutable_attributes(), "used")->mutable_value()->set_double_value(0.93);
  r->set_trace_id(Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  r->set_span_id(Bytes({0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18}));
  r->set_flags(1);
  return req;
}

TEST(TextFormatTest, NormalLogsOneLinePerRecord) {
  EXPECT_EQ(FormatItems(OneLog(), Verbosity::kNormal),
            "ResourceLog #0 service.name=api\n"
            "ScopeLog #0 logger\n"
            "disk almost full disk=/dev/sda used=0.93\n");
}

TEST(TextFormatTest, DetailedLogsShowSeverityBodyAndTraceContext) {
  EXPECT_EQ(FormatItems(OneLog(), Verbosity::kDetailed),
            "ResourceLog #0\n"
            "Resource SchemaURL: \n"
            "Resource attributes:\n"
            "     -> service.name: Str(api)\n"
            "ScopeLogs #0\n"
            "ScopeLogs SchemaURL: \n"
            "InstrumentationScope logger \n"
            "LogRecord #0\n"
            "ObservedTimestamp: 1970-01-01 00:00:00 +0000 UTC\n"
            "Timestamp: 2020-02-11 20:26:13.000000789 +0000 UTC\n"
            "SeverityText: WARN\n"
            "SeverityNumber: Warn(13)\n"
            "Body: Str(disk almost full)\n"
            "Attributes:\n"
            "     -> disk: Str(/dev/sda)\n"
            "     -> used: Double(0.93)\n"
            "Trace ID: 0102030405060708090a0b0c0d0e0f10\n"
            "Span ID: 1112131415161718\n"
            "Flags: 1\n");
}

}  // namespace
}  // namespace otlpd::exporter::debug
