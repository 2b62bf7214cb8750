// CheckIdLengths: IDs of 16 (trace) and 8 (span) bytes, or empty, everywhere a request has one.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/id_lengths.h"
#include "pipeline/otlp_json.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;

opentelemetry::proto::trace::v1::Span& FirstSpan(TraceRequest& r) {
  return *r.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0);
}

TEST(IdLengthsTest, WellFormedAndEmptyIdsPass) {
  TraceRequest traces = MakeTraces(3).request();
  EXPECT_TRUE(CheckIdLengths(traces).ok());
  FirstSpan(traces).clear_trace_id();
  FirstSpan(traces).clear_span_id();
  EXPECT_TRUE(CheckIdLengths(traces).ok());
  EXPECT_TRUE(CheckIdLengths(MakeMetrics(2).request()).ok());
  EXPECT_TRUE(CheckIdLengths(MakeLogs(2).request()).ok());
}

TEST(IdLengthsTest, SpanIdsOfAnotherLengthAreInvalidArgument) {
  TraceRequest traces = MakeTraces(2).request();
  FirstSpan(traces).set_span_id(std::string(16, '\x01'));  // a trace ID where a span ID goes
  Status s = CheckIdLengths(traces);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("span span_id: want 8 bytes or none, got 16"));

  traces = MakeTraces(1).request();
  FirstSpan(traces).set_trace_id("abc");
  EXPECT_THAT(CheckIdLengths(traces).message(), HasSubstr("span trace_id"));

  traces = MakeTraces(1).request();
  FirstSpan(traces).set_parent_span_id(std::string(7, '\x01'));
  EXPECT_THAT(CheckIdLengths(traces).message(), HasSubstr("span parent_span_id"));

  traces = MakeTraces(1).request();
  FirstSpan(traces).add_links()->set_trace_id(std::string(8, '\x01'));
  EXPECT_THAT(CheckIdLengths(traces).message(), HasSubstr("link trace_id"));
}

TEST(IdLengthsTest, LogAndExemplarIdsAreChecked) {
  LogsRequest logs = MakeLogs(1).request();
  logs.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0)->set_span_id("x");
  EXPECT_THAT(CheckIdLengths(logs).message(), HasSubstr("log record span_id"));

  MetricsRequest metrics = MakeMetrics(1).request();
  auto* metric = metrics.mutable_resource_metrics(0)->mutable_scope_metrics(0)->mutable_metrics(0);
  auto* histogram = metric->mutable_histogram()->add_data_points();
  histogram->add_exemplars()->set_trace_id(std::string(15, '\x01'));
  EXPECT_THAT(CheckIdLengths(metrics).message(), HasSubstr("exemplar trace_id"));
}

// Found by otlp_proto_fuzzer: protobuf accepted a 16-byte span ID that OTLP/JSON cannot express,
// so the request could not be written as JSON again. What passes the check always can.
TEST(IdLengthsTest, WhatPassesPrintsAsJsonThatReadsBack) {
  TraceRequest traces = MakeTraces(2).request();
  FirstSpan(traces).set_span_id(std::string(16, '\x75'));
  ASSERT_FALSE(CheckIdLengths(traces).ok());
  StatusOr<std::string> bad = PrintOtlpJson(traces);
  ASSERT_TRUE(bad.ok());
  TraceRequest back;
  EXPECT_FALSE(ParseOtlpJson(*bad, back).ok());

  FirstSpan(traces).set_span_id(std::string(8, '\x75'));
  ASSERT_TRUE(CheckIdLengths(traces).ok());
  StatusOr<std::string> good = PrintOtlpJson(traces);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(ParseOtlpJson(*good, back).ok());
}

}  // namespace
}  // namespace otlpd
