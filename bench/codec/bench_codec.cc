// Codec micro-benchmarks on the default span shape of otlpgen (8 attributes, ~440 bytes per
// span, 1000 spans per request), reported per span (items/s) and per MB (bytes/s of the
// uncompressed protobuf):
//
// - decode: protobuf parse into heap messages and into an arena;
// - receive: what the OTLP receiver does to a protobuf request, the wire scan (check + count,
//   pipeline/otlp_wire.h) against decoding, checking ID lengths, counting and destroying;
// - encode: serialise;
// - batch merge/split: ten 100-span requests appended, then cut at 1024 spans; on objects, on
//   objects decoded from and encoded back to bytes (the path before encoded batches), and on
//   the bytes themselves (pipeline/encoded_split.h);
// - compress: gzip with zlib and with libdeflate, zstd, at levels with comparable ratios (each
//   benchmark reports its ratio as a counter), and gzip decompression with zlib and libdeflate;
// - the reference chain per span: decode, filter, resource upsert, encode, gzip (libdeflate 6),
//   which is what otlpd does to every span on the reference pipeline minus the network.
//
//   build/bench/codec/bench_codec --benchmark_filter=Compress
#include <benchmark/benchmark.h>
#include <libdeflate.h>
#include <zlib.h>
#include <zstd.h>

#include <google/protobuf/arena.h>

#include <string>
#include <vector>

#include "cmd/otlpgen/request_shapes.h"
#include "config/loader.h"
#include "pipeline/compression.h"
#include "pipeline/encoded_split.h"
#include "pipeline/id_lengths.h"
#include "pipeline/otlp_wire.h"
#include "pipeline/request_split.h"
#include "processors/filter/config.h"
#include "processors/filter/factory.h"
#include "processors/filter/filter_processor.h"
#include "processors/resource/config.h"
#include "processors/resource/factory.h"
#include "processors/resource/resource_processor.h"

