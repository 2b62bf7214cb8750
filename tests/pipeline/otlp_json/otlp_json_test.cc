// Tests for pipeline/otlp_json.h: the OTLP differences from protobuf's JSON mapping (hex IDs,
// integer enums, unknown fields, both name spellings, 64-bit integers either way), round trips,
// and the JSON files written by the official JS SDK against their .binpb twins.
#include "pipeline/otlp_json.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/telemetry.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Bytes(std::initializer_list<int> b) {
  std::string out;
  for (int v : b) out += static_cast<char>(v);
  return out;
}

TraceRequest RichTraces() {
  TraceRequest req = std::move(*testing::MakeTraces(2).TakeRequest());
  auto* span = req.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(1);
  span->set_parent_span_id(Bytes({0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3}));
  span->set_kind(opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
  span->mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
  auto* link = span->add_links();
  link->set_trace_id(std::string(16, '\x7f'));
  link->set_span_id(std::string(8, '\x80'));
  auto* attr = span->add_attributes();
  attr->set_key("blob");
  attr->mutable_value()->set_bytes_value(Bytes({0, 1, 0xff}));
  return req;
}

TEST(OtlpJsonTest, PrintsHexIdsAndIntegerEnums) {
  TraceRequest req = RichTraces();
  StatusOr<std::string> json = PrintOtlpJson(req);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_THAT(*json, HasSubstr(R"("traceId":"01000000000000000000000000000001")"));
  EXPECT_THAT(*json, HasSubstr(R"("spanId":"0100000000000001")"));
  EXPECT_THAT(*json, HasSubstr(R"("parentSpanId":"deadbeef00010203")"));
  EXPECT_THAT(*json, HasSubstr(R"("traceId":"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f")"));
  EXPECT_THAT(*json, HasSubstr(R"("spanId":"8080808080808080")"));
  EXPECT_THAT(*json, HasSubstr(R"("kind":2)"));
  EXPECT_THAT(*json, HasSubstr(R"("code":2)"));
  // Bytes that are not IDs stay base64, as the specification says.
  EXPECT_THAT(*json, HasSubstr(R"("bytesValue":"AAH/")"));
  EXPECT_THAT(*json, HasSubstr("resourceSpans"));
  EXPECT_THAT(*json, Not(HasSubstr("resource_spans")));
}

TEST(OtlpJsonTest, RoundTripsEverySignal) {
  TraceRequest traces = RichTraces();
  TraceRequest traces_back;
  ASSERT_TRUE(ParseOtlpJson(*PrintOtlpJson(traces), traces_back).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(traces, traces_back)) << traces_back.DebugString();

  MetricsRequest metrics = std::move(*testing::MakeMetrics(3).TakeRequest());
  auto* dp = metrics.mutable_resource_metrics(0)->mutable_scope_metrics(0)->mutable_metrics(0)
                 ->mutable_gauge()->mutable_data_points(0);
  auto* ex = dp->add_exemplars();
  ex->set_trace_id(std::string(16, '\x11'));
  ex->set_span_id(std::string(8, '\x22'));
  ex->set_as_double(1.5);
  MetricsRequest metrics_back;
  StatusOr<std::string> metrics_json = PrintOtlpJson(metrics);
  EXPECT_THAT(*metrics_json, HasSubstr(R"("traceId":"11111111111111111111111111111111")"));
  ASSERT_TRUE(ParseOtlpJson(*metrics_json, metrics_back).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(metrics, metrics_back));

  LogsRequest logs = std::move(*testing::MakeLogs(2).TakeRequest());
  auto* rec = logs.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(1);
  rec->set_trace_id(std::string(16, '\xab'));
  rec->set_span_id(std::string(8, '\xcd'));
  rec->set_severity_number(opentelemetry::proto::logs::v1::SEVERITY_NUMBER_WARN);
  LogsRequest logs_back;
  StatusOr<std::string> logs_json = PrintOtlpJson(logs);
  EXPECT_THAT(*logs_json, HasSubstr(R"("spanId":"cdcdcdcdcdcdcdcd")"));
  EXPECT_THAT(*logs_json, HasSubstr(R"("severityNumber":13)"));
  ASSERT_TRUE(ParseOtlpJson(*logs_json, logs_back).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(logs, logs_back));
}

TEST(OtlpJsonTest, ReadsSnakeCaseEnumNamesNumbersAndIgnoresUnknownFields) {
  const std::string json = R"({
    "resource_spans": [{
      "scope_spans": [{
        "spans": [{
          "trace_id": "0102030405060708090A0B0C0D0E0F10",
          "span_id": "a1a2a3a4a5a6a7a8",
          "parent_span_id": "",
          "name": "op",
          "kind": "SPAN_KIND_CLIENT",
          "start_time_unix_nano": 1700000000000000001,
          "endTimeUnixNano": "1700000000000000002",
          "status": {"code": "STATUS_CODE_OK"},
          "attributes": [{"key": "traceId", "value": {"stringValue": "not an id \"traceId\": \"zz\""}}],
          "someFutureField": {"traceId": 42, "nested": [1, 2]}
        }]
      }],
      "anotherFutureField": "x"
    }]
  })";
  TraceRequest req;
  Status s = ParseOtlpJson(json, req);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const auto& span = req.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id(), Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  EXPECT_EQ(span.span_id(), Bytes({0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8}));
  EXPECT_EQ(span.parent_span_id(), "");
  EXPECT_EQ(span.kind(), opentelemetry::proto::trace::v1::Span::SPAN_KIND_CLIENT);
  EXPECT_EQ(span.start_time_unix_nano(), 1700000000000000001ull);  // exact, not via double
  EXPECT_EQ(span.end_time_unix_nano(), 1700000000000000002ull);
  EXPECT_EQ(span.status().code(), opentelemetry::proto::trace::v1::Status::STATUS_CODE_OK);
  EXPECT_EQ(span.attributes(0).value().string_value(), "not an id \"traceId\": \"zz\"");
}

