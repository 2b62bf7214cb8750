// (b) Payloads encoded by the official OpenTelemetry JS SDK (tests/testdata/otlp, written by
// generate.mjs there) decode with our schema to exactly the values the script put in, with no
// unknown fields left over; (c) re-encoding a decoded payload and decoding again is lossless.
// The expected values below mirror generate.mjs: change both together.

#include <cstdint>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "tests/pipeline/proto/proto_test_util.h"

namespace otlpd::testing {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace tracepb = opentelemetry::proto::trace::v1;
namespace metricspb = opentelemetry::proto::metrics::v1;
namespace logspb = opentelemetry::proto::logs::v1;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kTraceId[] = "5b8efff798038103d269b633813fc60c";
constexpr char kServerSpanId[] = "eee19b7ec3c1b174";
// generate.mjs: BASE_S = 1700000000 seconds; times are BASE_S plus nanoseconds.
constexpr uint64_t kBaseNs = 1700000000ULL * 1000000000ULL;

template <class M>
void Load(const std::string& name, M* out) {
  std::string bytes, error;
  ASSERT_TRUE(ReadSourceFile("tests/testdata/otlp/" + name, &bytes, &error)) << error;
  ASSERT_FALSE(bytes.empty()) << name;
  ASSERT_TRUE(out->ParseFromString(bytes)) << name << " does not parse with our schema";
}

// The attribute `key` with a string value, or a message saying what it was instead.
template <class KeyValues>
std::string StringAttr(const KeyValues& attributes, const std::string& key) {
  const common::AnyValue* v = FindAttribute(attributes, key);
  if (v == nullptr) return "<missing " + key + ">";
  if (v->value_case() != common::AnyValue::kStringValue) return "<not a string: " + key + ">";
  return v->string_value();
}

template <class KeyValues>
void ExpectTestResource(const KeyValues& attributes) {
  ASSERT_EQ(attributes.size(), 3);
  EXPECT_EQ(attributes[0].key(), "service.name");
  EXPECT_EQ(attributes[0].value().string_value(), "otlpd-testdata");
  EXPECT_EQ(StringAttr(attributes, "service.version"), "1.2.3");
  EXPECT_EQ(StringAttr(attributes, "deployment.environment.name"), "test");
}

template <class M>
void ExpectReencodeLossless(const M& decoded) {
  std::string wire;
  ASSERT_TRUE(decoded.SerializeToString(&wire));
  M again;
  ASSERT_TRUE(again.ParseFromString(wire));
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(decoded, again)) << diff;
}

// ---------------------------------------------------------------------------------------------
// Traces

const tracepb::Span* FindSpan(const tracepb::ScopeSpans& scope, const std::string& name) {
  for (const auto& span : scope.spans()) {
    if (span.name() == name) return &span;
  }
  return nullptr;
}

class JsTraces : public ::testing::Test {
 protected:
  void SetUp() override { Load("traces.binpb", &request_); }
  ExportTraceServiceRequest request_;
};

TEST_F(JsTraces, SchemaKnowsEveryField) { EXPECT_THAT(UnknownFieldPaths(request_), IsEmpty()); }

TEST_F(JsTraces, ResourceAndScope) {
  ASSERT_EQ(request_.resource_spans_size(), 1);
  const auto& rs = request_.resource_spans(0);
  ExpectTestResource(rs.resource().attributes());
  EXPECT_EQ(rs.resource().dropped_attributes_count(), 0u);
  EXPECT_EQ(rs.schema_url(), "");
  ASSERT_EQ(rs.scope_spans_size(), 1);
  EXPECT_EQ(rs.scope_spans(0).scope().name(), "otlpd.testdata.tracer");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "0.1.0");
}

