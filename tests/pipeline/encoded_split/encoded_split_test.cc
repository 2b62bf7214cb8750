// Differential tests of the wire-level split and append: the same request through SplitRequest on
// objects and SplitEncoded on its bytes must decode to equal halves, for every signal, at every
// cut point of many random requests (metrics cut inside a metric among them).
#include "pipeline/encoded_split.h"

#include <random>
#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace metrics = opentelemetry::proto::metrics::v1;

using google::protobuf::util::MessageDifferencer;

// Builds random requests whose every item is distinguishable (a running serial number), with
// empty resources, empty scopes and metrics without points mixed in.
class RandomRequests {
 public:
  explicit RandomRequests(uint32_t seed) : rng_(seed) {}

  TraceRequest Traces() {
    TraceRequest req;
    for (int r = Pick(0, 4); r > 0; --r) {
      auto* rs = req.add_resource_spans();
      Header(*rs);
      for (int s = Pick(0, 3); s > 0; --s) {
        auto* ss = rs->add_scope_spans();
        Scope(*ss);
        for (int k = Pick(0, 5); k > 0; --k) {
          auto* span = ss->add_spans();
          span->set_name("span-" + std::to_string(++serial_));
          span->set_trace_id(std::string(16, 'T'));
          span->set_span_id(std::string(8, 'S'));
        }
      }
    }
    return req;
  }

  LogsRequest Logs() {
    LogsRequest req;
    for (int r = Pick(0, 4); r > 0; --r) {
      auto* rl = req.add_resource_logs();
      Header(*rl);
      for (int s = Pick(0, 3); s > 0; --s) {
        auto* sl = rl->add_scope_logs();
        Scope(*sl);
        for (int k = Pick(0, 5); k > 0; --k) {
          sl->add_log_records()->mutable_body()->set_string_value("log-" +
                                                                  std::to_string(++serial_));
        }
      }
    }
    return req;
  }

  MetricsRequest Metrics() {
    MetricsRequest req;
    for (int r = Pick(0, 3); r > 0; --r) {
      auto* rm = req.add_resource_metrics();
      Header(*rm);
      for (int s = Pick(0, 3); s > 0; --s) {
        auto* sm = rm->add_scope_metrics();
        Scope(*sm);
        for (int k = Pick(0, 4); k > 0; --k) Metric(*sm->add_metrics());
      }
    }
    return req;
  }

 private:
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  template <class ResourceX>
  void Header(ResourceX& r) {
    auto* kv = r.mutable_resource()->add_attributes();
    kv->set_key("res");
    kv->mutable_value()->set_string_value("r" + std::to_string(++serial_));
    if (Pick(0, 1) == 1) r.set_schema_url("https://schema/" + std::to_string(serial_));
    r.mutable_resource()->set_dropped_attributes_count(static_cast<uint32_t>(Pick(0, 2)));
  }

  template <class ScopeX>
  void Scope(ScopeX& s) {
    s.mutable_scope()->set_name("scope-" + std::to_string(++serial_));
    s.mutable_scope()->set_version("1.2");
    if (Pick(0, 1) == 1) s.set_schema_url("https://scope/" + std::to_string(serial_));
  }

  template <class Data>
  void Points(Data& data) {
    for (int p = Pick(0, 5); p > 0; --p) {
      data.add_data_points()->set_time_unix_nano(static_cast<uint64_t>(++serial_));
    }
  }

