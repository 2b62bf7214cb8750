// ScanEncodedRequest: accepts exactly what ParseFromString accepts and CheckIdLengths passes,
// and counts what CountItems counts. Most cases are differential: the same bytes go through the
// decoder, and the scan must agree with it.
#include <cstdint>
#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/wire_format_lite.h>

#include "cmd/otlpgen/request_shapes.h"
#include "pipeline/id_lengths.h"
#include "pipeline/otlp_wire.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using WFL = google::protobuf::internal::WireFormatLite;
namespace metrics = opentelemetry::proto::metrics::v1;

// Wire building blocks for inputs the generated setters cannot produce.
std::string Tag(uint32_t number, WFL::WireType type) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag(WFL::MakeTag(static_cast<int>(number), type));
  coded.Trim();
  return out;
}
std::string Varint(uint64_t v) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteVarint64(v);
  coded.Trim();
  return out;
}
std::string Bytes(uint32_t number, std::string_view payload) {
  return Tag(number, WFL::WIRETYPE_LENGTH_DELIMITED) + Varint(payload.size()) +
         std::string(payload);
}
// A whole MetricsRequest around the bytes of one Metric.
std::string MetricsWith(std::string_view metric) {
  return Bytes(1, Bytes(2, Bytes(2, metric)));
}
// A whole TraceRequest around the bytes of one Span.
std::string TracesWith(std::string_view span) { return Bytes(1, Bytes(2, Bytes(2, span))); }

// The decoder's verdict, as a receiver reaches it: parse, then check ID lengths.
template <class Request>
StatusOr<int64_t> Decoded(std::string_view bytes) {
  Request r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError(std::string(kUnparsableProtobuf));
  }
  if (Status s = CheckIdLengths(r); !s.ok()) return s;
  return CountItems(r);
}

template <class Request>
void ExpectAgree(std::string_view bytes) {
  const StatusOr<int64_t> scanned = ScanEncodedRequest<Request>(bytes);
  const StatusOr<int64_t> decoded = Decoded<Request>(bytes);
  ASSERT_EQ(scanned.ok(), decoded.ok()) << (scanned.ok() ? decoded : scanned).status().ToString();
  if (decoded.ok()) {
    EXPECT_EQ(*scanned, *decoded);
  } else {
    EXPECT_EQ(scanned.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(scanned.status().message(), decoded.status().message());
  }
}

class OtlpWireTest : public ::testing::Test {
 protected:
  // protobuf logs each string it refuses for invalid UTF-8; the tests make many on purpose.
  static void SetUpTestSuite() {
    google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int,
                                       const std::string&) {});
  }
  static void TearDownTestSuite() { google::protobuf::SetLogHandler(nullptr); }
};

TEST_F(OtlpWireTest, CountsRealisticRequestsOfEverySignal) {
  const std::string traces = otlpgen::MakeTraceRequest(100, 7).SerializeAsString();
  EXPECT_EQ(*ScanEncodedRequest<TraceRequest>(traces), 100);
  const std::string metrics = otlpgen::MakeMetricsRequest(50, 7).SerializeAsString();
  EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(metrics), 50);
  const std::string logs = otlpgen::MakeLogsRequest(30, 7).SerializeAsString();
  EXPECT_EQ(*ScanEncodedRequest<LogsRequest>(logs), 30);
  EXPECT_EQ(*ScanEncodedRequest<TraceRequest>(testing::MakeTraces(3).request().SerializeAsString()), 3);
  EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(testing::MakeMetrics(4).request().SerializeAsString()), 4);
  EXPECT_EQ(*ScanEncodedRequest<LogsRequest>(testing::MakeLogs(5).request().SerializeAsString()), 5);
  EXPECT_EQ(*ScanEncodedRequest<TraceRequest>(""), 0);
}

TEST_F(OtlpWireTest, ConcatenatedRequestsCountAsOne) {
  const std::string a = otlpgen::MakeTraceRequest(10, 1).SerializeAsString();
  const std::string b = otlpgen::MakeTraceRequest(7, 2).SerializeAsString();
  EXPECT_EQ(*ScanEncodedRequest<TraceRequest>(a + b), 17);
}

