// The batch processor on encoded batches (wire bytes from a receiver): they are appended and
// split as bytes and reach the next component still encoded, holding the same items, in the same
// order, under the same resources and scopes as the same input batched as objects.
//
// Byte appending does not merge a resource identical to the previous one (AppendRequest on
// objects does; the Go collector does not either), so these tests compare what a backend sees,
// item by item with its resource and scope, rather than the shape of the resource lists.
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "processors/batch/batch_processor.h"
#include "tests/support/fake_clock.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::batch {
namespace {

using ::testing::ElementsAre;
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

struct Env {
  Env() {
    settings.id = ComponentId("batch", "test");
    settings.metrics = &metrics;
    settings.clock = &clock;
  }
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
};

Config SizeOnly(int64_t size, int64_t max = 0) {
  Config cfg;
  cfg.send_batch_size = size;
  cfg.send_batch_max_size = max;
  cfg.timeout = std::chrono::hours(1);
  return cfg;
}

// The same batch as a receiver hands it over: checked wire bytes and their item count.
template <class B>
B Encoded(const B& decoded) {
  return B::FromEncoded(decoded.request().SerializeAsString(), decoded.ItemCount());
}

std::string ServiceOf(const opentelemetry::proto::resource::v1::Resource& r) {
  return r.attributes_size() > 0 ? r.attributes(0).value().string_value() : "";
}

// Every item of a batch as "service/scope/item", in order: what a backend would store.
std::vector<std::string> Items(const TracesBatch& b) {
  std::vector<std::string> out;
  for (const auto& rs : b.request().resource_spans()) {
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& s : ss.spans()) {
        out.push_back(ServiceOf(rs.resource()) + "/" + ss.scope().name() + "/" + s.name());
      }
    }
  }
  return out;
}

std::vector<std::string> Items(const MetricsBatch& b) {
  std::vector<std::string> out;
  for (const auto& rm : b.request().resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) {
      for (const auto& m : sm.metrics()) {
        for (const auto& p : m.gauge().data_points()) {
          out.push_back(ServiceOf(rm.resource()) + "/" + sm.scope().name() + "/" + m.name() +
                        "/" + std::to_string(p.as_int()));
        }
      }
    }
  }
  return out;
}

std::vector<std::string> Items(const LogsBatch& b) {
  std::vector<std::string> out;
  for (const auto& rl : b.request().resource_logs()) {
    for (const auto& sl : rl.scope_logs()) {
      for (const auto& l : sl.log_records()) {
        out.push_back(ServiceOf(rl.resource()) + "/" + sl.scope().name() + "/" +
                      l.body().string_value());
      }
    }
  }
  return out;
}

// What the sink received: per batch, its item count and its items.
template <class B>
struct Received {
  std::vector<int64_t> sizes;
  std::vector<std::vector<std::string>> items;
  bool all_encoded = true;
};

template <class B>
Received<B> Collect(const SinkConsumer<B>& sink) {
  Received<B> r;
  for (const B& b : sink.Batches()) {
    r.all_encoded = r.all_encoded && b.is_encoded();
    r.sizes.push_back(b.ItemCount());
    r.items.push_back(Items(b));
    EXPECT_EQ(CountItems(b.request()), b.ItemCount());
  }
  return r;
}

// Runs `inputs` through a processor with `cfg`, as given, then Shutdown (which flushes).
template <class B>
Received<B> RunThrough(const Config& cfg, std::vector<B> inputs) {
  Env env;
  SinkConsumer<B> sink;
  BatchProcessor<B> p(env.settings, cfg, sink);
  EXPECT_TRUE(p.Start(env.host).ok());
  for (B& b : inputs) EXPECT_TRUE(p.Consume(std::move(b)).ok());
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  return Collect(sink);
}

