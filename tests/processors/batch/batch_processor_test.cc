// The batch processor: size and timeout triggers (time driven by a FakeClock), no buffering at
// timeout 0, exact splits at send_batch_max_size, metadata partitions and their limit, the
// shutdown flush, downstream errors, self-metrics and concurrent producers.
#include "processors/batch/batch_processor.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include "processors/batch/factory.h"
#include "tests/support/fake_clock.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::batch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using otlpd::testing::ErrConsumer;
using otlpd::testing::FakeClock;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;
using otlpd::testing::SinkConsumer;
using namespace std::chrono_literals;

constexpr auto kWait = std::chrono::seconds(5);

class NoHost : public Host {
 public:
  Extension* GetExtension(const ComponentId&) const override { return nullptr; }
};

// Settings with a fake clock, a private metrics registry and a logger whose lines the test reads.
class Env {
 public:
  Env()
      : ring_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64)),
        logger_(std::make_shared<spdlog::logger>("processor/batch/test", ring_)) {
    settings.id = ComponentId("batch", "test");
    settings.logger = logger_;
    settings.metrics = &metrics;
    settings.clock = &clock;
  }

  std::vector<std::string> LogLines() const { return ring_->last_formatted(); }
  int64_t Counter(const std::string& name) const {
    return metrics.CounterValue(name, {{"processor", "batch/test"}});
  }
  int64_t Gauge(const std::string& name) const {
    return metrics.GaugeValue(name, {{"processor", "batch/test"}});
  }

  FakeClock clock;
  SelfMetrics metrics;
  CreateSettings settings;
  NoHost host;

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> ring_;
  std::shared_ptr<spdlog::logger> logger_;
};

Config SizeOnly(int64_t size, int64_t max = 0) {
  Config cfg;
  cfg.send_batch_size = size;
  cfg.send_batch_max_size = max;
  cfg.timeout = std::chrono::hours(1);
  return cfg;
}

template <class B>
std::vector<int64_t> Sizes(const SinkConsumer<B>& sink) {
  std::vector<int64_t> out;
  for (const B& b : sink.Batches()) out.push_back(b.ItemCount());
  return out;
}

TracesBatch WithTenant(TracesBatch b, const std::string& tenant) {
  b.set_metadata(ClientMetadata{{"tenant", {tenant}}, {"other", {"x"}}});
  return b;
}

TEST(BatchProcessorTest, SendsWhenSendBatchSizeIsReached) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(10), sink);
  ASSERT_TRUE(p.Start(env.host).ok());

  EXPECT_TRUE(p.Consume(MakeTraces(4)).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(4)).ok());
  EXPECT_EQ(sink.ItemCount(), 0);
  EXPECT_TRUE(p.Consume(MakeTraces(4)).ok());
  // The size-triggered send runs on the calling thread: it is done when Consume returns.
  EXPECT_THAT(Sizes(sink), ElementsAre(12));
  // The three requests share resource and scope, so the batch holds them once.
  const auto batches = sink.Batches();
  EXPECT_EQ(batches[0].request().resource_spans_size(), 1);
  EXPECT_EQ(batches[0].request().resource_spans(0).scope_spans_size(), 1);

  EXPECT_EQ(env.Counter("otelcol_processor_batch_batch_size_trigger_send"), 1);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_timeout_trigger_send"), 0);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_batch_send_size_count"), 1);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_batch_send_size_sum"), 12);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, SendsAPartialBatchWhenTheTimeoutExpires) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  Config cfg;
  cfg.send_batch_size = 100;
  cfg.timeout = 200ms;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());

  // The deadline is fixed when the data arrives (fake time), so it does not matter when the
  // flush thread gets to look at it.
  EXPECT_TRUE(p.Consume(MakeTraces(3)).ok());
  env.clock.Advance(199ms);
  // Still inside the timeout: the next request joins the same batch.
  EXPECT_TRUE(p.Consume(MakeTraces(2)).ok());
  env.clock.Advance(1ms);
  ASSERT_TRUE(sink.WaitForItems(5, kWait));
  EXPECT_THAT(Sizes(sink), ElementsAre(5));

  // A new batch starts its own timeout.
  EXPECT_TRUE(p.Consume(MakeTraces(1)).ok());
  env.clock.Advance(200ms);
  ASSERT_TRUE(sink.WaitForItems(6, kWait));
  EXPECT_THAT(Sizes(sink), ElementsAre(5, 1));
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  // Read after Shutdown joined the flush thread: it counts a send after next.Consume returns,
  // which can be just after the sink has seen the data.
  EXPECT_EQ(env.Counter("otelcol_processor_batch_timeout_trigger_send"), 2);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_batch_size_trigger_send"), 0);
}

