// Append throughput of the file_storage segment log: 4 KiB records, fsync always / batch /
// never, 1 and 4 appender threads. Reports bytes/s and records/s (items), and fsyncs per
// record, which shows how many appends each group commit covers. The log lives under $TMPDIR
// (the file system there decides what an fsync costs).
//
//   build/bench/storage/bench_storage --benchmark_min_time=1
#include <stdlib.h>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>

#include "extensions/file_storage/segment_log.h"
#include "pipeline/logging.h"

namespace otlpd::extension::file_storage {
namespace {

constexpr size_t kRecordSize = 4096;

std::string g_dir;
std::unique_ptr<SegmentLog> g_log;

void BM_Append(benchmark::State& state) {
  const auto policy = static_cast<FsyncPolicy>(state.range(0));
  if (state.thread_index() == 0) {
    std::string pattern = (std::filesystem::temp_directory_path() / "otlpd-bench-storage-XXXXXX").string();
    g_dir = mkdtemp(pattern.data()) != nullptr ? pattern : "";
    SegmentLogOptions options;
    options.directory = g_dir + "/log";
    options.fsync = policy;
    options.max_size_bytes = uint64_t{16} << 30;
    options.logger = GetLogger("bench/file_storage");
    auto log = SegmentLog::Open(options);
    if (!log.ok()) {
      state.SkipWithError(log.status().ToString().c_str());
    } else {
      g_log = std::move(*log);
    }
  }
  const std::string record(kRecordSize, 'r');
  for (auto _ : state) {
    if (g_log == nullptr) break;
    if (Status s = g_log->Append(record); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kRecordSize));
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0 && g_log != nullptr) {
    state.counters["fsyncs_per_record"] = benchmark::Counter(
        static_cast<double>(g_log->FsyncCount()), benchmark::Counter::kAvgIterations);
    g_log->Close().IgnoreError();
    g_log.reset();
    std::filesystem::remove_all(g_dir);
  }
}

BENCHMARK(BM_Append)
    ->ArgName("fsync_always0_batch1_never2")
    ->Arg(static_cast<int>(FsyncPolicy::kAlways))
    ->Arg(static_cast<int>(FsyncPolicy::kBatch))
    ->Arg(static_cast<int>(FsyncPolicy::kNever))
    ->Threads(1)
    ->Threads(4)
    ->UseRealTime();

}  // namespace
}  // namespace otlpd::extension::file_storage