TEST_F(JsTraces, ServerSpan) {
  ASSERT_EQ(request_.resource_spans_size(), 1);
  ASSERT_EQ(request_.resource_spans(0).scope_spans_size(), 1);
  const auto& scope = request_.resource_spans(0).scope_spans(0);
  ASSERT_EQ(scope.spans_size(), 5);
  const tracepb::Span* span = FindSpan(scope, "GET /orders/{id}");
  ASSERT_NE(span, nullptr);

  EXPECT_EQ(Hex(span->trace_id()), kTraceId);
  EXPECT_EQ(Hex(span->span_id()), kServerSpanId);
  EXPECT_EQ(Hex(span->parent_span_id()), "eee19b7ec3c1b173");
  EXPECT_EQ(span->trace_state(), "");
  // Sampled (0x01), parent remoteness known (0x100) and remote (0x200).
  EXPECT_EQ(span->flags(), 0x301u);
  EXPECT_EQ(span->flags() & tracepb::SPAN_FLAGS_TRACE_FLAGS_MASK, 0x01u);
  EXPECT_NE(span->flags() & tracepb::SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK, 0u);
  EXPECT_EQ(span->kind(), tracepb::Span::SPAN_KIND_SERVER);
  EXPECT_EQ(span->start_time_unix_nano(), kBaseNs + 100000000);
  EXPECT_EQ(span->end_time_unix_nano(), kBaseNs + 350000000);
  EXPECT_EQ(span->status().code(), tracepb::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(span->status().message(), "upstream timeout");
  EXPECT_EQ(span->dropped_attributes_count(), 0u);
  EXPECT_EQ(span->dropped_events_count(), 0u);
  EXPECT_EQ(span->dropped_links_count(), 0u);

  // Attributes: every AnyValue case, in the order the script set them.
  const auto& attrs = span->attributes();
  ASSERT_EQ(attrs.size(), 10);
  std::vector<std::string> keys;
  for (const auto& kv : attrs) keys.push_back(kv.key());
  EXPECT_THAT(keys, ElementsAre("http.request.method", "http.response.status_code",
                                "sampling.ratio", "cache.hit", "http.route.tags",
                                "retry.delays_ms", "big.int", "negative.int", "peer.labels",
                                "request.digest"));
  EXPECT_EQ(attrs[0].value().string_value(), "GET");
  ASSERT_EQ(attrs[1].value().value_case(), common::AnyValue::kIntValue);
  EXPECT_EQ(attrs[1].value().int_value(), 500);
  ASSERT_EQ(attrs[2].value().value_case(), common::AnyValue::kDoubleValue);
  EXPECT_EQ(attrs[2].value().double_value(), 0.25);
  // A false bool is still a set oneof case, not an empty value.
  ASSERT_EQ(attrs[3].value().value_case(), common::AnyValue::kBoolValue);
  EXPECT_FALSE(attrs[3].value().bool_value());
  ASSERT_EQ(attrs[4].value().value_case(), common::AnyValue::kArrayValue);
  const auto& tags = attrs[4].value().array_value().values();
  ASSERT_EQ(tags.size(), 2);
  EXPECT_EQ(tags[0].string_value(), "orders");
  EXPECT_EQ(tags[1].string_value(), "read");
  const auto& delays = attrs[5].value().array_value().values();
  ASSERT_EQ(delays.size(), 3);
  EXPECT_EQ(delays[0].int_value(), 10);
  EXPECT_EQ(delays[1].int_value(), 20);
  EXPECT_EQ(delays[2].int_value(), 40);
  EXPECT_EQ(attrs[6].value().int_value(), 9007199254740991LL);
  EXPECT_EQ(attrs[7].value().int_value(), -42);
  ASSERT_EQ(attrs[8].value().value_case(), common::AnyValue::kKvlistValue);
  const auto& labels = attrs[8].value().kvlist_value().values();
  ASSERT_EQ(labels.size(), 2);
  EXPECT_EQ(labels[0].key(), "region");
  EXPECT_EQ(labels[0].value().string_value(), "eu-west-1");
  EXPECT_EQ(labels[1].key(), "zone");
  EXPECT_EQ(labels[1].value().int_value(), 3);
  ASSERT_EQ(attrs[9].value().value_case(), common::AnyValue::kBytesValue);
  EXPECT_EQ(Hex(attrs[9].value().bytes_value()), "deadbeef");

  ASSERT_EQ(span->events_size(), 2);
  EXPECT_EQ(span->events(0).name(), "cache.miss");
  EXPECT_EQ(span->events(0).time_unix_nano(), kBaseNs + 150000000);
  EXPECT_EQ(StringAttr(span->events(0).attributes(), "cache.key"), "order:42");
  EXPECT_EQ(span->events(1).name(), "retry");
  EXPECT_EQ(span->events(1).time_unix_nano(), kBaseNs + 160000000);
  ASSERT_EQ(span->events(1).attributes_size(), 1);
  EXPECT_EQ(span->events(1).attributes(0).key(), "attempt");
  EXPECT_EQ(span->events(1).attributes(0).value().int_value(), 2);

  ASSERT_EQ(span->links_size(), 1);
  const auto& link = span->links(0);
  EXPECT_EQ(Hex(link.trace_id()), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(Hex(link.span_id()), "b7ad6b7169203331");
  EXPECT_EQ(link.flags(), 0x300u);  // not sampled, remote
  EXPECT_EQ(StringAttr(link.attributes(), "link.reason"), "batch");
}

TEST_F(JsTraces, ChildSpansOfEveryKind) {
  ASSERT_EQ(request_.resource_spans_size(), 1);
  ASSERT_EQ(request_.resource_spans(0).scope_spans_size(), 1);
  const auto& scope = request_.resource_spans(0).scope_spans(0);
  struct Expected {
    const char* name;
    tracepb::Span::SpanKind kind;
    const char* span_id;
    tracepb::Status::StatusCode status;
    const char* attr_key;
    const char* attr_value;
  };
  const Expected expected[] = {
      {"SELECT orders", tracepb::Span::SPAN_KIND_CLIENT, "eee19b7ec3c1b175",
       tracepb::Status::STATUS_CODE_OK, "db.system.name", "postgresql"},
      {"publish order.read", tracepb::Span::SPAN_KIND_PRODUCER, "eee19b7ec3c1b176",
       tracepb::Status::STATUS_CODE_UNSET, "messaging.system", "kafka"},
      {"process order.read", tracepb::Span::SPAN_KIND_CONSUMER, "eee19b7ec3c1b177",
       tracepb::Status::STATUS_CODE_UNSET, "messaging.system", "kafka"},
      {"render", tracepb::Span::SPAN_KIND_INTERNAL, "eee19b7ec3c1b178",
       tracepb::Status::STATUS_CODE_UNSET, nullptr, nullptr},
  };
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(expected[i].name);
    // Spans are exported in the order they ended: the children first.
    ASSERT_GT(scope.spans_size(), i);
    const auto& span = scope.spans(i);
    EXPECT_EQ(span.name(), expected[i].name);
    EXPECT_EQ(span.kind(), expected[i].kind);
    EXPECT_EQ(Hex(span.trace_id()), kTraceId);
    EXPECT_EQ(Hex(span.span_id()), expected[i].span_id);
    EXPECT_EQ(Hex(span.parent_span_id()), kServerSpanId);
    EXPECT_EQ(span.flags(), 0x101u);  // sampled, parent known to be local
    EXPECT_EQ(span.status().code(), expected[i].status);
    EXPECT_EQ(span.status().message(), "");
    const uint64_t start = kBaseNs + 200000000 + static_cast<uint64_t>(i) * 10000000;
    EXPECT_EQ(span.start_time_unix_nano(), start);
    EXPECT_EQ(span.end_time_unix_nano(), start + 5000000);
    if (expected[i].attr_key == nullptr) {
      EXPECT_EQ(span.attributes_size(), 0);
    } else {
      ASSERT_EQ(span.attributes_size(), 1);
      EXPECT_EQ(StringAttr(span.attributes(), expected[i].attr_key), expected[i].attr_value);
    }
    EXPECT_EQ(span.events_size(), 0);
    EXPECT_EQ(span.links_size(), 0);
  }
  EXPECT_EQ(scope.spans(4).name(), "GET /orders/{id}");
}

TEST_F(JsTraces, ReencodeIsLossless) { ExpectReencodeLossless(request_); }

// ---------------------------------------------------------------------------------------------
// Metrics

class JsMetrics : public ::testing::Test {
 protected:
  void SetUp() override { Load("metrics.binpb", &request_); }

  const metricspb::Metric* Find(const std::string& name) const {
    for (const auto& rm : request_.resource_metrics()) {
      for (const auto& sm : rm.scope_metrics()) {
        for (const auto& m : sm.metrics()) {
          if (m.name() == name) return &m;
        }
      }
    }
    return nullptr;
  }

  // generate.mjs pins every data point to [BASE_S, BASE_S + 60s].
  template <class Point>
  static void ExpectPinnedTimes(const Point& p) {
    EXPECT_EQ(p.start_time_unix_nano(), kBaseNs);
    EXPECT_EQ(p.time_unix_nano(), kBaseNs + 60ULL * 1000000000ULL);
  }

  ExportMetricsServiceRequest request_;
};

TEST_F(JsMetrics, SchemaKnowsEveryField) { EXPECT_THAT(UnknownFieldPaths(request_), IsEmpty()); }

TEST_F(JsMetrics, ResourceAndScope) {
  ASSERT_EQ(request_.resource_metrics_size(), 1);
  ExpectTestResource(request_.resource_metrics(0).resource().attributes());
  ASSERT_EQ(request_.resource_metrics(0).scope_metrics_size(), 1);
  const auto& sm = request_.resource_metrics(0).scope_metrics(0);
  EXPECT_EQ(sm.scope().name(), "otlpd.testdata.meter");
  EXPECT_EQ(sm.scope().version(), "0.1.0");
  EXPECT_EQ(sm.metrics_size(), 4);
}

TEST_F(JsMetrics, Gauge) {
  const metricspb::Metric* m = Find("system.cpu.utilization");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->description(), "CPU busy share");
  EXPECT_EQ(m->unit(), "1");
  ASSERT_EQ(m->data_case(), metricspb::Metric::kGauge);
  ASSERT_EQ(m->gauge().data_points_size(), 1);
  const auto& p = m->gauge().data_points(0);
  ASSERT_EQ(p.value_case(), metricspb::NumberDataPoint::kAsDouble);
  EXPECT_EQ(p.as_double(), 0.75);
  EXPECT_EQ(StringAttr(p.attributes(), "cpu.id"), "0");
  ExpectPinnedTimes(p);
  EXPECT_EQ(p.flags(), 0u);
}