TEST(BatchProcessorTest, TimeoutZeroForwardsAtOnceAndReturnsTheNextStatus) {
  Env env;
  Config cfg;
  cfg.timeout = 0s;
  cfg.send_batch_size = 8192;
  cfg.send_batch_max_size = 8192;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(3)).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(3));  // synchronously, no thread involved
  EXPECT_EQ(p.ShardCountForTest(), 0u);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());

  ErrConsumer<TracesBatch> failing(UnavailableError("queue is full"));
  BatchProcessor<TracesBatch> q(env.settings, cfg, failing);
  ASSERT_TRUE(q.Start(env.host).ok());
  Status s = q.Consume(MakeTraces(3));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("queue is full"));
  EXPECT_TRUE(q.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, TimeoutZeroStillSplitsAtTheMaxSize) {
  Env env;
  Config cfg;
  cfg.timeout = 0s;
  cfg.send_batch_size = 2;
  cfg.send_batch_max_size = 3;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(7)).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(3, 3, 1));
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, SplitsIntoExactlyMaxSizeChunks) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(5, 5), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(12)).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(5, 5));  // 2 stay: below send_batch_size
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(5, 5, 2));

  // The spans arrive in order across the chunks.
  const auto batches = sink.Batches();
  EXPECT_EQ(batches[1].request().resource_spans(0).scope_spans(0).spans(0).name(), "span-5");
  EXPECT_EQ(batches[2].request().resource_spans(0).scope_spans(0).spans(1).name(), "span-11");
}

TEST(BatchProcessorTest, MaxAboveSizeSendsWhileAtLeastSizeIsPending) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(5, 8), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(20)).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(8, 8));  // 4 left, below the trigger
  EXPECT_TRUE(p.Consume(MakeTraces(3)).ok());  // 7 pending: >= 5, <= 8: all of it
  EXPECT_THAT(Sizes(sink), ElementsAre(8, 8, 7));
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, MetricsSplitByDataPoints) {
  Env env;
  SinkConsumer<MetricsBatch> sink;
  BatchProcessor<MetricsBatch> p(env.settings, SizeOnly(4, 4), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeMetrics(10)).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(4, 4));
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(4, 4, 2));
  for (const auto& b : sink.Batches()) {
    EXPECT_EQ(b.request().resource_metrics(0).scope_metrics(0).metrics(0).name(), "test.gauge");
  }
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_batch_send_size_sum"), 10);
}

TEST(BatchProcessorTest, LogsAreBatchedToo) {
  Env env;
  SinkConsumer<LogsBatch> sink;
  BatchProcessor<LogsBatch> p(env.settings, SizeOnly(6), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeLogs(3)).ok());
  EXPECT_TRUE(p.Consume(MakeLogs(3)).ok());
  EXPECT_THAT(Sizes(sink), ElementsAre(6));
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, EmptyRequestsAreAcceptedAndIgnored) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(1), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(TracesBatch()).ok());
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_TRUE(sink.Batches().empty());
}