TEST(OtlpJsonTest, ReadsIntegerEnums) {
  LogsRequest req;
  ASSERT_TRUE(ParseOtlpJson(
                  R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":9}]}]}]})", req)
                  .ok());
  EXPECT_EQ(req.resource_logs(0).scope_logs(0).log_records(0).severity_number(),
            opentelemetry::proto::logs::v1::SEVERITY_NUMBER_INFO);
}

TEST(OtlpJsonTest, BadIdsAreInvalidArgument) {
  const auto parse = [](const std::string& span_fields) {
    TraceRequest req;
    return ParseOtlpJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{)" + span_fields + "}]}]}]}",
                         req);
  };
  Status not_hex = parse(R"("traceId":"zz02030405060708090a0b0c0d0e0f10")");
  EXPECT_EQ(not_hex.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(not_hex.message(), HasSubstr("traceId"));
  Status too_short = parse(R"("spanId":"0102")");
  EXPECT_EQ(too_short.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(too_short.message(), HasSubstr("want 16 hex digits, got 4"));
  // Base64, which protobuf's plain mapping would take, is not an OTLP/JSON ID.
  Status base64 = parse(R"("traceId":"AQIDBAUGBwgJCgsMDQ4PEA==")");
  EXPECT_EQ(base64.code(), StatusCode::kInvalidArgument);
  Status parent = parse(R"("parent_span_id":"0102030405060708aa")");
  EXPECT_EQ(parent.code(), StatusCode::kInvalidArgument);
}

TEST(OtlpJsonTest, MalformedJsonIsInvalidArgument) {
  TraceRequest req;
  for (const char* bad : {"", "{", R"({"resourceSpans": 5})", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":7}]}]}]})",
                          R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102)", "[1,2]"}) {
    Status s = ParseOtlpJson(bad, req);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(s.message(), HasSubstr("invalid OTLP/JSON")) << bad;
  }
}

TEST(OtlpJsonTest, EmptyObjectIsAnEmptyRequest) {
  MetricsRequest req = std::move(*testing::MakeMetrics(1).TakeRequest());
  ASSERT_TRUE(ParseOtlpJson("{}", req).ok());
  EXPECT_EQ(req.resource_metrics_size(), 0);
  EXPECT_EQ(*PrintOtlpJson(req), "{}");
}

// The files written by the official JS SDK (tests/testdata/otlp, see its README).
class JsSdkFilesTest : public ::testing::Test {
 protected:
  std::string Read(const std::string& name) {
    const char* root = std::getenv("OTLPD_SOURCE_DIR");
    if (root == nullptr) return "";
    std::ifstream in(std::string(root) + "/tests/testdata/otlp/" + name, std::ios::binary);
    if (!in) return "";
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Parses <base>.json and <base>.binpb; skips when either file is missing.
  template <class Request>
  void Load(const std::string& base, Request& from_json, Request& from_binpb) {
    const std::string json = Read(base + ".json");
    const std::string binpb = Read(base + ".binpb");
    if (json.empty() || binpb.empty()) {
      const char* root = std::getenv("OTLPD_SOURCE_DIR");
      GTEST_SKIP() << "tests/testdata/otlp/" << base << ".json or .binpb is missing "
                   << "(OTLPD_SOURCE_DIR=" << (root != nullptr ? root : "unset") << ")";
    }
    ASSERT_TRUE(from_binpb.ParseFromString(binpb));
    Status s = ParseOtlpJson(json, from_json);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  template <class Repeated>
  static void RemoveAttribute(Repeated* attributes, const std::string& key) {
    for (int i = 0; i < attributes->size(); ++i) {
      if (attributes->Get(i).key() == key) {
        attributes->DeleteSubrange(i, 1);
        return;
      }
    }
    ADD_FAILURE() << "attribute " << key << " not found in the .binpb";
  }
};

TEST_F(JsSdkFilesTest, TracesJsonMatchesBinpb) {
  TraceRequest from_json, from_binpb;
  Load("traces", from_json, from_binpb);
  if (IsSkipped() || HasFatalFailure()) return;
  // The README's known difference: the JS JSON serializer cannot write bytes attributes.
  for (auto& span : *from_binpb.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans()) {
    if (span.kind() == opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER) {
      RemoveAttribute(span.mutable_attributes(), "request.digest");
    }
  }
  EXPECT_TRUE(MessageDifferencer::Equals(from_binpb, from_json))
      << "json:\n" << from_json.DebugString() << "\nbinpb:\n" << from_binpb.DebugString();
  const auto& span = from_json.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id().size(), 16u);
  EXPECT_EQ(span.span_id().size(), 8u);
}

TEST_F(JsSdkFilesTest, MetricsJsonMatchesBinpb) {
  MetricsRequest from_json, from_binpb;
  Load("metrics", from_json, from_binpb);
  if (IsSkipped() || HasFatalFailure()) return;
  EXPECT_TRUE(MessageDifferencer::Equals(from_binpb, from_json))
      << "json:\n" << from_json.DebugString() << "\nbinpb:\n" << from_binpb.DebugString();
}

TEST_F(JsSdkFilesTest, LogsJsonMatchesBinpb) {
  LogsRequest from_json, from_binpb;
  Load("logs", from_json, from_binpb);
  if (IsSkipped() || HasFatalFailure()) return;
  auto* records = from_binpb.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records();
  ASSERT_EQ(records->size(), 3);
  RemoveAttribute(records->Mutable(0)->mutable_attributes(), "order.hash");
  records->Mutable(2)->mutable_body()->Clear();  // bytes body -> empty AnyValue in the JSON
  // Not in the README's list: leaving order.hash out of the JSON input made the JS SDK count
  // it as a dropped attribute on that record.
  auto* json_record = from_json.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0);
  EXPECT_EQ(json_record->dropped_attributes_count(), 1u);
  json_record->set_dropped_attributes_count(records->Get(0).dropped_attributes_count());
  EXPECT_TRUE(MessageDifferencer::Equals(from_binpb, from_json))
      << "json:\n" << from_json.DebugString() << "\nbinpb:\n" << from_binpb.DebugString();
  EXPECT_EQ(from_json.resource_logs(0).scope_logs(0).log_records(0).trace_id().size(), 16u);
}

TEST_F(JsSdkFilesTest, PrintedJsonReadsBackToTheSameMessage) {
  TraceRequest from_json, from_binpb;
  Load("traces", from_json, from_binpb);
  if (IsSkipped() || HasFatalFailure()) return;
  StatusOr<std::string> printed = PrintOtlpJson(from_binpb);
  ASSERT_TRUE(printed.ok());
  TraceRequest back;
  ASSERT_TRUE(ParseOtlpJson(*printed, back).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(from_binpb, back));
}

}  // namespace
}  // namespace otlpd

