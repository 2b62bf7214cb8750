// (a) Requests built in C++ with every field of the schema set to a non-default value survive
// SerializeToString / ParseFromString unchanged. A reflection walk proves "every field": adding
// a field to a .proto without covering it here fails CoversEveryField.

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/metrics/v1/metrics.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"
#include "tests/pipeline/proto/proto_test_util.h"

namespace otlpd::testing {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace resource = opentelemetry::proto::resource::v1;
namespace tracepb = opentelemetry::proto::trace::v1;
namespace metricspb = opentelemetry::proto::metrics::v1;
namespace logspb = opentelemetry::proto::logs::v1;
namespace collector_trace = opentelemetry::proto::collector::trace::v1;
namespace collector_metrics = opentelemetry::proto::collector::metrics::v1;
namespace collector_logs = opentelemetry::proto::collector::logs::v1;

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;
using ::testing::IsEmpty;

// ---------------------------------------------------------------------------------------------
// Builders: each sets every field of its message, with values chosen to catch wire-type
// mistakes (negative numbers for signed/zigzag types, values above 2^32 for 64-bit fields,
// bytes that are not valid UTF-8).

const std::string kTraceId("\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c", 16);
const std::string kSpanId("\xee\xe1\x9b\x7e\xc3\xc1\xb1\x74", 8);
const std::string kParentSpanId("\xee\xe1\x9b\x7e\xc3\xc1\xb1\x73", 8);

void FillAnyValues(google::protobuf::RepeatedPtrField<common::KeyValue>* attributes) {
  auto add = [attributes](const std::string& key) {
    auto* kv = attributes->Add();
    kv->set_key(key);
    return kv->mutable_value();
  };
  add("string")->set_string_value("héllo");
  add("bool")->set_bool_value(true);
  add("int")->set_int_value(std::numeric_limits<int64_t>::min());
  add("double")->set_double_value(-0.125);
  add("bytes")->set_bytes_value(std::string("\x00\xff\xfe", 3));
  auto* array = add("array")->mutable_array_value();
  array->add_values()->set_string_value("a");
  array->add_values()->set_int_value(7);
  array->add_values();  // an empty AnyValue is a legal element
  auto* kvlist = add("kvlist")->mutable_kvlist_value();
  auto* nested = kvlist->add_values();
  nested->set_key("nested");
  nested->mutable_value()->mutable_array_value()->add_values()->set_bool_value(false);
  // Profiles-only fields still have to survive a round trip through a generic pipeline.
  auto* strindex = attributes->Add();
  strindex->set_key_strindex(42);
  strindex->mutable_value()->set_string_value_strindex(-3);
}

void FillResource(resource::Resource* r) {
  FillAnyValues(r->mutable_attributes());
  r->set_dropped_attributes_count(2);
  auto* ref = r->add_entity_refs();
  ref->set_schema_url("https://opentelemetry.io/schemas/1.37.0");
  ref->set_type("service");
  ref->add_id_keys("service.name");
  ref->add_id_keys("service.namespace");
  ref->add_description_keys("service.version");
}

void FillScope(common::InstrumentationScope* scope) {
  scope->set_name("io.otlpd.test");
  scope->set_version("1.0.0");
  FillAnyValues(scope->mutable_attributes());
  scope->set_dropped_attributes_count(1);
}

collector_trace::ExportTraceServiceRequest FullTraceRequest() {
  collector_trace::ExportTraceServiceRequest req;
  auto* rs = req.add_resource_spans();
  FillResource(rs->mutable_resource());
  rs->set_schema_url("https://opentelemetry.io/schemas/1.37.0");
  auto* ss = rs->add_scope_spans();
  FillScope(ss->mutable_scope());
  ss->set_schema_url("https://opentelemetry.io/schemas/1.36.0");

  auto* span = ss->add_spans();
  span->set_trace_id(kTraceId);
  span->set_span_id(kSpanId);
  span->set_trace_state("vendor=abc,other=xyz");
  span->set_parent_span_id(kParentSpanId);
  span->set_flags(0x301);  // sampled, parent known to be remote and is remote
  span->set_name("GET /orders/{id}");
  span->set_kind(tracepb::Span::SPAN_KIND_CONSUMER);
  span->set_start_time_unix_nano(1700000000100000000ULL);
  span->set_end_time_unix_nano(0xFFFFFFFFFFFFFFFFULL);
  FillAnyValues(span->mutable_attributes());
  span->set_dropped_attributes_count(3);
  auto* event = span->add_events();
  event->set_time_unix_nano(1700000000150000000ULL);
  event->set_name("exception");
  FillAnyValues(event->mutable_attributes());
  event->set_dropped_attributes_count(4);
  span->set_dropped_events_count(5);
  auto* link = span->add_links();
  link->set_trace_id(kTraceId);
  link->set_span_id(kParentSpanId);
  link->set_trace_state("k=v");
  FillAnyValues(link->mutable_attributes());
  link->set_dropped_attributes_count(6);
  link->set_flags(0x100);
  span->set_dropped_links_count(7);
  span->mutable_status()->set_message("deadline exceeded");
  span->mutable_status()->set_code(tracepb::Status::STATUS_CODE_ERROR);
  return req;
}

void FillExemplars(google::protobuf::RepeatedPtrField<metricspb::Exemplar>* exemplars) {
  auto* d = exemplars->Add();
  FillAnyValues(d->mutable_filtered_attributes());
  d->set_time_unix_nano(1700000000200000000ULL);
  d->set_as_double(1.5);
  d->set_span_id(kSpanId);
  d->set_trace_id(kTraceId);
  auto* i = exemplars->Add();
  i->set_time_unix_nano(1700000000200000001ULL);
  i->set_as_int(-9);
}

collector_metrics::ExportMetricsServiceRequest FullMetricsRequest() {
  constexpr uint64_t kStart = 1700000000000000000ULL;
  constexpr uint64_t kTime = 1700000060000000000ULL;
  collector_metrics::ExportMetricsServiceRequest req;
  auto* rm = req.add_resource_metrics();
  FillResource(rm->mutable_resource());
  rm->set_schema_url("https://opentelemetry.io/schemas/1.37.0");
  auto* sm = rm->add_scope_metrics();
  FillScope(sm->mutable_scope());
  sm->set_schema_url("https://opentelemetry.io/schemas/1.36.0");

  auto* gauge = sm->add_metrics();
  gauge->set_name("system.cpu.utilization");
  gauge->set_description("CPU busy share");
  gauge->set_unit("1");
  FillAnyValues(gauge->mutable_metadata());
  auto* gp = gauge->mutable_gauge()->add_data_points();
  FillAnyValues(gp->mutable_attributes());
  gp->set_start_time_unix_nano(kStart);
  gp->set_time_unix_nano(kTime);
  gp->set_as_double(0.75);
  FillExemplars(gp->mutable_exemplars());
  gp->set_flags(metricspb::DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK);

  auto* sum = sm->add_metrics();
  sum->set_name("http.server.requests");
  sum->mutable_sum()->set_aggregation_temporality(metricspb::AGGREGATION_TEMPORALITY_DELTA);
  sum->mutable_sum()->set_is_monotonic(true);
  auto* sp = sum->mutable_sum()->add_data_points();
  sp->set_time_unix_nano(kTime);
  sp->set_as_int(-5000000000LL);

  auto* hist = sm->add_metrics();
  hist->set_name("http.server.duration");
  hist->mutable_histogram()->set_aggregation_temporality(
      metricspb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  auto* hp = hist->mutable_histogram()->add_data_points();
  FillAnyValues(hp->mutable_attributes());
  hp->set_start_time_unix_nano(kStart);
  hp->set_time_unix_nano(kTime);
  hp->set_count(6);
  hp->set_sum(0.0);  // explicitly present zero: `optional` must keep it
  for (uint64_t c : {1ULL, 2ULL, 3ULL}) hp->add_bucket_counts(c);
  for (double b : {10.0, 100.0}) hp->add_explicit_bounds(b);
  FillExemplars(hp->mutable_exemplars());
  hp->set_flags(1);
  hp->set_min(-1.0);
  hp->set_max(250.0);

  auto* exp = sm->add_metrics();
  exp->set_name("payload.size");
  exp->mutable_exponential_histogram()->set_aggregation_temporality(
      metricspb::AGGREGATION_TEMPORALITY_DELTA);
  auto* ep = exp->mutable_exponential_histogram()->add_data_points();
  FillAnyValues(ep->mutable_attributes());
  ep->set_start_time_unix_nano(kStart);
  ep->set_time_unix_nano(kTime);
  ep->set_count(9);
  ep->set_sum(123.5);
  ep->set_scale(-2);
  ep->set_zero_count(1);
  ep->mutable_positive()->set_offset(-3);
  for (uint64_t c : {1ULL, 0ULL, 5ULL}) ep->mutable_positive()->add_bucket_counts(c);
  ep->mutable_negative()->set_offset(2);
  ep->mutable_negative()->add_bucket_counts(2);
  ep->set_flags(1);
  FillExemplars(ep->mutable_exemplars());
  ep->set_min(-7.0);
  ep->set_max(64.0);
  ep->set_zero_threshold(1e-9);

  auto* summary = sm->add_metrics();
  summary->set_name("rpc.latency");
  auto* qp = summary->mutable_summary()->add_data_points();
  FillAnyValues(qp->mutable_attributes());
  qp->set_start_time_unix_nano(kStart);
  qp->set_time_unix_nano(kTime);
  qp->set_count(100);
  qp->set_sum(4321.0);
  auto* q50 = qp->add_quantile_values();
  q50->set_quantile(0.5);
  q50->set_value(40.0);
  auto* q99 = qp->add_quantile_values();
  q99->set_quantile(0.99);
  q99->set_value(120.0);
  qp->set_flags(1);
  return req;
}

collector_logs::ExportLogsServiceRequest FullLogsRequest() {
  collector_logs::ExportLogsServiceRequest req;
  auto* rl = req.add_resource_logs();
  FillResource(rl->mutable_resource());
  rl->set_schema_url("https://opentelemetry.io/schemas/1.37.0");
  auto* sl = rl->add_scope_logs();
  FillScope(sl->mutable_scope());
  sl->set_schema_url("https://opentelemetry.io/schemas/1.36.0");
  auto* record = sl->add_log_records();
  record->set_time_unix_nano(1700000000120000000ULL);
  record->set_observed_time_unix_nano(1700000000130000000ULL);
  record->set_severity_number(logspb::SEVERITY_NUMBER_FATAL4);
  record->set_severity_text("CRITICAL");
  record->mutable_body()->mutable_kvlist_value()->add_values()->set_key("empty");
  FillAnyValues(record->mutable_attributes());
  record->set_dropped_attributes_count(8);
  record->set_flags(logspb::LOG_RECORD_FLAGS_TRACE_FLAGS_MASK);
  record->set_trace_id(kTraceId);
  record->set_span_id(kSpanId);
  record->set_event_name("device.app.lifecycle");
  return req;
}

// ---------------------------------------------------------------------------------------------
// Coverage: which fields of the schema a message tree sets.

void CollectSetFields(const Message& message, std::set<std::string>* out) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const auto* field : fields) {
    out->insert(field->full_name());
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const auto* reflection = message.GetReflection();
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        CollectSetFields(reflection->GetRepeatedMessage(message, field, i), out);
      }
    } else {
      CollectSetFields(reflection->GetMessage(message, field), out);
    }
  }
}