  void Metric(metrics::Metric& m) {
    m.set_name("metric-" + std::to_string(++serial_));
    m.set_description("what it measures");
    m.set_unit("1");
    switch (Pick(0, 5)) {
      case 0: Points(*m.mutable_gauge()); break;
      case 1:
        m.mutable_sum()->set_is_monotonic(true);
        m.mutable_sum()->set_aggregation_temporality(
            metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
        Points(*m.mutable_sum());
        break;
      case 2:
        m.mutable_histogram()->set_aggregation_temporality(
            metrics::AGGREGATION_TEMPORALITY_DELTA);
        Points(*m.mutable_histogram());
        break;
      case 3: Points(*m.mutable_exponential_histogram()); break;
      case 4: Points(*m.mutable_summary()); break;
      default: break;  // no data at all
    }
  }

  std::mt19937 rng_;
  int serial_ = 0;
};

template <class Request>
Request Decode(const std::string& bytes) {
  Request r;
  EXPECT_TRUE(r.ParseFromString(bytes));
  return r;
}

// Splits `original` at every cut point from -1 to one past its item count, on objects and on
// bytes, and compares the decoded halves and the item counts.
template <class Request>
void ExpectSplitsAgree(const Request& original) {
  const int64_t total = CountItems(original);
  for (int64_t n = -1; n <= total + 1; ++n) {
    SCOPED_TRACE("cut after " + std::to_string(n) + " of " + std::to_string(total));
    Request rest_objects = original;
    const Request head_objects = SplitRequest(rest_objects, n);

    std::string rest_bytes = original.SerializeAsString();
    int64_t rest_items = total;
    const std::string head_bytes = SplitEncoded<Request>(rest_bytes, rest_items, n);

    const Request head = Decode<Request>(head_bytes);
    const Request rest = Decode<Request>(rest_bytes);
    EXPECT_TRUE(MessageDifferencer::Equals(head, head_objects))
        << "wire head:\n" << head.DebugString() << "object head:\n" << head_objects.DebugString();
    EXPECT_TRUE(MessageDifferencer::Equals(rest, rest_objects))
        << "wire rest:\n" << rest.DebugString() << "object rest:\n" << rest_objects.DebugString();
    EXPECT_EQ(rest_items, CountItems(rest_objects));
    EXPECT_EQ(CountItems(head) + rest_items, total);
  }
}

TEST(SplitEncodedTest, TracesAgreeWithSplitRequestAtEveryCut) {
  RandomRequests random(1);
  for (int i = 0; i < 200; ++i) ExpectSplitsAgree(random.Traces());
}

TEST(SplitEncodedTest, LogsAgreeWithSplitRequestAtEveryCut) {
  RandomRequests random(2);
  for (int i = 0; i < 200; ++i) ExpectSplitsAgree(random.Logs());
}

TEST(SplitEncodedTest, MetricsAgreeWithSplitRequestAtEveryCutInsideMetricsToo) {
  RandomRequests random(3);
  int cut_inside_a_metric = 0;
  for (int i = 0; i < 200; ++i) {
    const MetricsRequest req = random.Metrics();
    ExpectSplitsAgree(req);
    for (const auto& rm : req.resource_metrics()) {
      for (const auto& sm : rm.scope_metrics()) {
        for (const auto& m : sm.metrics()) {
          MetricsRequest one;
          *one.add_resource_metrics()->add_scope_metrics()->add_metrics() = m;
          cut_inside_a_metric += CountItems(one) > 1 ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GT(cut_inside_a_metric, 50);  // the random shapes do exercise cuts inside a metric
}

// Repeated cuts of one request, as the batch processor makes when it emits send_batch_max_size
// chunks: the chunks, decoded and appended, hold the same items as the objects' chunks.
TEST(SplitEncodedTest, RepeatedCutsMatchRepeatedSplitRequest) {
  RandomRequests random(4);
  for (int i = 0; i < 100; ++i) {
    MetricsRequest objects = random.Metrics();
    std::string bytes = objects.SerializeAsString();
    int64_t items = CountItems(objects);
    for (int64_t size : {1, 2, 3, 7}) {
      while (items > 0) {
        const MetricsRequest expected = SplitRequest(objects, size);
        const MetricsRequest got = Decode<MetricsRequest>(SplitEncoded<MetricsRequest>(bytes, items, size));
        ASSERT_TRUE(MessageDifferencer::Equals(got, expected)) << got.DebugString();
        EXPECT_EQ(items, CountItems(objects));
      }
    }
  }
}

TEST(SplitEncodedTest, KeepsUnknownFieldsOfTheRequestWithTheRest) {
  TraceRequest req = testing::MakeTraces(4).request();
  std::string bytes = req.SerializeAsString();
  bytes += std::string("\x10\x07", 2);  // field 2, varint 7: unknown to ExportTraceServiceRequest
  int64_t items = 4;
  const std::string head = SplitEncoded<TraceRequest>(bytes, items, 1);
  EXPECT_EQ(CountItems(Decode<TraceRequest>(head)), 1);
  EXPECT_EQ(items, 3);
  EXPECT_NE(bytes.find(std::string("\x10\x07", 2)), std::string::npos);
}

TEST(AppendBatchKeepingBytesTest, EncodedBatchesConcatenate) {
  const TraceRequest a = testing::MakeTraces(2, "a").request();
  const TraceRequest b = testing::MakeTraces(3, "b").request();
  TracesBatch dst = TracesBatch::FromEncoded(a.SerializeAsString(), 2);
  dst.set_metadata(ClientMetadata{{"tenant", {"t1"}}});
  EXPECT_EQ(AppendBatchKeepingBytes(dst, TracesBatch::FromEncoded(b.SerializeAsString(), 3)), 3);
  ASSERT_TRUE(dst.is_encoded());
  EXPECT_EQ(dst.ItemCount(), 5);
  EXPECT_EQ(dst.encoded(), a.SerializeAsString() + b.SerializeAsString());
  EXPECT_EQ(dst.metadata().at("tenant").front(), "t1");
}

// Mixed forms: the decoded side is serialised once and the result stays encoded; it decodes to
// the two requests one after the other (resources are not merged at the seam).
TEST(AppendBatchKeepingBytesTest, MixedFormsEndEncoded) {
  const TraceRequest a = testing::MakeTraces(2).request();
  const TraceRequest b = testing::MakeTraces(3).request();
  TraceRequest both = a;
  both.MergeFrom(b);

  TracesBatch decoded_first{TraceRequest(a)};
  AppendBatchKeepingBytes(decoded_first, TracesBatch::FromEncoded(b.SerializeAsString(), 3));
  ASSERT_TRUE(decoded_first.is_encoded());
  EXPECT_EQ(decoded_first.ItemCount(), 5);
  EXPECT_TRUE(MessageDifferencer::Equals(decoded_first.request(), both));
  EXPECT_EQ(decoded_first.request().resource_spans_size(), 2);

  TracesBatch encoded_first = TracesBatch::FromEncoded(a.SerializeAsString(), 2);
  AppendBatchKeepingBytes(encoded_first, TracesBatch(TraceRequest(b)));
  ASSERT_TRUE(encoded_first.is_encoded());
  EXPECT_EQ(encoded_first.ItemCount(), 5);
  EXPECT_TRUE(MessageDifferencer::Equals(encoded_first.request(), both));

  TracesBatch empty;  // what a batcher starts from
  AppendBatchKeepingBytes(empty, TracesBatch::FromEncoded(b.SerializeAsString(), 3));
  ASSERT_TRUE(empty.is_encoded());
  EXPECT_EQ(empty.encoded(), b.SerializeAsString());
}

TEST(AppendBatchKeepingBytesTest, DecodedBatchesStillMergeOnObjects) {
  TracesBatch dst = testing::MakeTraces(2);
  AppendBatchKeepingBytes(dst, testing::MakeTraces(3));
  EXPECT_FALSE(dst.is_encoded());
  EXPECT_EQ(dst.ItemCount(), 5);
  EXPECT_EQ(dst.request().resource_spans_size(), 1);  // AppendRequest merged the same resource
}

TEST(SplitBatchKeepingBytesTest, EncodedHeadSharesMetadata) {
  const TraceRequest req = testing::MakeTraces(5).request();
  TracesBatch batch = TracesBatch::FromEncoded(req.SerializeAsString(), 5);
  batch.set_metadata(ClientMetadata{{"tenant", {"t1"}}});
  TracesBatch head = SplitBatchKeepingBytes(batch, 2);
  ASSERT_TRUE(head.is_encoded());
  ASSERT_TRUE(batch.is_encoded());
  EXPECT_EQ(head.ItemCount(), 2);
  EXPECT_EQ(batch.ItemCount(), 3);
  EXPECT_EQ(CountItems(head.request()), 2);
  EXPECT_EQ(CountItems(batch.request()), 3);
  EXPECT_EQ(head.shared_metadata(), batch.shared_metadata());
}

TEST(SplitBatchKeepingBytesTest, DecodedBatchesSplitOnObjects) {
  TracesBatch batch = testing::MakeTraces(5);
  TracesBatch head = SplitBatchKeepingBytes(batch, 2);
  EXPECT_FALSE(head.is_encoded());
  EXPECT_EQ(head.ItemCount(), 2);
  EXPECT_EQ(batch.ItemCount(), 3);
}

}  // namespace
}  // namespace otlpd