TEST_F(JsMetrics, MonotonicSum) {
  const metricspb::Metric* m = Find("http.server.requests");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->description(), "Requests served");
  EXPECT_EQ(m->unit(), "{request}");
  ASSERT_EQ(m->data_case(), metricspb::Metric::kSum);
  EXPECT_TRUE(m->sum().is_monotonic());
  EXPECT_EQ(m->sum().aggregation_temporality(), metricspb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(m->sum().data_points_size(), 2);
  const auto& orders = m->sum().data_points(0);
  EXPECT_EQ(StringAttr(orders.attributes(), "http.route"), "/orders");
  ASSERT_EQ(orders.value_case(), metricspb::NumberDataPoint::kAsInt);
  EXPECT_EQ(orders.as_int(), 7);  // 3 + 4
  ExpectPinnedTimes(orders);
  const auto& health = m->sum().data_points(1);
  EXPECT_EQ(StringAttr(health.attributes(), "http.route"), "/health");
  ASSERT_EQ(health.value_case(), metricspb::NumberDataPoint::kAsInt);
  EXPECT_EQ(health.as_int(), 1);
}

TEST_F(JsMetrics, ExplicitBucketHistogram) {
  const metricspb::Metric* m = Find("http.server.duration");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->unit(), "ms");
  ASSERT_EQ(m->data_case(), metricspb::Metric::kHistogram);
  EXPECT_EQ(m->histogram().aggregation_temporality(),
            metricspb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(m->histogram().data_points_size(), 1);
  const auto& p = m->histogram().data_points(0);
  EXPECT_EQ(StringAttr(p.attributes(), "http.route"), "/orders");
  ExpectPinnedTimes(p);
  // Recorded 5, 20, 70, 300 against bounds 10, 50, 100: one value per bucket.
  EXPECT_EQ(p.count(), 4u);
  ASSERT_TRUE(p.has_sum());
  EXPECT_EQ(p.sum(), 395.0);
  ASSERT_TRUE(p.has_min());
  EXPECT_EQ(p.min(), 5.0);
  ASSERT_TRUE(p.has_max());
  EXPECT_EQ(p.max(), 300.0);
  EXPECT_THAT(p.explicit_bounds(), ElementsAre(10.0, 50.0, 100.0));
  EXPECT_THAT(p.bucket_counts(), ElementsAre(1u, 1u, 1u, 1u));
}