namespace otlpd {
namespace {

constexpr int kSpans = 1000;

const std::string& EncodedTraces() {
  static const std::string kBody = otlpgen::MakeTraceRequest(kSpans, 1).SerializeAsString();
  return kBody;
}

void PerSpanAndByte(benchmark::State& state, int64_t spans, int64_t bytes) {
  state.SetItemsProcessed(state.iterations() * spans);
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_Decode(benchmark::State& state) {
  const std::string& body = EncodedTraces();
  for (auto _ : state) {
    TraceRequest req;
    benchmark::DoNotOptimize(req.ParseFromString(body));
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_Decode);

void BM_DecodeArena(benchmark::State& state) {
  const std::string& body = EncodedTraces();
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* req = google::protobuf::Arena::CreateMessage<TraceRequest>(&arena);
    benchmark::DoNotOptimize(req->ParseFromString(body));
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_DecodeArena);

// The receiver today: scan the bytes, hand them on.
void BM_ReceiveScan(benchmark::State& state) {
  const std::string& body = EncodedTraces();
  for (auto _ : state) {
    StatusOr<int64_t> items = ScanEncodedRequest<TraceRequest>(body);
    if (!items.ok() || *items != kSpans) state.SkipWithError("scan refused the request");
    benchmark::DoNotOptimize(items);
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ReceiveScan);

// The receiver before: decode, check the IDs, count, and (later, elsewhere) destroy.
void BM_ReceiveDecode(benchmark::State& state) {
  const std::string& body = EncodedTraces();
  for (auto _ : state) {
    TraceRequest req;
    if (!req.ParseFromString(body) || !CheckIdLengths(req).ok() || CountItems(req) != kSpans) {
      state.SkipWithError("decode refused the request");
    }
    benchmark::DoNotOptimize(req);
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ReceiveDecode);

void BM_Encode(benchmark::State& state) {
  TraceRequest req;
  if (!req.ParseFromString(EncodedTraces())) std::abort();
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(req.SerializeToString(&out));
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(out.size()));
}
BENCHMARK(BM_Encode);

// What the batch processor does with small requests: append ten, take 1024 off the front.
void BM_BatchMergeSplit(benchmark::State& state) {
  std::vector<TraceRequest> parts;
  for (int i = 0; i < 11; ++i) parts.push_back(otlpgen::MakeTraceRequest(100, static_cast<uint64_t>(i)));
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<TraceRequest> copies = parts;
    state.ResumeTiming();
    TraceRequest pending;
    for (auto& p : copies) AppendRequest(pending, std::move(p));
    TraceRequest head = SplitRequest(pending, 1024);
    benchmark::DoNotOptimize(head);
  }
  state.SetItemsProcessed(state.iterations() * 1100);
}
BENCHMARK(BM_BatchMergeSplit);

std::vector<std::string> BatchParts() {
  std::vector<std::string> parts;
  for (int i = 0; i < 11; ++i) {
    parts.push_back(otlpgen::MakeTraceRequest(100, static_cast<uint64_t>(i)).SerializeAsString());
  }
  return parts;
}

// The batch processor's work per span when receivers decoded every request: parse, merge, cut,
// and serialise the head for export.
void BM_BatchMergeSplitFromBytesViaObjects(benchmark::State& state) {
  const std::vector<std::string> parts = BatchParts();
  std::string out;
  for (auto _ : state) {
    TraceRequest pending;
    for (const std::string& p : parts) {
      TraceRequest req;
      if (!req.ParseFromString(p)) std::abort();
      AppendRequest(pending, std::move(req));
    }
    TraceRequest head = SplitRequest(pending, 1024);
    out.clear();
    benchmark::DoNotOptimize(head.SerializeToString(&out));
  }
  state.SetItemsProcessed(state.iterations() * 1100);
}
BENCHMARK(BM_BatchMergeSplitFromBytesViaObjects);

// The same on encoded batches: concatenate, cut on the wire; the head is ready to send.
void BM_BatchMergeSplitEncoded(benchmark::State& state) {
  const std::vector<std::string> parts = BatchParts();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<TracesBatch> copies;
    for (const std::string& p : parts) copies.push_back(TracesBatch::FromEncoded(p, 100));
    state.ResumeTiming();
    TracesBatch pending;
    for (TracesBatch& b : copies) AppendBatchKeepingBytes(pending, std::move(b));
    TracesBatch head = SplitBatchKeepingBytes(pending, 1024);
    benchmark::DoNotOptimize(head.encoded().data());
  }
  state.SetItemsProcessed(state.iterations() * 1100);
}
BENCHMARK(BM_BatchMergeSplitEncoded);

// A cut in the middle of one 1000-span request, on the wire (what send_batch_max_size costs).
void BM_SplitEncodedOnly(benchmark::State& state) {
  const std::string& body = EncodedTraces();
  for (auto _ : state) {
    state.PauseTiming();
    std::string rest = body;
    int64_t items = kSpans;
    state.ResumeTiming();
    benchmark::DoNotOptimize(SplitEncoded<TraceRequest>(rest, items, kSpans / 2));
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_SplitEncodedOnly);

std::string ZlibGzip(const std::string& in, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string LibdeflateGzip(libdeflate_compressor* c, const std::string& in) {
  std::string out(libdeflate_gzip_compress_bound(c, in.size()), '\0');
  out.resize(libdeflate_gzip_compress(c, in.data(), in.size(), out.data(), out.size()));
  return out;
}

void ReportRatio(benchmark::State& state, const std::string& in, size_t compressed) {
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(in.size()));
  state.counters["ratio"] = static_cast<double>(in.size()) / static_cast<double>(compressed);
}

void BM_CompressZlibGzip(benchmark::State& state) {
  const std::string& in = EncodedTraces();
  size_t size = 0;
  for (auto _ : state) size = ZlibGzip(in, static_cast<int>(state.range(0))).size();
  ReportRatio(state, in, size);
}
BENCHMARK(BM_CompressZlibGzip)->Arg(1)->Arg(6);

void BM_CompressLibdeflateGzip(benchmark::State& state) {
  const std::string& in = EncodedTraces();
  libdeflate_compressor* c = libdeflate_alloc_compressor(static_cast<int>(state.range(0)));
  size_t size = 0;
  for (auto _ : state) size = LibdeflateGzip(c, in).size();
  libdeflate_free_compressor(c);
  ReportRatio(state, in, size);
}
BENCHMARK(BM_CompressLibdeflateGzip)->Arg(1)->Arg(4)->Arg(6);

void BM_CompressZstd(benchmark::State& state) {
  const std::string& in = EncodedTraces();
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t size = 0;
  for (auto _ : state) {
    size = ZSTD_compressCCtx(ctx, out.data(), out.size(), in.data(), in.size(),
                             static_cast<int>(state.range(0)));
  }
  ZSTD_freeCCtx(ctx);
  ReportRatio(state, in, size);
}
BENCHMARK(BM_CompressZstd)->Arg(1)->Arg(3);

// The receiver's path (pipeline Decompress: streaming zlib with a size cap) against libdeflate's
// one-shot decoder, on the same gzip body.
void BM_DecompressGzipPipeline(benchmark::State& state) {
  const std::string& in = EncodedTraces();
  const std::string gz = ZlibGzip(in, 6);
  for (auto _ : state) {
    StatusOr<std::string> out = Decompress(Compression::kGzip, gz, 64 << 20);
    benchmark::DoNotOptimize(out);
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(in.size()));
}
BENCHMARK(BM_DecompressGzipPipeline);

void BM_DecompressGzipLibdeflate(benchmark::State& state) {
  const std::string& in = EncodedTraces();
  const std::string gz = ZlibGzip(in, 6);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(in.size(), '\0');
  for (auto _ : state) {
    size_t actual = 0;
    if (libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &actual) !=
        LIBDEFLATE_SUCCESS) {
      std::abort();
    }
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_decompressor(d);
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(in.size()));
}
BENCHMARK(BM_DecompressGzipLibdeflate);

template <class Config, class Factory>
std::unique_ptr<Config> Decode(const char* yaml, const char* key, const char* path) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(
      yaml, "bench.yaml", [](const std::string&) { return std::optional<std::string>(); }, errors);
  auto cfg = std::make_unique<Config>();
  config::MapReader reader(*loaded.root.Find(key), path, errors);
  Factory().DecodeConfig(reader, *cfg);
  reader.Finish();
  if (!errors.empty()) std::abort();
  return cfg;
}

// Receives what the last processor hands on and encodes + gzips it like the exporter does.
class EncodingSink : public TracesConsumer {
 public:
  Status Consume(TracesBatch batch) override {
    std::string body = batch.request().SerializeAsString();
    StatusOr<std::string> gz = Compress(Compression::kGzip, body, 6);
    benchmark::DoNotOptimize(gz);
    return OkStatus();
  }
};

// decode -> filter -> resource -> encode -> gzip, per span of the default shape (20% dropped).
void BM_ReferenceChainPerSpan(benchmark::State& state) {
  auto filter_cfg = Decode<processor::filter::FilterConfig, processor::filter::FilterProcessorFactory>(
      R"(filter:
  error_mode: ignore
  traces:
    span:
      - 'IsMatch(name, ".*(/api)?/health.*")'
      - 'IsMatch(name, "^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$")'
)", "filter", "processors::filter");
  auto resource_cfg = Decode<processor::resource::ResourceConfig, processor::resource::ResourceProcessorFactory>(
      R"(resource:
  attributes:
    - key: deployment.environment
      value: production
      action: upsert
)", "resource", "processors::resource");
  EncodingSink sink;
  processor::resource::ResourceProcessor<TracesBatch> resource(resource_cfg->attributes, sink);
  CreateSettings settings;
  settings.id = ComponentId("filter", "noisy");
  processor::filter::FilterTracesProcessor filter(settings, filter_cfg->traces, resource);
  const std::string& body = EncodedTraces();
  for (auto _ : state) {
    auto req = std::make_unique<TraceRequest>();
    if (!req->ParseFromString(body)) std::abort();
    benchmark::DoNotOptimize(filter.Consume(TracesBatch(std::move(req))));
  }
  PerSpanAndByte(state, kSpans, static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ReferenceChainPerSpan);

}  // namespace
}  // namespace otlpd