TEST_F(OtlpWireTest, CountsDataPointsOfEveryMetricType) {
  MetricsRequest r;
  auto* sm = r.add_resource_metrics()->add_scope_metrics();
  sm->add_metrics()->mutable_gauge()->add_data_points();
  auto* sum = sm->add_metrics()->mutable_sum();
  sum->add_data_points();
  sum->add_data_points();
  auto* hist = sm->add_metrics()->mutable_histogram()->add_data_points();
  hist->add_bucket_counts(1);
  hist->add_explicit_bounds(2.5);
  auto* exp = sm->add_metrics()->mutable_exponential_histogram();
  exp->add_data_points()->mutable_positive()->add_bucket_counts(3);
  exp->add_data_points();
  exp->add_data_points();
  auto* summary = sm->add_metrics()->mutable_summary();
  for (int i = 0; i < 4; ++i) summary->add_data_points()->add_quantile_values()->set_value(i);
  sm->add_metrics()->set_name("no data");
  const std::string wire = r.SerializeAsString();
  EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(wire), 1 + 2 + 1 + 3 + 4);
  ExpectAgree<MetricsRequest>(wire);
}

// The `data` oneof on the wire several times: the last member wins; repeats of one member merge.
TEST_F(OtlpWireTest, MetricDataOneofCountsWhatDecodingKeeps) {
  const auto gauge = [](int points) {
    metrics::Metric m;
    for (int i = 0; i < points; ++i) m.mutable_gauge()->add_data_points()->set_as_int(i);
    return m.SerializeAsString();
  };
  const auto sum = [](int points) {
    metrics::Metric m;
    for (int i = 0; i < points; ++i) m.mutable_sum()->add_data_points()->set_as_int(i);
    return m.SerializeAsString();
  };
  struct Case {
    std::string metric;
    int64_t want;
  };
  const Case cases[] = {
      {gauge(2) + gauge(3), 5},            // merged
      {gauge(2) + sum(3), 3},              // replaced
      {gauge(2) + sum(3) + gauge(4), 4},   // replaced, and the first gauge is gone
      {sum(1) + gauge(2) + gauge(2) + sum(5), 5},
      {gauge(2) + Bytes(1, "name") + gauge(1), 3},  // another field between: still merged
  };
  for (const Case& c : cases) {
    const std::string wire = MetricsWith(c.metric);
    EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(wire), c.want);
    ExpectAgree<MetricsRequest>(wire);
  }
}

TEST_F(OtlpWireTest, IdLengthsAreCheckedOnWhatDecodingKeeps) {
  metrics::Metric bad_gauge;
  bad_gauge.mutable_gauge()->add_data_points()->add_exemplars()->set_span_id("123");
  metrics::Metric good_sum;
  good_sum.mutable_sum()->add_data_points()->add_exemplars()->set_span_id("12345678");
  // The exemplar with the bad span ID goes with the replaced gauge.
  ExpectAgree<MetricsRequest>(MetricsWith(bad_gauge.SerializeAsString() + good_sum.SerializeAsString()));
  EXPECT_TRUE(ScanEncodedRequest<MetricsRequest>(
                  MetricsWith(bad_gauge.SerializeAsString() + good_sum.SerializeAsString()))
                  .ok());
  EXPECT_THAT(ScanEncodedRequest<MetricsRequest>(
                  MetricsWith(good_sum.SerializeAsString() + bad_gauge.SerializeAsString()))
                  .status()
                  .message(),
              "invalid exemplar span_id: want 8 bytes or none, got 3");

  // A singular bytes field keeps its last value.
  const std::string id16(16, 'a'), id8(8, 'b');
  EXPECT_TRUE(ScanEncodedRequest<TraceRequest>(TracesWith(Bytes(2, "xx") + Bytes(2, id8))).ok());
  EXPECT_FALSE(ScanEncodedRequest<TraceRequest>(TracesWith(Bytes(2, id8) + Bytes(2, "xx"))).ok());
  // Several bad IDs: the same one is named as CheckIdLengths names (span IDs before links,
  // trace_id before span_id whatever the wire order).
  const std::string link = Bytes(13, Bytes(1, "t"));
  for (const std::string& span : {link + Bytes(4, "p"), Bytes(2, "s") + Bytes(1, "t") + link,
                                  link + Bytes(2, id8)}) {
    ExpectAgree<TraceRequest>(TracesWith(span));
  }
  metrics::Metric exemplar_both;
  auto* e = exemplar_both.mutable_gauge()->add_data_points()->add_exemplars();
  e->set_span_id("1");
  e->set_trace_id("2");
  ExpectAgree<MetricsRequest>(MetricsWith(exemplar_both.SerializeAsString()));
  LogsRequest logs = testing::MakeLogs(2).request();
  logs.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(1)->set_trace_id("x");
  EXPECT_THAT(ScanEncodedRequest<LogsRequest>(logs.SerializeAsString()).status().message(),
              "invalid log record trace_id: want 16 bytes or none, got 1");
}