TEST_F(JsMetrics, ExponentialHistogram) {
  const metricspb::Metric* m = Find("payload.size");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->unit(), "By");
  EXPECT_EQ(m->description(), "Payload size");
  ASSERT_EQ(m->data_case(), metricspb::Metric::kExponentialHistogram);
  EXPECT_EQ(m->exponential_histogram().aggregation_temporality(),
            metricspb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(m->exponential_histogram().data_points_size(), 1);
  const auto& p = m->exponential_histogram().data_points(0);
  ExpectPinnedTimes(p);
  // Recorded 0, 1, 2, 4, 8 with at most 160 buckets.
  EXPECT_EQ(p.count(), 5u);
  EXPECT_EQ(p.sum(), 15.0);
  EXPECT_EQ(p.min(), 0.0);
  EXPECT_EQ(p.max(), 8.0);
  EXPECT_EQ(p.zero_count(), 1u);  // the 0
  EXPECT_EQ(p.zero_threshold(), 0.0);
  // 1..8 spans 3 powers of two; scale 5 (32 buckets per power of two) is the finest that fits
  // in 160 buckets. Bucket i holds (2^(i/32), 2^((i+1)/32)], so 2^k lands in index 32k - 1:
  // indexes -1, 31, 63, 95, i.e. offset -1 and counts at positions 0, 32, 64, 96.
  EXPECT_EQ(p.scale(), 5);
  EXPECT_EQ(p.positive().offset(), -1);
  ASSERT_EQ(p.positive().bucket_counts_size(), 97);
  for (int i = 0; i < 97; ++i) {
    EXPECT_EQ(p.positive().bucket_counts(i), i % 32 == 0 ? 1u : 0u) << "bucket " << i;
  }
  EXPECT_EQ(p.negative().offset(), 0);
  EXPECT_EQ(p.negative().bucket_counts_size(), 0);
}