void CollectSchemaFields(const Descriptor* descriptor, std::set<const Descriptor*>* seen,
                         std::set<std::string>* out) {
  if (!seen->insert(descriptor).second) return;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    out->insert(field->full_name());
    if (field->message_type() != nullptr) CollectSchemaFields(field->message_type(), seen, out);
  }
}

std::set<std::string> MissingFields(const Message& message) {
  std::set<std::string> schema;
  std::set<const Descriptor*> seen;
  CollectSchemaFields(message.GetDescriptor(), &seen, &schema);
  std::set<std::string> set;
  CollectSetFields(message, &set);
  std::set<std::string> missing;
  for (const auto& name : schema) {
    if (set.count(name) == 0) missing.insert(name);
  }
  return missing;
}

template <class M>
void ExpectRoundTrip(const M& original) {
  std::string wire;
  ASSERT_TRUE(original.SerializeToString(&wire));
  ASSERT_FALSE(wire.empty());
  M parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(original, parsed)) << diff;
  EXPECT_THAT(UnknownFieldPaths(parsed), IsEmpty());
  // Deterministic output: a second serialization gives the same bytes.
  std::string again;
  ASSERT_TRUE(parsed.SerializeToString(&again));
  EXPECT_EQ(again, wire);
}

// ---------------------------------------------------------------------------------------------