TEST_F(OtlpWireTest, MalformedBytesAreRefusedAsUnparsable) {
  const std::string good = otlpgen::MakeTraceRequest(3, 1).SerializeAsString();
  const std::string span = testing::MakeTraces(1).request().resource_spans(0).scope_spans(0)
                               .spans(0).SerializeAsString();
  const std::string inputs[] = {
      good.substr(0, good.size() - 1),                        // truncated
      good.substr(0, good.size() / 2),
      Tag(1, WFL::WIRETYPE_LENGTH_DELIMITED) + Varint(1000) + "abc",  // length past the end
      good + Tag(1, WFL::WIRETYPE_LENGTH_DELIMITED),           // tag without a length
      good + std::string("\x0e\x01", 2),                      // wire type 6
      good + std::string("\x0f\x01", 2),                      // wire type 7
      good + std::string("\x02\x00", 2),                      // field number 0
      good + std::string("\x00", 1),                          // tag 0
      good + Tag(99, WFL::WIRETYPE_END_GROUP),                // end-group without a start
      good + Tag(99, WFL::WIRETYPE_START_GROUP) + Tag(98, WFL::WIRETYPE_END_GROUP),
      good + Tag(99, WFL::WIRETYPE_START_GROUP) + Varint(8) + Varint(1),  // never ends
      good + Tag(99, WFL::WIRETYPE_VARINT) + std::string(10, '\xff') + "\x01",  // 11 bytes
      good + std::string("\xff\xff\xff\xff\xff\x01", 6) + Varint(1),  // a 6-byte tag
      good + Tag(99, WFL::WIRETYPE_FIXED64) + "1234567",      // short fixed64
      TracesWith(span + Bytes(5, "bad \xff name")),            // invalid UTF-8
      TracesWith(Bytes(9, Bytes(1, "k\xc0\x80"))),             // overlong: not UTF-8 either
      TracesWith(span + Tag(1, WFL::WIRETYPE_END_GROUP)),      // end-group inside a message
  };
  for (const std::string& bytes : inputs) {
    const StatusOr<int64_t> scanned = ScanEncodedRequest<TraceRequest>(bytes);
    EXPECT_FALSE(scanned.ok());
    EXPECT_TRUE(IsUnparsableProtobuf(scanned.status())) << scanned.status().ToString();
    ExpectAgree<TraceRequest>(bytes);
  }
}