TEST_F(JsMetrics, ReencodeIsLossless) { ExpectReencodeLossless(request_); }

// ---------------------------------------------------------------------------------------------
// Logs

class JsLogs : public ::testing::Test {
 protected:
  void SetUp() override { Load("logs.binpb", &request_); }
  ExportLogsServiceRequest request_;
};

TEST_F(JsLogs, SchemaKnowsEveryField) { EXPECT_THAT(UnknownFieldPaths(request_), IsEmpty()); }

TEST_F(JsLogs, ResourceAndScope) {
  ASSERT_EQ(request_.resource_logs_size(), 1);
  ExpectTestResource(request_.resource_logs(0).resource().attributes());
  ASSERT_EQ(request_.resource_logs(0).scope_logs_size(), 1);
  const auto& sl = request_.resource_logs(0).scope_logs(0);
  EXPECT_EQ(sl.scope().name(), "otlpd.testdata.logger");
  EXPECT_EQ(sl.scope().version(), "0.1.0");
  EXPECT_EQ(sl.log_records_size(), 3);
}

TEST_F(JsLogs, RecordInsideASpan) {
  ASSERT_EQ(request_.resource_logs_size(), 1);
  ASSERT_EQ(request_.resource_logs(0).scope_logs_size(), 1);
  ASSERT_EQ(request_.resource_logs(0).scope_logs(0).log_records_size(), 3);
  const auto& r = request_.resource_logs(0).scope_logs(0).log_records(0);
  EXPECT_EQ(r.time_unix_nano(), kBaseNs + 120000000);
  EXPECT_EQ(r.observed_time_unix_nano(), kBaseNs + 130000000);
  EXPECT_EQ(r.severity_number(), logspb::SEVERITY_NUMBER_ERROR);
  EXPECT_EQ(r.severity_number(), 17);
  EXPECT_EQ(r.severity_text(), "ERROR");
  ASSERT_EQ(r.body().value_case(), common::AnyValue::kStringValue);
  EXPECT_EQ(r.body().string_value(), "order 42 failed: upstream timeout");
  EXPECT_EQ(Hex(r.trace_id()), kTraceId);
  EXPECT_EQ(Hex(r.span_id()), kServerSpanId);
  EXPECT_EQ(r.flags() & logspb::LOG_RECORD_FLAGS_TRACE_FLAGS_MASK, 1u);  // sampled
  EXPECT_EQ(r.event_name(), "");
  EXPECT_EQ(r.dropped_attributes_count(), 0u);

  const auto& attrs = r.attributes();
  ASSERT_EQ(attrs.size(), 7);
  EXPECT_EQ(StringAttr(attrs, "order.id"), "o-42");
  const common::AnyValue* items = FindAttribute(attrs, "order.items");
  ASSERT_NE(items, nullptr);
  ASSERT_EQ(items->value_case(), common::AnyValue::kIntValue);
  EXPECT_EQ(items->int_value(), 3);
  const common::AnyValue* total = FindAttribute(attrs, "order.total");
  ASSERT_NE(total, nullptr);
  ASSERT_EQ(total->value_case(), common::AnyValue::kDoubleValue);
  EXPECT_EQ(total->double_value(), 99.5);
  const common::AnyValue* paid = FindAttribute(attrs, "order.paid");
  ASSERT_NE(paid, nullptr);
  ASSERT_EQ(paid->value_case(), common::AnyValue::kBoolValue);
  EXPECT_TRUE(paid->bool_value());
  const common::AnyValue* tags = FindAttribute(attrs, "order.tags");
  ASSERT_NE(tags, nullptr);
  ASSERT_EQ(tags->value_case(), common::AnyValue::kArrayValue);
  ASSERT_EQ(tags->array_value().values_size(), 2);
  EXPECT_EQ(tags->array_value().values(0).string_value(), "express");
  EXPECT_EQ(tags->array_value().values(1).string_value(), "gift");
  const common::AnyValue* customer = FindAttribute(attrs, "order.customer");
  ASSERT_NE(customer, nullptr);
  ASSERT_EQ(customer->value_case(), common::AnyValue::kKvlistValue);
  EXPECT_EQ(StringAttr(customer->kvlist_value().values(), "tier"), "gold");
  const common::AnyValue* visits = FindAttribute(customer->kvlist_value().values(), "visits");
  ASSERT_NE(visits, nullptr);
  EXPECT_EQ(visits->int_value(), 12);
  const common::AnyValue* hash = FindAttribute(attrs, "order.hash");
  ASSERT_NE(hash, nullptr);
  ASSERT_EQ(hash->value_case(), common::AnyValue::kBytesValue);
  EXPECT_EQ(Hex(hash->bytes_value()), "0102ff");
}