TEST(ProtoRoundTrip, CoversEveryField) {
  // Oneof members each count as a field, so every AnyValue case, both NumberDataPoint value
  // kinds and all five metric kinds have to appear.
  EXPECT_THAT(MissingFields(FullTraceRequest()), IsEmpty());
  EXPECT_THAT(MissingFields(FullMetricsRequest()), IsEmpty());
  EXPECT_THAT(MissingFields(FullLogsRequest()), IsEmpty());
}

TEST(ProtoRoundTrip, Traces) { ExpectRoundTrip(FullTraceRequest()); }
TEST(ProtoRoundTrip, Metrics) { ExpectRoundTrip(FullMetricsRequest()); }
TEST(ProtoRoundTrip, Logs) { ExpectRoundTrip(FullLogsRequest()); }

TEST(ProtoRoundTrip, KeepsEdgeValues) {
  auto req = FullMetricsRequest();
  std::string wire;
  ASSERT_TRUE(req.SerializeToString(&wire));
  collector_metrics::ExportMetricsServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  const auto& metrics = parsed.resource_metrics(0).scope_metrics(0).metrics();
  ASSERT_EQ(metrics.size(), 5);
  // proto3 `optional`: an explicit 0.0 sum stays present; an unset min would not.
  const auto& hp = metrics[2].histogram().data_points(0);
  EXPECT_TRUE(hp.has_sum());
  EXPECT_EQ(hp.sum(), 0.0);
  EXPECT_TRUE(hp.has_min());
  metricspb::HistogramDataPoint bare;
  EXPECT_FALSE(bare.has_sum());
  // sfixed64 and sint32 keep their sign.
  EXPECT_EQ(metrics[1].sum().data_points(0).as_int(), -5000000000LL);
  EXPECT_EQ(metrics[3].exponential_histogram().data_points(0).scale(), -2);
  EXPECT_EQ(metrics[3].exponential_histogram().data_points(0).positive().offset(), -3);
  // NaN is a legal double on the wire.
  metricspb::NumberDataPoint nan_point;
  nan_point.set_as_double(std::numeric_limits<double>::quiet_NaN());
  metricspb::NumberDataPoint nan_parsed;
  ASSERT_TRUE(nan_parsed.ParseFromString(nan_point.SerializeAsString()));
  EXPECT_TRUE(std::isnan(nan_parsed.as_double()));

  auto traces = FullTraceRequest();
  collector_trace::ExportTraceServiceRequest tparsed;
  ASSERT_TRUE(tparsed.ParseFromString(traces.SerializeAsString()));
  const auto& span = tparsed.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.end_time_unix_nano(), 0xFFFFFFFFFFFFFFFFULL);
  EXPECT_EQ(Hex(span.trace_id()), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(span.attributes(2).value().int_value(), std::numeric_limits<int64_t>::min());
}