// The same input batched as objects and as bytes: same batch sizes, same items in each batch.
template <class B, class Make>
void ExpectSameAsObjects(const Config& cfg, Make make, const std::vector<int>& sizes) {
  std::vector<B> decoded;
  std::vector<B> encoded;
  int i = 0;
  for (int n : sizes) {
    B b = make(n, "svc-" + std::to_string(i++ % 3));
    encoded.push_back(Encoded(b));
    decoded.push_back(std::move(b));
  }
  const Received<B> objects = RunThrough(cfg, std::move(decoded));
  const Received<B> bytes = RunThrough(cfg, std::move(encoded));
  EXPECT_TRUE(bytes.all_encoded);
  EXPECT_EQ(bytes.sizes, objects.sizes);
  EXPECT_EQ(bytes.items, objects.items);
}

TEST(EncodedBatchTest, TracesMatchTheObjectPathAcrossSizeTriggersAndSplits) {
  const std::vector<int> sizes = {4, 1, 7, 3, 12, 2, 9, 5, 1, 1, 6};
  ExpectSameAsObjects<TracesBatch>(SizeOnly(10), MakeTraces, sizes);
  ExpectSameAsObjects<TracesBatch>(SizeOnly(5, 5), MakeTraces, sizes);
  ExpectSameAsObjects<TracesBatch>(SizeOnly(5, 8), MakeTraces, sizes);
  ExpectSameAsObjects<TracesBatch>(SizeOnly(3, 4), MakeTraces, sizes);
}

TEST(EncodedBatchTest, MetricsMatchTheObjectPathWithCutsInsideAMetric) {
  const std::vector<int> sizes = {4, 1, 7, 3, 12, 2};
  ExpectSameAsObjects<MetricsBatch>(SizeOnly(4, 4), MakeMetrics, sizes);
  ExpectSameAsObjects<MetricsBatch>(SizeOnly(5, 7), MakeMetrics, sizes);
}

TEST(EncodedBatchTest, LogsMatchTheObjectPath) {
  const std::vector<int> sizes = {4, 1, 7, 3, 12, 2};
  ExpectSameAsObjects<LogsBatch>(SizeOnly(6), MakeLogs, sizes);
  ExpectSameAsObjects<LogsBatch>(SizeOnly(4, 5), MakeLogs, sizes);
}

TEST(EncodedBatchTest, NoBufferingSplitsBytesToo) {
  Config cfg;
  cfg.timeout = 0s;
  cfg.send_batch_size = 2;
  cfg.send_batch_max_size = 3;
  ExpectSameAsObjects<TracesBatch>(cfg, MakeTraces, {7, 2, 4});
}

// A size-triggered batch of encoded requests is their bytes back to back: nothing was decoded
// or re-encoded on the way, and the self-metrics count it as before.
TEST(EncodedBatchTest, ABatchIsTheRequestsBytesConcatenated) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, SizeOnly(10), sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  std::string expected;
  for (int i = 0; i < 3; ++i) {
    TracesBatch b = Encoded(MakeTraces(4));
    expected += b.encoded();
    EXPECT_TRUE(p.Consume(std::move(b)).ok());
  }
  const auto batches = sink.Batches();
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_TRUE(batches[0].is_encoded());
  EXPECT_EQ(batches[0].encoded(), expected);
  EXPECT_EQ(batches[0].ItemCount(), 12);
  // Unlike the object path (one resource holding all 12 spans), the three identical resources
  // are listed one after the other; each holds its request's spans.
  EXPECT_EQ(batches[0].request().resource_spans_size(), 3);
  EXPECT_EQ(env.Counter("otelcol_processor_batch_batch_size_trigger_send"), 1);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_batch_send_size_count"), 1);
  EXPECT_EQ(env.Gauge("otelcol_processor_batch_batch_send_size_sum"), 12);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
}

TEST(EncodedBatchTest, TimeoutSendsEncodedBatches) {
  Env env;
  SinkConsumer<TracesBatch> sink;
  Config cfg;
  cfg.send_batch_size = 100;
  cfg.timeout = 200ms;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  EXPECT_TRUE(p.Consume(Encoded(MakeTraces(3))).ok());
  EXPECT_TRUE(p.Consume(Encoded(MakeTraces(2))).ok());
  env.clock.Advance(200ms);
  ASSERT_TRUE(sink.WaitForItems(5, kWait));
  const auto batches = sink.Batches();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_TRUE(batches[0].is_encoded());
  EXPECT_EQ(Items(batches[0]).size(), 5u);
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(env.Counter("otelcol_processor_batch_timeout_trigger_send"), 1);
}