TEST(BatchProcessorTest, OneBatchPerMetadataCombination) {
  Env env;
  Config cfg;
  cfg.send_batch_size = 100;
  cfg.timeout = 200ms;
  cfg.metadata_keys = {"tenant"};
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());

  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(1), "a")).ok());
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(2), "b")).ok());
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(3), "a")).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(4)).ok());  // no tenant: a combination of its own
  TracesBatch empty_tenant = MakeTraces(5);
  empty_tenant.set_metadata(ClientMetadata{{"tenant", {""}}});
  EXPECT_TRUE(p.Consume(std::move(empty_tenant)).ok());  // empty value != absent
  EXPECT_EQ(p.ShardCountForTest(), 4u);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_metadata_cardinality"), 4);

  env.clock.Advance(200ms);
  ASSERT_TRUE(sink.WaitForItems(15, kWait));
  std::map<std::string, int64_t> by_tenant;
  for (const auto& b : sink.Batches()) {
    auto it = b.metadata().find("tenant");
    const std::string tenant = it == b.metadata().end() ? "<absent>" : "[" + it->second[0] + "]";
    by_tenant[tenant] += b.ItemCount();
    // Downstream sees the partition's key values only, as in the Collector.
    EXPECT_EQ(b.metadata().count("other"), 0u);
  }
  EXPECT_THAT(by_tenant, ElementsAre(::testing::Pair("<absent>", 4), ::testing::Pair("[]", 5),
                                     ::testing::Pair("[a]", 4), ::testing::Pair("[b]", 2)));
  EXPECT_EQ(sink.Batches().size(), 4u);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, CardinalityLimitRefusesNewCombinationsPermanently) {
  Env env;
  Config cfg;
  cfg.send_batch_size = 100;
  cfg.timeout = 200ms;
  cfg.metadata_keys = {"tenant"};
  cfg.metadata_cardinality_limit = 2;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());

  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(1), "a")).ok());
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(1), "b")).ok());
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(1), "a")).ok());  // existing: fine
  Status refused = p.Consume(WithTenant(MakeTraces(1), "c"));
  EXPECT_EQ(refused.code(), StatusCode::kInternal);
  EXPECT_FALSE(IsRetryable(refused));
  EXPECT_THAT(refused.message(), HasSubstr("too many batcher metadata-value combinations"));

  // Once the pending batches are sent, their combinations no longer count (the flush thread
  // drops an emptied combination before it sends, so this holds once the items arrived).
  env.clock.Advance(200ms);
  ASSERT_TRUE(sink.WaitForItems(3, kWait));
  EXPECT_EQ(p.ShardCountForTest(), 0u);
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(1), "c")).ok());
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(sink.ItemCount(), 4);
}

TEST(BatchProcessorTest, ShutdownFlushesEverythingAndJoins) {
  Env env;
  Config cfg = SizeOnly(100);
  cfg.metadata_keys = {"tenant"};
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(3), "a")).ok());
  EXPECT_TRUE(p.Consume(WithTenant(MakeTraces(4), "b")).ok());
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(sink.ItemCount(), 7);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_timeout_trigger_send"), 2);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_metadata_cardinality"), 0);

  // After Shutdown nothing is buffered any more: data goes straight through.
  EXPECT_TRUE(p.Consume(MakeTraces(2)).ok());
  EXPECT_EQ(sink.ItemCount(), 9);
}

TEST(BatchProcessorTest, ShutdownWithoutStartStillFlushes) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(100), sink);
  EXPECT_TRUE(p.Consume(MakeTraces(3)).ok());
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(sink.ItemCount(), 3);
}

TEST(BatchProcessorTest, ShutdownPastItsDeadlineDropsCountsAndSaysSo) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(100), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(3)).ok());
  Status s = p.Shutdown(env.clock.Now());  // the deadline has already come
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("3 spans"));
  EXPECT_EQ(sink.ItemCount(), 0);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_send_failed_spans"), 3);
}