TEST_F(OtlpWireTest, UnknownFieldsAreSkippedAsProtobufSkipsThem) {
  const std::string good = otlpgen::MakeTraceRequest(3, 1).SerializeAsString();
  const std::string group = Tag(99, WFL::WIRETYPE_START_GROUP) + Tag(1, WFL::WIRETYPE_VARINT) +
                            Varint(5) + Bytes(2, "\xff not utf-8") +
                            Tag(3, WFL::WIRETYPE_START_GROUP) + Tag(3, WFL::WIRETYPE_END_GROUP) +
                            Tag(99, WFL::WIRETYPE_END_GROUP);
  const std::string inputs[] = {
      good + group,
      good + Tag(77, WFL::WIRETYPE_FIXED32) + "abcd" + Tag(78, WFL::WIRETYPE_FIXED64) + "abcdefgh",
      good + Bytes(536870911, "the largest field number"),
      // A known field with another wire type is unknown: a span name as a varint, a span as a
      // fixed32 (which then counts nothing), a trace ID as a varint (which is then not an ID).
      TracesWith(Tag(5, WFL::WIRETYPE_VARINT) + Varint(3)),
      Bytes(1, Bytes(2, Tag(2, WFL::WIRETYPE_FIXED32) + "abcd")),
      TracesWith(Tag(1, WFL::WIRETYPE_VARINT) + Varint(3)),
  };
  const int64_t want[] = {3, 3, 3, 1, 0, 1};
  for (size_t i = 0; i < std::size(inputs); ++i) {
    EXPECT_EQ(*ScanEncodedRequest<TraceRequest>(inputs[i]), want[i]) << i;
    ExpectAgree<TraceRequest>(inputs[i]);
  }
}

TEST_F(OtlpWireTest, RepeatedScalarsArePackedOrNot) {
  const auto hist = [](std::string_view point) {
    return MetricsWith(Bytes(9, Bytes(1, point)));
  };
  const std::string one = std::string(8, '\1');
  EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(hist(Bytes(6, one + one))), 1);  // packed
  EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(
                hist(Tag(6, WFL::WIRETYPE_FIXED64) + one + Tag(6, WFL::WIRETYPE_FIXED64) + one)),
            1);  // unpacked
  EXPECT_FALSE(ScanEncodedRequest<MetricsRequest>(hist(Bytes(6, one + "123"))).ok());
  // Exponential histogram buckets are packed varints, which must fill their length exactly.
  const auto buckets = [](std::string_view counts) {
    return MetricsWith(Bytes(10, Bytes(1, Bytes(8, Bytes(2, counts)))));
  };
  EXPECT_EQ(*ScanEncodedRequest<MetricsRequest>(buckets(Varint(300) + Varint(1))), 1);
  EXPECT_FALSE(ScanEncodedRequest<MetricsRequest>(buckets(Varint(300).substr(0, 1))).ok());
  for (const std::string& bytes :
       {hist(Bytes(6, one + one)), hist(Bytes(6, one + "123")),
        buckets(Varint(300) + Varint(1)), buckets(Varint(300).substr(0, 1))}) {
    ExpectAgree<MetricsRequest>(bytes);
  }
}

// protobuf stops at 100 nested messages; an AnyValue array level is two of them.
TEST_F(OtlpWireTest, NestingStopsWhereProtobufStops) {
  bool saw_accept = false, saw_refuse = false;
  for (int depth = 40; depth <= 52; ++depth) {
    TraceRequest r = testing::MakeTraces(1).request();
    auto* kv = r.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->add_attributes();
    kv->set_key("deep");
    auto* v = kv->mutable_value();
    for (int i = 0; i < depth; ++i) v = v->mutable_array_value()->add_values();
    v->set_int_value(1);
    const std::string wire = r.SerializeAsString();
    ExpectAgree<TraceRequest>(wire);
    (ScanEncodedRequest<TraceRequest>(wire).ok() ? saw_accept : saw_refuse) = true;
  }
  EXPECT_TRUE(saw_accept);
  EXPECT_TRUE(saw_refuse);
  // Unknown groups count as nesting too.
  for (int depth : {99, 100, 101}) {
    std::string groups;
    for (int i = 0; i < depth; ++i) groups += Tag(5, WFL::WIRETYPE_START_GROUP);
    for (int i = 0; i < depth; ++i) groups += Tag(5, WFL::WIRETYPE_END_GROUP);
    ExpectAgree<TraceRequest>(groups);
  }
}

}  // namespace
}  // namespace otlpd
