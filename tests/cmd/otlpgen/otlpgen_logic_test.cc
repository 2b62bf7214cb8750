// otlpgen's logic without the network: the default span shape (size, attribute count, the share
// of spans the reference filter drops), pacing arithmetic, percentiles and flag parsing.
#include <chrono>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cmd/otlpgen/latency_stats.h"
#include "cmd/otlpgen/load_run.h"
#include "cmd/otlpgen/options.h"
#include "cmd/otlpgen/pacer.h"
#include "cmd/otlpgen/request_shapes.h"
#include "cmd/otlpgen/sender.h"
#include "pipeline/compression.h"

namespace otlpd::otlpgen {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(SpanShapeTest, DefaultSpanIsAbout440BytesWithEightAttributes) {
  const TraceRequest req = MakeTraceRequest(1000, 1);
  const auto& spans = req.resource_spans(0).scope_spans(0).spans();
  ASSERT_EQ(spans.size(), 1000);
  size_t total = 0;
  for (const auto& span : spans) {
    EXPECT_EQ(span.attributes_size(), 8);
    EXPECT_EQ(span.trace_id().size(), 16u);
    EXPECT_EQ(span.span_id().size(), 8u);
    total += span.ByteSizeLong();
  }
  const double mean = static_cast<double>(total) / spans.size();
  EXPECT_GE(mean, 420);
  EXPECT_LE(mean, 460);
}

TEST(SpanShapeTest, TenPercentHealthAndTenPercentTransactionSpans) {
  const TraceRequest req = MakeTraceRequest(1000, 3);
  int health = 0, transaction = 0, dropped = 0;
  for (const auto& span : req.resource_spans(0).scope_spans(0).spans()) {
    if (span.name() == "GET /health") ++health;
    if (span.name() == "BEGIN" || span.name() == "COMMIT") ++transaction;
    if (ReferenceFilterDrops(span.name())) ++dropped;
  }
  EXPECT_EQ(health, 100);
  EXPECT_EQ(transaction, 100);
  EXPECT_EQ(dropped, 200);
}

TEST(SpanShapeTest, ReferenceFilterDropsWhatTheReferenceRegexesMatch) {
  for (const char* name : {"GET /health", "GET /api/health", "BEGIN", "COMMIT;", "ROLLBACK TRANSACTION",
                           "GET /api/health/ready"}) {
    EXPECT_TRUE(ReferenceFilterDrops(name)) << name;
  }
  for (const char* name : {"BEGIN work", "SELECT health_score", "GET /api/articles/{id}", ""}) {
    EXPECT_FALSE(ReferenceFilterDrops(name)) << name;
  }
}

TEST(SpanShapeTest, SeedsGiveDifferentIds) {
  const TraceRequest a = MakeTraceRequest(10, 1);
  const TraceRequest b = MakeTraceRequest(10, 2);
  EXPECT_NE(a.resource_spans(0).scope_spans(0).spans(0).trace_id(),
            b.resource_spans(0).scope_spans(0).spans(0).trace_id());
}

TEST(EncodeRequestTest, GzipRoundTripsAndJsonIsJson) {
  const TraceRequest req = MakeTraceRequest(50, 1);
  StatusOr<EncodedRequest> gz = EncodeRequest(req, 50, Encoding::kProtobuf, true);
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(gz->items, 50);
  StatusOr<std::string> plain = Decompress(Compression::kGzip, gz->body, 1 << 20);
  ASSERT_TRUE(plain.ok());
  TraceRequest back;
  ASSERT_TRUE(back.ParseFromString(*plain));
  EXPECT_EQ(back.resource_spans(0).scope_spans(0).spans_size(), 50);

  StatusOr<EncodedRequest> json = EncodeRequest(req, 50, Encoding::kJson, false);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(json->body, HasSubstr("\"resourceSpans\""));
}

TEST(MetricsAndLogsShapeTest, ItemCountsMatch) {
  EXPECT_EQ(CountItems(MakeMetricsRequest(37, 1)), 37);
  EXPECT_EQ(CountItems(MakeLogsRequest(41, 1)), 41);
}

TEST(PacerTest, DueTimesFollowTheRateWithoutDrift) {
  const auto start = Pacer::Clock::time_point{} + 1h;
  Pacer pacer(/*requests_per_second=*/3.0, start);
  EXPECT_EQ(pacer.DueTime(0), start);
  // 3 per second: the 3,000,000th request is due exactly 1,000,000 s later, to the microsecond.
  const auto late = pacer.DueTime(3'000'000) - start;
  EXPECT_NEAR(std::chrono::duration<double>(late).count(), 1'000'000.0, 1e-6);
  EXPECT_NEAR(std::chrono::duration<double>(pacer.DueTime(1) - start).count(), 1.0 / 3, 1e-9);
}

TEST(PacerTest, ZeroRateMeansEveryRequestIsDueAtOnce) {
  const auto start = Pacer::Clock::time_point{} + 1h;
  Pacer pacer(0, start);
  EXPECT_EQ(pacer.DueTime(12345), start);
}

TEST(PacerTest, ItemRateSplitsOverWorkersAndBatches) {
  EXPECT_DOUBLE_EQ(Pacer::RequestsPerSecondPerWorker(50'000, 4, 100), 125.0);
  EXPECT_DOUBLE_EQ(Pacer::RequestsPerSecondPerWorker(0, 4, 100), 0.0);
}

TEST(CountPlanTest, RemainderGoesInOneSmallerRequest) {
  const CountPlan p = PlanCount(1234, 100);
  EXPECT_EQ(p.full_requests, 12);
  EXPECT_EQ(p.remainder_items, 34);
  EXPECT_EQ(p.TotalRequests(), 13);
  EXPECT_EQ(PlanCount(1000, 100).TotalRequests(), 10);
  EXPECT_EQ(PlanCount(7, 100).TotalRequests(), 1);
}

TEST(LatencyStatsTest, NearestRankPercentiles) {
  LatencyStats stats;
  // 1..100 ms in reverse order: percentiles must not depend on insertion order.
  for (int i = 100; i >= 1; --i) stats.Add(std::chrono::milliseconds(i));
  EXPECT_DOUBLE_EQ(stats.PercentileMicros(50), 50'000);
  EXPECT_DOUBLE_EQ(stats.PercentileMicros(90), 90'000);
  EXPECT_DOUBLE_EQ(stats.PercentileMicros(99), 99'000);
  EXPECT_DOUBLE_EQ(stats.PercentileMicros(100), 100'000);
  const LatencyStats::Summary s = stats.Summarize();
  EXPECT_EQ(s.count, 100);
  EXPECT_DOUBLE_EQ(s.max_us, 100'000);
  EXPECT_DOUBLE_EQ(s.mean_us, 50'500);
}

TEST(LatencyStatsTest, MergeAndSmallSamples) {
  LatencyStats a, b;
  a.Add(3us);
  b.Add(1us);
  b.Add(2us);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3);
  EXPECT_DOUBLE_EQ(a.PercentileMicros(99), 3);
  EXPECT_DOUBLE_EQ(a.PercentileMicros(50), 2);
  EXPECT_DOUBLE_EQ(LatencyStats().PercentileMicros(99), 0);
}

TEST(ParseGenOptionsTest, ParsesEveryFlag) {
  StatusOr<GenOptions> o = ParseGenOptions(
      {"--signal", "logs", "--protocol", "http/json", "--endpoint", "http://h:1", "--gzip",
       "--workers", "4", "--batch-size", "512", "--rate", "50000", "--duration", "250ms",
       "--timeout", "2s", "--json"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->signal, Signal::kLogs);
  EXPECT_EQ(o->protocol, Protocol::kHttpJson);
  EXPECT_EQ(o->endpoint, "http://h:1");
  EXPECT_TRUE(o->gzip);
  EXPECT_TRUE(o->json);
  EXPECT_EQ(o->workers, 4);
  EXPECT_EQ(o->batch_size, 512);
  EXPECT_DOUBLE_EQ(o->rate, 50000);
  EXPECT_EQ(o->duration, 250ms);
  EXPECT_EQ(o->timeout, 2s);
  EXPECT_EQ(o->count, 0);
}

TEST(ParseGenOptionsTest, RejectsBadInputNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--count", "10", "--duration", "1s"}, "exactly one of --count and --duration"},
      {{}, "exactly one of --count and --duration"},
      {{"--count", "ten"}, "--count: not a number"},
      {{"--count", "0"}, "--count: must be >= 1"},
      {{"--count", "5", "--workers", "0"}, "--workers: must be >= 1"},
      {{"--count", "5", "--batch-size", "-3"}, "--batch-size: must be >= 1"},
      {{"--count", "5", "--rate", "-1"}, "--rate: must be >= 0"},
      {{"--count", "5", "--signal", "profiles"}, "--signal: must be traces, metrics or logs"},
      {{"--count", "5", "--protocol", "udp"}, "--protocol: must be grpc, http or http/json"},
      {{"--duration", "10 parsecs"}, "--duration: not a duration"},
      {{"--count", "5", "--bogus", "1"}, "unknown flag '--bogus'"},
      {{"--count"}, "--count: needs a value"},
      {{"stray"}, "unexpected argument 'stray'"},
  };
  for (const auto& [args, message] : cases) {
    StatusOr<GenOptions> o = ParseGenOptions(args);
    ASSERT_FALSE(o.ok()) << message;
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(o.status().message(), HasSubstr(message));
  }
}

TEST(ParseGenDurationTest, Units) {
  EXPECT_EQ(*ParseGenDuration("5ms"), 5ms);
  EXPECT_EQ(*ParseGenDuration("1.5s"), 1500ms);
  EXPECT_EQ(*ParseGenDuration("2m"), 120s);
  EXPECT_EQ(*ParseGenDuration("1h"), 3600s);
  EXPECT_FALSE(ParseGenDuration("s").ok());
  EXPECT_FALSE(ParseGenDuration("-1s").ok());
}

TEST(ReportTest, JsonCarriesCountsLatencyAndErrors) {
  RunReport r;
  r.items_ok = 900;
  r.items_failed = 100;
  r.requests_ok = 9;
  r.requests_failed = 1;
  r.elapsed_seconds = 2;
  r.errors["http 503"] = 1;
  r.latency.p99_us = 1234.5;
  const std::string json = FormatJson(r);
  EXPECT_THAT(json, HasSubstr("\"items_ok\":900"));
  EXPECT_THAT(json, HasSubstr("\"items_per_second\":450.0"));
  EXPECT_THAT(json, HasSubstr("\"p99\":1234.5"));
  EXPECT_THAT(json, HasSubstr("\"errors\":{\"http 503\":1}"));
  EXPECT_THAT(FormatText(r), HasSubstr("error http 503: 1 requests"));
}

TEST(HttpUrlTest, AddsSchemeAndSignalPath) {
  EXPECT_EQ(HttpUrl("127.0.0.1:4318", Signal::kTraces), "http://127.0.0.1:4318/v1/traces");
  EXPECT_EQ(HttpUrl("http://h:1/", Signal::kLogs), "http://h:1/v1/logs");
}

}  // namespace
}  // namespace otlpd::otlpgen