TEST(BatchProcessorTest, DownstreamErrorIsLoggedOncePerBatchAndCounted) {
  Env env;
  ErrConsumer<TracesBatch> failing(UnavailableError("backend down"));
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(5), failing);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeTraces(2)).ok());
  // The client whose request completes the batch is not the only owner of the batch, so the
  // failure does not travel back to it: it is logged and counted.
  EXPECT_TRUE(p.Consume(MakeTraces(4)).ok());
  EXPECT_EQ(failing.calls(), 1);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_send_failed_spans"), 6);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_batch_size_trigger_send"), 0);
  const auto lines = env.LogLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("batch/test"));
  EXPECT_THAT(lines[0], HasSubstr("6 spans"));
  EXPECT_THAT(lines[0], HasSubstr("UNAVAILABLE: backend down"));
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, TimeoutSendFailureIsLoggedAndCounted) {
  Env env;
  ErrConsumer<MetricsBatch> failing(InternalError("bad"));
  Config cfg;
  cfg.send_batch_size = 100;
  cfg.timeout = 1s;
  BatchProcessor<MetricsBatch> p(env.settings, cfg, failing);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(MakeMetrics(3)).ok());
  env.clock.Advance(1s);
  const auto until = std::chrono::steady_clock::now() + kWait;
  while (failing.calls() == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(failing.calls(), 1);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_send_failed_metric_points"), 3);
  ASSERT_EQ(env.LogLines().size(), 1u);
  EXPECT_THAT(env.LogLines()[0], HasSubstr("3 data points"));
}

TEST(BatchProcessorTest, DestroyedWithoutShutdownCountsWhatItDrops) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  {
    BatchProcessor<TracesBatch> p(env.settings, SizeOnly(100), sink);
    ASSERT_TRUE(p.Start(env.host).ok());
    EXPECT_TRUE(p.Consume(MakeTraces(3)).ok());
  }  // joins its thread, drops the 3 spans, says so
  EXPECT_EQ(env.Counter("otelcol_processor_batch_send_failed_spans"), 3);
  EXPECT_THAT(env.LogLines(), ElementsAre(HasSubstr("destroyed without Shutdown")));
}

TEST(BatchProcessorTest, AdmitAsksTheNextComponent) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(10), sink);
  EXPECT_TRUE(p.Admit().ok());
  sink.SetAdmit(UnavailableError("high memory"));
  EXPECT_EQ(p.Admit().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(BatchProcessorTest, ConcurrentProducersLoseNothingAndRespectTheMaxSize) {
  Env env;
  Config cfg;
  cfg.send_batch_size = 50;
  cfg.send_batch_max_size = 64;
  cfg.timeout = 200ms;
  cfg.metadata_keys = {"tenant"};
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());

  constexpr int kThreads = 4;
  constexpr int kRequests = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        if (!p.Consume(WithTenant(MakeTraces(3), t % 2 ? "odd" : "even")).ok()) ++failures;
        if (i % 50 == 0) env.clock.Advance(100ms);  // let timeouts fire in between
      }
    });
  }
  for (auto& t : producers) t.join();
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(sink.ItemCount(), kThreads * kRequests * 3);
  for (int64_t size : Sizes(sink)) EXPECT_LE(size, 64);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_batch_send_size_sum"), kThreads * kRequests * 3);
}

TEST(BatchProcessorFactoryTest, CreatesEverySignal) {
  Env env;
  BatchProcessorFactory factory;
  EXPECT_EQ(factory.type(), "batch");
  for (Signal s : kAllSignals) EXPECT_TRUE(factory.Supports(s));
  auto cfg = factory.CreateDefaultConfig();
  static_cast<Config&>(*cfg).send_batch_size = 2;
  SinkConsumer<TracesBatch> traces_sink;
  SinkConsumer<MetricsBatch> metrics_sink;
  SinkConsumer<LogsBatch> logs_sink;
  auto traces = factory.CreateTraces(env.settings, *cfg, traces_sink);
  auto metrics = factory.CreateMetrics(env.settings, *cfg, metrics_sink);
  auto logs = factory.CreateLogs(env.settings, *cfg, logs_sink);
  ASSERT_TRUE(traces.ok());
  ASSERT_TRUE(metrics.ok());
  ASSERT_TRUE(logs.ok());
  EXPECT_TRUE((*metrics)->Consume(MakeMetrics(2)).ok());
  EXPECT_EQ(metrics_sink.ItemCount(), 2);  // the configured size applies
  for (auto* c : std::vector<Component*>{traces->get(), metrics->get(), logs->get()}) {
    EXPECT_TRUE(c->Start(env.host).ok());
    EXPECT_TRUE(c->Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  }
}

}  // namespace
}  // namespace otlpd::processor::batch