TEST(EncodedBatchTest, MetadataCombinationsStaySeparateAndSplitHeadsKeepThem) {
  Env env;
  Config cfg = SizeOnly(4, 4);
  cfg.metadata_keys = {"tenant"};
  SinkConsumer<TracesBatch> sink;
  BatchProcessor<TracesBatch> p(env.settings, cfg, sink);
  ASSERT_TRUE(p.Start(env.host).ok());
  for (const char* tenant : {"a", "b", "a"}) {
    TracesBatch b = Encoded(MakeTraces(3, tenant));
    b.set_metadata(ClientMetadata{{"tenant", {tenant}}});
    EXPECT_TRUE(p.Consume(std::move(b)).ok());
  }
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  std::map<std::string, std::vector<std::string>> by_tenant;
  for (const auto& b : sink.Batches()) {
    EXPECT_TRUE(b.is_encoded());
    const std::string tenant = b.metadata().at("tenant").front();
    for (const std::string& item : Items(b)) {
      EXPECT_EQ(item.substr(0, 2), tenant + "/");  // only this tenant's spans
      by_tenant[tenant].push_back(item);
    }
  }
  EXPECT_EQ(by_tenant["a"].size(), 6u);
  EXPECT_EQ(by_tenant["b"].size(), 3u);
  EXPECT_THAT(Collect(sink).sizes, ElementsAre(4, 2, 3));
}

// Mixed input (OTLP/JSON requests stay decoded): the batch ends up as bytes, with every item.
TEST(EncodedBatchTest, MixedDecodedAndEncodedInput) {
  const Received<TracesBatch> r =
      RunThrough<TracesBatch>(SizeOnly(10, 6), [] {
        std::vector<TracesBatch> in;
        in.push_back(MakeTraces(3, "json"));
        in.push_back(Encoded(MakeTraces(4, "grpc")));
        in.push_back(MakeTraces(5, "json2"));
        return in;
      }());
  EXPECT_THAT(r.sizes, ElementsAre(6, 6));
  std::vector<std::string> all;
  for (const auto& b : r.items) all.insert(all.end(), b.begin(), b.end());
  ASSERT_EQ(all.size(), 12u);
  EXPECT_EQ(all[0], "json/test-scope/span-0");
  EXPECT_EQ(all[3], "grpc/test-scope/span-0");
  EXPECT_EQ(all[11], "json2/test-scope/span-4");
}

// Concurrent producers of mixed forms: every span arrives exactly once, in chunks of at most
// send_batch_max_size, each decodable with the item count it claims.
TEST(EncodedBatchTest, ConcurrentProducersLoseNothing) {
  Env env;
  Config cfg;
  cfg.send_batch_size = 50;
  cfg.send_batch_max_size = 64;
  cfg.timeout = 200ms;
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
        TracesBatch b = MakeTraces(3, "t" + std::to_string(t) + "r" + std::to_string(i));
        if (!p.Consume(t == 0 ? std::move(b) : Encoded(b)).ok()) ++failures;  // t0: "JSON"
        if (i % 50 == 0) env.clock.Advance(100ms);
      }
    });
  }
  for (auto& t : producers) t.join();
  EXPECT_TRUE(p.Shutdown(std::chrono::steady_clock::now() + kWait).ok());
  EXPECT_EQ(failures.load(), 0);
  const Received<TracesBatch> r = Collect(sink);
  std::map<std::string, int> seen;
  for (size_t i = 0; i < r.items.size(); ++i) {
    EXPECT_LE(r.sizes[i], 64);
    for (const std::string& item : r.items[i]) ++seen[item];
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kRequests * 3));
  for (const auto& [item, count] : seen) EXPECT_EQ(count, 1) << item;
}

}  // namespace
}  // namespace otlpd::processor::batch
