// The sending queue's cost per request: the in-memory BoundedQueue against the PersistentQueue
// on a real file_storage SegmentLog under each fsync policy. One iteration pushes one encoded
// 100-span request (what Consume does before answering the client) and pops and acknowledges
// one (what a worker does after a delivery), so the log stays small and the numbers are the
// steady state. With several threads the `batch` policy shares fsyncs between appenders.
//
//   build/bench/exporters/bench_persistent_queue --benchmark_filter=Persistent
//   OTLPD_BENCH_DIR=/mnt/ssd build/bench/exporters/bench_persistent_queue   # where the log goes
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "exporters/helper/bounded_queue.h"
#include "exporters/helper/persistent_queue.h"
#include "extensions/file_storage/segment_log.h"
#include "pipeline/logging.h"
#include "tests/support/fake_clock.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::helper {
namespace {

using extension::file_storage::FsyncPolicy;
using extension::file_storage::SegmentLog;
using extension::file_storage::SegmentLogOptions;

EncodedRequest Request() {
  EncodedRequest r;
  TracesBatch b = otlpd::testing::MakeTraces(100);
  r.items = b.ItemCount();
  b.request().SerializeToString(&r.payload);
  return r;
}

// A fresh directory under OTLPD_BENCH_DIR (default: the system's temp directory).
std::string FreshDirectory() {
  const char* base = std::getenv("OTLPD_BENCH_DIR");
  std::string tmpl = (base != nullptr ? std::string(base)
                                      : std::filesystem::temp_directory_path().string()) +
                     "/otlpd-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return "";
  return tmpl;
}

// Shared by the benchmark's threads: made by thread 0 before, destroyed after, the timed loop.
struct PersistentFixture {
  std::string dir;
  std::unique_ptr<PersistentQueue> queue;
};
PersistentFixture* g_fixture = nullptr;

void BM_PersistentQueuePushPopAck(benchmark::State& state) {
  const auto fsync = static_cast<FsyncPolicy>(state.range(0));
  static otlpd::testing::FakeClock clock;
  if (state.thread_index() == 0) {
    g_fixture = new PersistentFixture;
    g_fixture->dir = FreshDirectory();
    SegmentLogOptions options;
    options.directory = g_fixture->dir + "/log";
    options.fsync = fsync;
    options.logger = GetLogger("bench/file_storage");
    StatusOr<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(std::move(options));
    if (!log.ok()) {
      state.SkipWithError(log.status().ToString().c_str());
      return;
    }
    MergeLimits one_at_a_time;
    one_at_a_time.min_items = 1;  // each pop takes exactly one record: pushes and pops pair up
    g_fixture->queue = std::make_unique<PersistentQueue>(
        std::move(*log), 1'000'000, QueueSizer::kRequests, one_at_a_time,
        [](std::string protobuf, int64_t items) -> StatusOr<EncodedRequest> {
          return EncodedRequest{std::move(protobuf), items};
        },
        clock, nullptr);
  }
  const EncodedRequest request = Request();
  for (auto _ : state) {
    // Every thread pushes before it pops, so a pop never waits for a record that never comes.
    EncodedRequest r = request;
    if (g_fixture->queue->Push(r, clock, std::nullopt).result != PushResult::kOk) {
      state.SkipWithError("push refused");
      break;
    }
    std::optional<QueueEntry> e = g_fixture->queue->Pop();
    benchmark::DoNotOptimize(e->request.payload.data());
    (void)g_fixture->queue->Done(*e);
  }
  state.SetItemsProcessed(state.iterations() * request.items);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(request.payload.size()));
  if (state.thread_index() == 0) {
    g_fixture->queue.reset();
    std::filesystem::remove_all(g_fixture->dir);
    delete g_fixture;
    g_fixture = nullptr;
  }
}
BENCHMARK(BM_PersistentQueuePushPopAck)
    ->ArgName("fsync")  // 0 always, 1 batch, 2 never (FsyncPolicy order)
    ->Arg(static_cast<int>(FsyncPolicy::kAlways))
    ->Arg(static_cast<int>(FsyncPolicy::kBatch))
    ->Arg(static_cast<int>(FsyncPolicy::kNever))
    ->Threads(1)
    ->Threads(8)
    ->UseRealTime();

void BM_BoundedQueuePushPop(benchmark::State& state) {
  static otlpd::testing::FakeClock clock;
  static BoundedQueue* queue = nullptr;
  if (state.thread_index() == 0) {
    queue = new BoundedQueue(1'000'000, QueueSizer::kRequests, nullptr);
  }
  const EncodedRequest request = Request();
  for (auto _ : state) {
    EncodedRequest r = request;
    (void)queue->Push(r, clock, std::nullopt);
    std::optional<QueueEntry> e = queue->Pop();
    benchmark::DoNotOptimize(e->request.payload.data());
  }
  state.SetItemsProcessed(state.iterations() * request.items);
  if (state.thread_index() == 0) {
    delete queue;
    queue = nullptr;
  }
}
BENCHMARK(BM_BoundedQueuePushPop)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace otlpd::exporter::helper