namespace otlpd {
namespace {

// Found by otlp_json_fuzzer: protobuf's JSON parser reads an empty key as "this message" and
// merged a link's fields into the span around it, IDs included. Empty keys are refused.
TEST(OtlpJsonHostile, EmptyKeyIsRefusedInsteadOfMergedIntoTheMessage) {
  TraceRequest req;
  const Status s = ParseOtlpJson(
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"n",)"
      R"("":[{"spanId":"eee1ceb397c1b174"}]}]}]}]})",
      req);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("empty object key"), std::string::npos) << s.ToString();
  // A key of one space is just an unknown field.
  EXPECT_TRUE(ParseOtlpJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"n",)"
                            R"(" ":[{"spanId":"eee1ceb397c1b174"}]}]}]}]})",
                            req)
                  .ok());
}

// An ID key written with escapes is the same key to protobuf, so it gets the same hex rules.
TEST(OtlpJsonHostile, EscapedIdKeysAreReadAsHexToo) {
  TraceRequest req;
  ASSERT_TRUE(ParseOtlpJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"n",)"
                            R"("\u0074raceId":"5b8efff798038103d269b633813fc60c",)"
                            R"("span\u0049d":"eee1ceb397c1b174"}]}]}]})",
                            req)
                  .ok());
  const auto& span = req.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id().size(), 16u);
  EXPECT_EQ(span.span_id().size(), 8u);
  EXPECT_FALSE(ParseOtlpJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{)"
                             R"("\u0074raceId":"5b8e"}]}]}]})",
                             req)
                   .ok());
}

}  // namespace
}  // namespace otlpd