TEST(ProtoRoundTrip, DataMessagesShareTheRequestWireFormat) {
  // TracesData / MetricsData / LogsData use field 1 like the export requests, so a file of one
  // parses as the other. Tools that store OTLP on disk rely on it.
  auto traces = FullTraceRequest();
  tracepb::TracesData traces_data;
  ASSERT_TRUE(traces_data.ParseFromString(traces.SerializeAsString()));
  EXPECT_EQ(traces_data.SerializeAsString(), traces.SerializeAsString());

  auto metrics = FullMetricsRequest();
  metricspb::MetricsData metrics_data;
  ASSERT_TRUE(metrics_data.ParseFromString(metrics.SerializeAsString()));
  EXPECT_EQ(metrics_data.SerializeAsString(), metrics.SerializeAsString());

  auto logs = FullLogsRequest();
  logspb::LogsData logs_data;
  ASSERT_TRUE(logs_data.ParseFromString(logs.SerializeAsString()));
  EXPECT_EQ(logs_data.SerializeAsString(), logs.SerializeAsString());
}

TEST(ProtoRoundTrip, ResponsesWithPartialSuccess) {
  collector_trace::ExportTraceServiceResponse traces;
  traces.mutable_partial_success()->set_rejected_spans(3);
  traces.mutable_partial_success()->set_error_message("3 spans had an invalid trace_id");
  EXPECT_THAT(MissingFields(traces), IsEmpty());
  ExpectRoundTrip(traces);

  collector_metrics::ExportMetricsServiceResponse metrics;
  metrics.mutable_partial_success()->set_rejected_data_points(4);
  metrics.mutable_partial_success()->set_error_message("4 points without a value");
  EXPECT_THAT(MissingFields(metrics), IsEmpty());
  ExpectRoundTrip(metrics);

  collector_logs::ExportLogsServiceResponse logs;
  logs.mutable_partial_success()->set_rejected_log_records(5);
  logs.mutable_partial_success()->set_error_message("5 records too large");
  EXPECT_THAT(MissingFields(logs), IsEmpty());
  ExpectRoundTrip(logs);

  // An empty response (full success) is zero bytes on the wire.
  EXPECT_EQ(collector_trace::ExportTraceServiceResponse().ByteSizeLong(), 0u);
}

