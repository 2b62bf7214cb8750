#include "pipeline/request_split.h"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;

using google::protobuf::util::MessageDifferencer;

void AddStringAttr(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs,
                   const std::string& key, const std::string& value) {
  auto* kv = attrs->Add();
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

// `resources` x `scopes` x `per_scope` spans; span "r<i>s<j>-<k>" sits under resource attribute
// res=r<i> and scope name s<j>, so a test can tell whether an item kept its resource and scope.
TraceRequest GridTraces(int resources, int scopes, int per_scope) {
  TraceRequest req;
  for (int r = 0; r < resources; ++r) {
    auto* rs = req.add_resource_spans();
    AddStringAttr(rs->mutable_resource()->mutable_attributes(), "res", fmt::format("r{}", r));
    rs->mutable_resource()->set_dropped_attributes_count(r);
    rs->set_schema_url(fmt::format("https://schema/r{}", r));
    for (int s = 0; s < scopes; ++s) {
      auto* ss = rs->add_scope_spans();
      ss->mutable_scope()->set_name(fmt::format("s{}", s));
      ss->mutable_scope()->set_version("1.0");
      AddStringAttr(ss->mutable_scope()->mutable_attributes(), "scope.attr", fmt::format("v{}", s));
      for (int k = 0; k < per_scope; ++k) {
        auto* span = ss->add_spans();
        span->set_name(fmt::format("r{}s{}-{}", r, s, k));
        AddStringAttr(span->mutable_attributes(), "k", std::to_string(k));
      }
    }
  }
  return req;
}

// Every span as "name@res/scope", in order; fails the test when a span sits under a resource or
// scope that does not match its name, or under a resource/scope that lost its header fields.
std::vector<std::string> SpanPlaces(const TraceRequest& req) {
  std::vector<std::string> out;
  for (const auto& rs : req.resource_spans()) {
    EXPECT_EQ(rs.resource().attributes_size(), 1);
    const std::string res = rs.resource().attributes(0).value().string_value();
    EXPECT_EQ(rs.schema_url(), "https://schema/" + res);
    EXPECT_EQ(rs.resource().dropped_attributes_count(), static_cast<uint32_t>(res[1] - '0'));
    for (const auto& ss : rs.scope_spans()) {
      EXPECT_EQ(ss.scope().version(), "1.0");
      EXPECT_EQ(ss.scope().attributes_size(), 1);
      for (const auto& span : ss.spans()) {
        EXPECT_EQ(span.name().substr(0, 2), res) << span.name();
        EXPECT_EQ(span.name().substr(2, 2), ss.scope().name()) << span.name();
        out.push_back(span.name());
      }
    }
  }
  return out;
}

TEST(SplitRequestTest, TracesHeadHasExactlyNItemsAndKeepsResourceAndScope) {
  TracesBatch batch = testing::MakeTraces(10);
  TraceRequest& req = batch.mutable_request();
  TraceRequest head = SplitRequest(req, 3);

  EXPECT_EQ(CountItems(head), 3);
  EXPECT_EQ(CountItems(req), 7);
  ASSERT_EQ(head.resource_spans_size(), 1);
  ASSERT_EQ(req.resource_spans_size(), 1);
  for (const TraceRequest* r : {&head, &req}) {
    const auto& rs = r->resource_spans(0);
    ASSERT_EQ(rs.resource().attributes_size(), 1);
    EXPECT_EQ(rs.resource().attributes(0).key(), "service.name");
    EXPECT_EQ(rs.resource().attributes(0).value().string_value(), "test-service");
    ASSERT_EQ(rs.scope_spans_size(), 1);
    EXPECT_EQ(rs.scope_spans(0).scope().name(), "test-scope");
  }
  EXPECT_EQ(head.resource_spans(0).scope_spans(0).spans(0).name(), "span-0");
  EXPECT_EQ(head.resource_spans(0).scope_spans(0).spans(2).name(), "span-2");
  EXPECT_EQ(req.resource_spans(0).scope_spans(0).spans(0).name(), "span-3");
}

TEST(SplitRequestTest, EveryCutPointKeepsCountsOrderAndPlaces) {
  const TraceRequest original = GridTraces(3, 2, 4);  // 24 spans
  const std::vector<std::string> all = SpanPlaces(original);
  ASSERT_EQ(all.size(), 24u);
  for (int n = 0; n <= 26; ++n) {
    SCOPED_TRACE(fmt::format("n={}", n));
    TraceRequest rest = original;
    TraceRequest head = SplitRequest(rest, n);
    const int64_t expect_head = std::min(n, 24);
    EXPECT_EQ(CountItems(head), expect_head);
    EXPECT_EQ(CountItems(rest), 24 - expect_head);
    std::vector<std::string> joined = SpanPlaces(head);
    for (auto& s : SpanPlaces(rest)) joined.push_back(s);
    EXPECT_EQ(joined, all);
    if (n >= 24) {
      EXPECT_EQ(rest.resource_spans_size(), 0);
    }
  }
}

TEST(SplitRequestTest, SplitThenAppendRebuildsTheOriginal) {
  const TraceRequest original = GridTraces(3, 2, 4);
  for (int n = 1; n < 24; ++n) {
    SCOPED_TRACE(fmt::format("n={}", n));
    TraceRequest rest = original;
    TraceRequest head = SplitRequest(rest, n);
    EXPECT_EQ(AppendRequest(head, std::move(rest)), 24 - n);
    // The cut resource and scope are identical on both sides, so they merge back into one.
    EXPECT_TRUE(MessageDifferencer::Equals(head, original));
  }
}

TEST(SplitRequestTest, ZeroOrNegativeTakesNothing) {
  TraceRequest req = GridTraces(1, 1, 3);
  EXPECT_EQ(CountItems(SplitRequest(req, 0)), 0);
  EXPECT_EQ(CountItems(SplitRequest(req, -5)), 0);
  EXPECT_EQ(CountItems(req), 3);
}

TEST(SplitRequestTest, MovesSpansWithoutCopying) {
  TraceRequest req = GridTraces(1, 1, 4);
  const trace::Span* first = &req.resource_spans(0).scope_spans(0).spans(0);
  const trace::Span* last = &req.resource_spans(0).scope_spans(0).spans(3);
  TraceRequest head = SplitRequest(req, 2);
  EXPECT_EQ(&head.resource_spans(0).scope_spans(0).spans(0), first);
  EXPECT_EQ(&req.resource_spans(0).scope_spans(0).spans(1), last);
}

// One scope holding every metric type: gauge 3, sum 4, histogram 2, exponential histogram 2,
// summary 2 points (13 in all), plus a metric without data.
MetricsRequest AllTypesMetrics() {
  MetricsRequest req;
  auto* rm = req.add_resource_metrics();
  AddStringAttr(rm->mutable_resource()->mutable_attributes(), "host.name", "box-1");
  rm->set_schema_url("https://schema/m");
  auto* sm = rm->add_scope_metrics();
  sm->mutable_scope()->set_name("meter");
  AddStringAttr(sm->mutable_scope()->mutable_attributes(), "scope.attr", "sv");

  auto* g = sm->add_metrics();
  g->set_name("g");
  g->set_unit("1");
  for (int i = 0; i < 3; ++i) g->mutable_gauge()->add_data_points()->set_as_int(i);

  auto* s = sm->add_metrics();
  s->set_name("s");
  s->set_description("a sum");
  s->set_unit("ms");
  AddStringAttr(s->mutable_metadata(), "meta", "data");
  s->mutable_sum()->set_is_monotonic(true);
  s->mutable_sum()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  for (int i = 0; i < 4; ++i) s->mutable_sum()->add_data_points()->set_as_double(i + 0.5);

  auto* h = sm->add_metrics();
  h->set_name("h");
  h->mutable_histogram()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
  for (int i = 0; i < 2; ++i) h->mutable_histogram()->add_data_points()->set_count(i + 1);

  sm->add_metrics()->set_name("empty");

  auto* e = sm->add_metrics();
  e->set_name("e");
  e->mutable_exponential_histogram()->set_aggregation_temporality(
      metrics::AGGREGATION_TEMPORALITY_DELTA);
  for (int i = 0; i < 2; ++i) {
    auto* dp = e->mutable_exponential_histogram()->add_data_points();
    dp->set_count(10 + i);
    dp->set_scale(3);
  }

  auto* q = sm->add_metrics();
  q->set_name("q");
  for (int i = 0; i < 2; ++i) q->mutable_summary()->add_data_points()->set_count(20 + i);
  return req;
}

std::vector<std::string> MetricShapes(const MetricsRequest& req) {
  std::vector<std::string> out;
  for (const auto& rm : req.resource_metrics()) {
    EXPECT_EQ(rm.schema_url(), "https://schema/m");
    EXPECT_EQ(rm.resource().attributes(0).value().string_value(), "box-1");
    for (const auto& sm : rm.scope_metrics()) {
      EXPECT_EQ(sm.scope().name(), "meter");
      EXPECT_EQ(sm.scope().attributes(0).value().string_value(), "sv");
      for (const auto& m : sm.metrics()) {
        // The descriptor travels with every piece of a cut metric.
        if (m.name() == "s") {
          EXPECT_EQ(m.description(), "a sum");
          EXPECT_EQ(m.unit(), "ms");
          EXPECT_EQ(m.metadata_size(), 1);
          EXPECT_TRUE(m.sum().is_monotonic());
          EXPECT_EQ(m.sum().aggregation_temporality(), metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
        }
        if (m.name() == "g") {
          EXPECT_EQ(m.unit(), "1");
        }
        if (m.name() == "h") {
          EXPECT_EQ(m.histogram().aggregation_temporality(), metrics::AGGREGATION_TEMPORALITY_DELTA);
        }
        if (m.name() == "e") {
          EXPECT_EQ(m.exponential_histogram().aggregation_temporality(),
                    metrics::AGGREGATION_TEMPORALITY_DELTA);
        }
        switch (m.data_case()) {
          case metrics::Metric::kGauge:
            for (const auto& p : m.gauge().data_points()) out.push_back(fmt::format("g{}", p.as_int()));
            break;
          case metrics::Metric::kSum:
            for (const auto& p : m.sum().data_points()) out.push_back(fmt::format("s{}", p.as_double()));
            break;
          case metrics::Metric::kHistogram:
            for (const auto& p : m.histogram().data_points()) out.push_back(fmt::format("h{}", p.count()));
            break;
          case metrics::Metric::kExponentialHistogram:
            for (const auto& p : m.exponential_histogram().data_points()) {
              EXPECT_EQ(p.scale(), 3);
              out.push_back(fmt::format("e{}", p.count()));
            }
            break;
          case metrics::Metric::kSummary:
            for (const auto& p : m.summary().data_points()) out.push_back(fmt::format("q{}", p.count()));
            break;
          default:
            out.push_back(m.name());
        }
      }
    }
  }
  return out;
}

TEST(SplitRequestTest, MetricsSplitByDataPointsKeepingTheDescriptor) {
  const MetricsRequest original = AllTypesMetrics();
  ASSERT_EQ(CountItems(original), 13);
  std::vector<std::string> all = MetricShapes(original);
  for (int n = 0; n <= 13; ++n) {
    SCOPED_TRACE(fmt::format("n={}", n));
    MetricsRequest rest = original;
    MetricsRequest head = SplitRequest(rest, n);
    EXPECT_EQ(CountItems(head), n);
    EXPECT_EQ(CountItems(rest), 13 - n);
    std::vector<std::string> joined = MetricShapes(head);
    for (auto& s : MetricShapes(rest)) joined.push_back(s);
    EXPECT_EQ(joined, all);
    EXPECT_EQ(AppendRequest(head, std::move(rest)), 13 - n);
  }
}

TEST(SplitRequestTest, MetricCutInsideASumHasTheSumOnBothSides) {
  MetricsRequest rest = AllTypesMetrics();
  MetricsRequest head = SplitRequest(rest, 5);  // gauge (3) + 2 of the sum's 4 points
  const auto& head_metrics = head.resource_metrics(0).scope_metrics(0).metrics();
  const auto& rest_metrics = rest.resource_metrics(0).scope_metrics(0).metrics();
  ASSERT_EQ(head_metrics.size(), 2);
  EXPECT_EQ(head_metrics[1].name(), "s");
  EXPECT_EQ(head_metrics[1].sum().data_points_size(), 2);
  EXPECT_EQ(rest_metrics[0].name(), "s");
  EXPECT_EQ(rest_metrics[0].sum().data_points_size(), 2);
  EXPECT_DOUBLE_EQ(rest_metrics[0].sum().data_points(0).as_double(), 2.5);
}

TEST(SplitRequestTest, LogsSplitKeepsResourceAndScopeAttributes) {
  LogsBatch batch = testing::MakeLogs(5, "svc-a");
  auto* attrs = batch.mutable_request().mutable_resource_logs(0)->mutable_scope_logs(0)
                    ->mutable_scope()->mutable_attributes();
  AddStringAttr(attrs, "lib", "x");
  LogsRequest rest = std::move(batch.mutable_request());
  LogsRequest head = SplitRequest(rest, 4);
  EXPECT_EQ(CountItems(head), 4);
  EXPECT_EQ(CountItems(rest), 1);
  for (const LogsRequest* r : {&head, &rest}) {
    const auto& rl = r->resource_logs(0);
    EXPECT_EQ(rl.resource().attributes(0).value().string_value(), "svc-a");
    EXPECT_EQ(rl.scope_logs(0).scope().name(), "test-scope");
    EXPECT_EQ(rl.scope_logs(0).scope().attributes(0).value().string_value(), "x");
  }
  EXPECT_EQ(rest.resource_logs(0).scope_logs(0).log_records(0).body().string_value(), "log-4");
}

TEST(AppendRequestTest, IdenticalResourceAndScopeMerge) {
  TracesBatch a = testing::MakeTraces(2);
  TracesBatch b = testing::MakeTraces(3);
  EXPECT_EQ(AppendBatch(a, std::move(b)), 3);
  ASSERT_EQ(a.request().resource_spans_size(), 1);
  ASSERT_EQ(a.request().resource_spans(0).scope_spans_size(), 1);
  EXPECT_EQ(a.ItemCount(), 5);
  EXPECT_EQ(b.request().resource_spans_size(), 0);
}

TEST(AppendRequestTest, DifferentResourceIsAppendedSeparately) {
  TracesBatch a = testing::MakeTraces(2, "svc-a");
  EXPECT_EQ(AppendBatch(a, testing::MakeTraces(3, "svc-b")), 3);
  ASSERT_EQ(a.request().resource_spans_size(), 2);
  EXPECT_EQ(a.request().resource_spans(1).resource().attributes(0).value().string_value(), "svc-b");
  EXPECT_EQ(a.ItemCount(), 5);
}

TEST(AppendRequestTest, EveryResourceHeaderFieldTakesPartInTheComparison) {
  const std::vector<void (*)(trace::ResourceSpans*)> mutations = {
      [](trace::ResourceSpans* rs) { rs->set_schema_url("x"); },
      [](trace::ResourceSpans* rs) { rs->mutable_resource()->set_dropped_attributes_count(1); },
      [](trace::ResourceSpans* rs) { rs->mutable_resource()->add_entity_refs()->set_type("host"); },
      [](trace::ResourceSpans* rs) {
        rs->mutable_resource()->mutable_attributes(0)->mutable_value()->set_int_value(7);
      },
      [](trace::ResourceSpans* rs) {
        AddStringAttr(rs->mutable_resource()->mutable_attributes(), "extra", "1");
      },
  };
  for (size_t i = 0; i < mutations.size(); ++i) {
    SCOPED_TRACE(i);
    TracesBatch a = testing::MakeTraces(1);
    TracesBatch b = testing::MakeTraces(1);
    mutations[i](b.mutable_request().mutable_resource_spans(0));
    EXPECT_EQ(AppendBatch(a, std::move(b)), 1);
    EXPECT_EQ(a.request().resource_spans_size(), 2);
    EXPECT_EQ(a.ItemCount(), 2);
  }
}

TEST(AppendRequestTest, EveryScopeHeaderFieldTakesPartInTheComparison) {
  const std::vector<void (*)(trace::ScopeSpans*)> mutations = {
      [](trace::ScopeSpans* ss) { ss->set_schema_url("x"); },
      [](trace::ScopeSpans* ss) { ss->mutable_scope()->set_name("other"); },
      [](trace::ScopeSpans* ss) { ss->mutable_scope()->set_version("2"); },
      [](trace::ScopeSpans* ss) { ss->mutable_scope()->set_dropped_attributes_count(3); },
      [](trace::ScopeSpans* ss) { AddStringAttr(ss->mutable_scope()->mutable_attributes(), "a", "b"); },
  };
  for (size_t i = 0; i < mutations.size(); ++i) {
    SCOPED_TRACE(i);
    TracesBatch a = testing::MakeTraces(2);
    TracesBatch b = testing::MakeTraces(1);
    mutations[i](b.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0));
    EXPECT_EQ(AppendBatch(a, std::move(b)), 1);
    ASSERT_EQ(a.request().resource_spans_size(), 1);
    EXPECT_EQ(a.request().resource_spans(0).scope_spans_size(), 2);
    EXPECT_EQ(a.ItemCount(), 3);
  }
}

TEST(AppendRequestTest, NestedAttributeValuesAreCompared) {
  auto with_list = [](int64_t last) {
    TracesBatch b = testing::MakeTraces(1);
    auto* kv = b.mutable_request().mutable_resource_spans(0)->mutable_resource()->add_attributes();
    kv->set_key("list");
    auto* arr = kv->mutable_value()->mutable_array_value();
    arr->add_values()->set_string_value("a");
    auto* inner = arr->add_values()->mutable_kvlist_value()->add_values();
    inner->set_key("n");
    inner->mutable_value()->set_int_value(last);
    return b;
  };
  TracesBatch a = with_list(1);
  AppendBatch(a, with_list(1));
  EXPECT_EQ(a.request().resource_spans_size(), 1);
  AppendBatch(a, with_list(2));
  EXPECT_EQ(a.request().resource_spans_size(), 2);
}

TEST(AppendRequestTest, MovesSpansWithoutCopying) {
  TracesBatch a = testing::MakeTraces(1);
  TracesBatch b = testing::MakeTraces(2);
  const trace::Span* moved = &b.request().resource_spans(0).scope_spans(0).spans(1);
  AppendBatch(a, std::move(b));
  EXPECT_EQ(&a.request().resource_spans(0).scope_spans(0).spans(2), moved);
}

TEST(AppendRequestTest, IntoEmptyAndFromEmpty) {
  TracesBatch empty;
  EXPECT_EQ(AppendBatch(empty, testing::MakeTraces(4)), 4);
  EXPECT_EQ(empty.ItemCount(), 4);
  EXPECT_EQ(AppendBatch(empty, TracesBatch()), 0);
  EXPECT_EQ(empty.ItemCount(), 4);
}

TEST(AppendRequestTest, MetricsAndLogsMergeToo) {
  MetricsBatch m = testing::MakeMetrics(2);
  EXPECT_EQ(AppendBatch(m, testing::MakeMetrics(3)), 3);
  EXPECT_EQ(m.request().resource_metrics_size(), 1);
  EXPECT_EQ(m.request().resource_metrics(0).scope_metrics_size(), 1);
  EXPECT_EQ(m.request().resource_metrics(0).scope_metrics(0).metrics_size(), 2);
  EXPECT_EQ(m.ItemCount(), 5);

  LogsBatch l = testing::MakeLogs(1, "a");
  EXPECT_EQ(AppendBatch(l, testing::MakeLogs(2, "a")), 2);
  EXPECT_EQ(AppendBatch(l, testing::MakeLogs(3, "b")), 3);
  EXPECT_EQ(l.request().resource_logs_size(), 2);
  EXPECT_EQ(l.ItemCount(), 6);
}

TEST(SplitBatchTest, HeadSharesTheMetadata) {
  TracesBatch b = testing::MakeTraces(5);
  b.set_metadata(ClientMetadata{{"tenant", {"t1"}}});
  TracesBatch head = SplitBatch(b, 2);
  EXPECT_EQ(head.ItemCount(), 2);
  EXPECT_EQ(b.ItemCount(), 3);
  EXPECT_EQ(head.shared_metadata(), b.shared_metadata());
  EXPECT_EQ(head.metadata().at("tenant").at(0), "t1");
}

}  // namespace
}  // namespace otlpd