TEST_F(JsLogs, EventWithMapBody) {
  ASSERT_EQ(request_.resource_logs_size(), 1);
  ASSERT_EQ(request_.resource_logs(0).scope_logs_size(), 1);
  ASSERT_EQ(request_.resource_logs(0).scope_logs(0).log_records_size(), 3);
  const auto& r = request_.resource_logs(0).scope_logs(0).log_records(1);
  EXPECT_EQ(r.event_name(), "checkout.completed");
  EXPECT_EQ(r.time_unix_nano(), kBaseNs + 140000000);
  EXPECT_EQ(r.observed_time_unix_nano(), kBaseNs + 140000001);
  EXPECT_EQ(r.severity_number(), logspb::SEVERITY_NUMBER_INFO);
  EXPECT_EQ(r.severity_text(), "INFO");
  ASSERT_EQ(r.body().value_case(), common::AnyValue::kKvlistValue);
  const auto& body = r.body().kvlist_value().values();
  ASSERT_EQ(body.size(), 3);
  EXPECT_EQ(body[0].key(), "message");
  EXPECT_EQ(body[0].value().string_value(), "checkout");
  EXPECT_EQ(body[1].key(), "items");
  EXPECT_EQ(body[1].value().int_value(), 3);
  EXPECT_EQ(body[2].key(), "express");
  EXPECT_TRUE(body[2].value().bool_value());
  EXPECT_EQ(r.attributes_size(), 0);
  // No span context: IDs and flags stay empty.
  EXPECT_EQ(r.trace_id(), "");
  EXPECT_EQ(r.span_id(), "");
  EXPECT_EQ(r.flags(), 0u);
}

TEST_F(JsLogs, BytesBody) {
  ASSERT_EQ(request_.resource_logs_size(), 1);
  ASSERT_EQ(request_.resource_logs(0).scope_logs_size(), 1);
  ASSERT_EQ(request_.resource_logs(0).scope_logs(0).log_records_size(), 3);
  const auto& r = request_.resource_logs(0).scope_logs(0).log_records(2);
  EXPECT_EQ(r.severity_number(), logspb::SEVERITY_NUMBER_WARN2);
  EXPECT_EQ(r.severity_number(), 14);
  EXPECT_EQ(r.severity_text(), "WARNING");
  EXPECT_EQ(r.time_unix_nano(), kBaseNs + 150000000);
  EXPECT_EQ(r.observed_time_unix_nano(), kBaseNs + 150000000);
  ASSERT_EQ(r.body().value_case(), common::AnyValue::kBytesValue);
  EXPECT_EQ(Hex(r.body().bytes_value()), "001020");
}

TEST_F(JsLogs, ReencodeIsLossless) { ExpectReencodeLossless(request_); }

}  // namespace
}  // namespace otlpd::testing