TEST(ProtoRoundTrip, GoogleRpcStatusWithDetails) {
  google::rpc::Status status;
  status.set_code(14);  // UNAVAILABLE
  status.set_message("data refused due to high memory usage");
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(5);
  retry.mutable_retry_delay()->set_nanos(500000000);
  ASSERT_TRUE(status.add_details()->PackFrom(retry));
  google::rpc::ErrorInfo info;
  info.set_reason("MEMORY_LIMIT");
  info.set_domain("otlpd");
  (*info.mutable_metadata())["limit_mib"] = "512";
  ASSERT_TRUE(status.add_details()->PackFrom(info));
  google::rpc::BadRequest bad;
  auto* violation = bad.add_field_violations();
  violation->set_field("resource_spans[0].scope_spans[0].spans[0].trace_id");
  violation->set_description("must be 16 bytes");
  ASSERT_TRUE(status.add_details()->PackFrom(bad));
  ExpectRoundTrip(status);

  google::rpc::Status parsed;
  ASSERT_TRUE(parsed.ParseFromString(status.SerializeAsString()));
  ASSERT_EQ(parsed.details_size(), 3);
  EXPECT_EQ(parsed.details(0).type_url(), "type.googleapis.com/google.rpc.RetryInfo");
  google::rpc::RetryInfo retry_parsed;
  ASSERT_TRUE(parsed.details(0).UnpackTo(&retry_parsed));
  EXPECT_EQ(retry_parsed.retry_delay().seconds(), 5);
  EXPECT_EQ(retry_parsed.retry_delay().nanos(), 500000000);
  google::rpc::ErrorInfo info_parsed;
  ASSERT_TRUE(parsed.details(1).UnpackTo(&info_parsed));
  EXPECT_EQ(info_parsed.metadata().at("limit_mib"), "512");
  EXPECT_TRUE(parsed.details(2).Is<google::rpc::BadRequest>());
}

}  // namespace
}  // namespace otlpd::testing
