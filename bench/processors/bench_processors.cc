// Processor micro-benchmarks.
//
// - The reference filter (filter/noisy: two IsMatch conditions on the span name) per span, as
//   the processor runs it (one RE2::Set pass) and, for comparison, as two separate regex
//   searches, over a cycle of realistic span names.
// - The filter processor on whole 1000-span requests (copying the request before each run and
//   freeing it after are not timed; PauseTiming itself costs a few hundred ns per run).
// - The reference resource upsert (deployment.environment) per request.
// - Both processors on encoded requests (as the receivers hand them over), per span: through
//   objects (decode, process, encode again for export) and on the wire (the bytes stay bytes).
//   The spans carry the attributes an instrumented HTTP/DB app gives them.
//
//   build/bench/processors/bench_processors --benchmark_filter=Reference
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "config/loader.h"
#include "processors/filter/config.h"
#include "processors/filter/factory.h"
#include "processors/filter/filter_processor.h"
#include "processors/filter/ottl/evaluator.h"
#include "processors/filter/ottl/parser.h"
#include "processors/resource/config.h"
#include "processors/resource/factory.h"
#include "processors/resource/resource_processor.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor {
namespace {

constexpr const char* kReferenceFilter = R"(filter:
  error_mode: ignore
  traces:
    span:
      - 'IsMatch(name, ".*(/api)?/health.*")'
      - 'IsMatch(name, "^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$")'
)";

constexpr const char* kReferenceResource = R"(resource:
  attributes:
    - key: deployment.environment
      value: production
      action: upsert
)";

// Names as a web app with a Postgres driver produces them; 3 of 16 are dropped.
const std::vector<std::string>& SpanNames() {
  static const std::vector<std::string> kNames = {
      "GET /api/articles/{id}", "SELECT articles", "INSERT INTO articles", "GET /api/health",
      "POST /api/articles", "BEGIN", "connect", "GET /api/users/{id}/profile",
      "UPDATE articles SET title = $1 WHERE id = $2", "COMMIT", "GET /static/app.js",
      "DELETE /api/articles/{id}", "SELECT users", "GET /api/articles", "redis GET", "pg.pool.acquire"};
  return kNames;
}

std::unique_ptr<filter::FilterConfig> ReferenceFilterConfig() {
  config::Errors errors;
  config::LoadResult loaded =
      config::LoadString(kReferenceFilter, "bench.yaml",
                         [](const std::string&) { return std::optional<std::string>(); }, errors);
  auto cfg = std::make_unique<filter::FilterConfig>();
  config::MapReader reader(*loaded.root.Find("filter"), "processors::filter", errors);
  filter::FilterProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  if (!errors.empty()) std::abort();
  return cfg;
}

std::vector<opentelemetry::proto::trace::v1::Span> Spans(size_t n) {
  std::vector<opentelemetry::proto::trace::v1::Span> spans(n);
  for (size_t i = 0; i < n; ++i) spans[i].set_name(SpanNames()[i % SpanNames().size()]);
  return spans;
}

// Per span, as the processor evaluates the reference conditions: one RE2::Set.
void BM_ReferenceFilterPerSpan(benchmark::State& state) {
  auto cfg = ReferenceFilterConfig();
  const filter::ConditionGroup& group = cfg->traces->group(filter::ottl::Level::kSpan);
  if (group.regex_set_count() != 1) std::abort();
  const auto spans = Spans(1 << 20);  // ~1M spans
  filter::ottl::EvalContext ctx;
  filter::ConditionErrors errors;
  size_t i = 0;
  int64_t dropped = 0;
  for (auto _ : state) {
    ctx.span = &spans[i];
    dropped += group.Matches(ctx, &errors);
    if (++i == spans.size()) i = 0;
  }
  benchmark::DoNotOptimize(dropped);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("ns/iteration = ns per span");
}
BENCHMARK(BM_ReferenceFilterPerSpan);

// The same two conditions evaluated one after the other (no merging), for comparison.
void BM_ReferenceFilterPerSpanUnmerged(benchmark::State& state) {
  std::vector<std::unique_ptr<filter::ottl::Condition>> conditions;
  for (const char* text : {R"(IsMatch(name, ".*(/api)?/health.*"))",
                           R"(IsMatch(name, "^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$"))"}) {
    conditions.push_back(std::move(
        filter::ottl::Parse(text, {.family = filter::ottl::Family::kTraces,
                                   .context = filter::ottl::Level::kSpan})
            .condition));
  }
  const auto spans = Spans(1 << 20);
  filter::ottl::EvalContext ctx;
  std::string error;
  size_t i = 0;
  int64_t dropped = 0;
  for (auto _ : state) {
    ctx.span = &spans[i];
    bool hit = false;
    for (const auto& c : conditions) {
      if (filter::ottl::Evaluate(*c, ctx, &error)) {
        hit = true;
        break;
      }
    }
    dropped += hit;
    if (++i == spans.size()) i = 0;
  }
  benchmark::DoNotOptimize(dropped);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferenceFilterPerSpanUnmerged);

// Keeps the last request, so that freeing it happens in Drop(), outside the timed region.
class HoldingTraces : public TracesConsumer {
 public:
  Status Consume(TracesBatch batch) override {
    held_.push_back(std::move(batch));
    return OkStatus();
  }
  void Drop() { held_.clear(); }
  const TracesBatch& Last() const { return held_.back(); }

 private:
  std::vector<TracesBatch> held_;
};

TracesBatch Request(int spans) {
  TracesBatch batch = testing::MakeTraces(spans);
  auto* list = batch.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  for (int i = 0; i < spans; ++i) {
    list->Mutable(i)->set_name(SpanNames()[static_cast<size_t>(i) % SpanNames().size()]);
  }
  return batch;
}

// Whole requests through the filter processor: evaluation plus removal of dropped spans.
void BM_FilterProcessorRequest(benchmark::State& state) {
  auto cfg = ReferenceFilterConfig();
  HoldingTraces next;
  CreateSettings settings;
  settings.id = ComponentId("filter", "noisy");
  filter::FilterTracesProcessor p(settings, cfg->traces, next);
  const TracesBatch request = Request(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    next.Drop();
    TracesBatch copy = request.Clone();
    state.ResumeTiming();
    benchmark::DoNotOptimize(p.Consume(std::move(copy)));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FilterProcessorRequest)->Arg(1000);

// A request as an instrumented web app sends it: `spans` spans (16 names, 3 of 16 dropped by
// the reference filter), each with kind, status and six attributes.
TraceRequest RealisticRequest(int spans) {
  TraceRequest req = Request(spans).request();
  auto* rs = req.mutable_resource_spans(0);
  for (const char* key : {"host.name", "process.pid", "telemetry.sdk.name", "k8s.pod.name"}) {
    UpsertAttribute(rs->mutable_resource()->mutable_attributes(), key).set_string_value("value");
  }
  for (auto& span : *rs->mutable_scope_spans(0)->mutable_spans()) {
    span.set_kind(opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
    span.mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_OK);
    span.set_parent_span_id(span.span_id());
    auto* attrs = span.mutable_attributes();
    UpsertAttribute(attrs, "http.method").set_string_value("GET");
    UpsertAttribute(attrs, "http.route").set_string_value("/api/articles/{id}");
    UpsertAttribute(attrs, "http.status_code").set_int_value(200);
    UpsertAttribute(attrs, "net.peer.name").set_string_value("articles.internal");
    UpsertAttribute(attrs, "db.system").set_string_value("postgresql");
    UpsertAttribute(attrs, "db.statement").set_string_value("SELECT * FROM articles WHERE id = $1");
  }
  return req;
}

// Runs `p` on an encoded request per iteration; with `via_objects`, as the stages worked before
// the encoded form: decode first, serialise the result for the exporter. Timed per span.
template <class P>
void RunEncoded(benchmark::State& state, P& p, HoldingTraces& next, bool via_objects) {
  const TraceRequest request = RealisticRequest(static_cast<int>(state.range(0)));
  const std::string bytes = request.SerializeAsString();
  std::string scratch;
  for (auto _ : state) {
    state.PauseTiming();
    next.Drop();
    TracesBatch batch = TracesBatch::FromEncoded(bytes, CountItems(request));
    state.ResumeTiming();
    if (via_objects) batch.mutable_request();  // decoded, bytes dropped: the object path
    benchmark::DoNotOptimize(p.Consume(std::move(batch)));
    benchmark::DoNotOptimize(next.Last().Serialized(&scratch));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("items/s = spans/s");
}

void BM_FilterEncodedRequestViaObjects(benchmark::State& state) {
  auto cfg = ReferenceFilterConfig();
  HoldingTraces next;
  CreateSettings settings;
  settings.id = ComponentId("filter", "noisy");
  filter::FilterTracesProcessor p(settings, cfg->traces, next);
  RunEncoded(state, p, next, true);
}
BENCHMARK(BM_FilterEncodedRequestViaObjects)->Arg(1000);

void BM_FilterEncodedRequestOnWire(benchmark::State& state) {
  auto cfg = ReferenceFilterConfig();
  HoldingTraces next;
  CreateSettings settings;
  settings.id = ComponentId("filter", "noisy");
  filter::FilterTracesProcessor p(settings, cfg->traces, next);
  RunEncoded(state, p, next, false);
}
BENCHMARK(BM_FilterEncodedRequestOnWire)->Arg(1000);

std::unique_ptr<resource::ResourceConfig> ReferenceResourceConfig() {
  config::Errors errors;
  config::LoadResult loaded =
      config::LoadString(kReferenceResource, "bench.yaml",
                         [](const std::string&) { return std::optional<std::string>(); }, errors);
  auto cfg = std::make_unique<resource::ResourceConfig>();
  config::MapReader reader(*loaded.root.Find("resource"), "processors::resource", errors);
  resource::ResourceProcessorFactory().DecodeConfig(reader, *cfg);
  reader.Finish();
  if (!errors.empty()) std::abort();
  return cfg;
}

// The upsert itself on a typical resource (10 attributes, the key absent then present).
void BM_ResourceUpsertPerRequest(benchmark::State& state) {
  auto cfg = ReferenceResourceConfig();
  TracesBatch request = testing::MakeTraces(1);
  auto* attrs = request.mutable_request().mutable_resource_spans(0)->mutable_resource()->mutable_attributes();
  for (int i = 0; i < 9; ++i) {
    UpsertAttribute(attrs, "k8s.attribute." + std::to_string(i)).set_string_value("value");
  }
  const ClientMetadata metadata;
  for (auto _ : state) {
    cfg->attributes.Apply(attrs, metadata);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResourceUpsertPerRequest);

// The resource processor on whole requests (one resource, 100 spans; copy not timed).
void BM_ResourceProcessorRequest(benchmark::State& state) {
  auto cfg = ReferenceResourceConfig();
  HoldingTraces next;
  resource::ResourceProcessor<TracesBatch> p(cfg->attributes, next);
  const TracesBatch request = testing::MakeTraces(100);
  for (auto _ : state) {
    state.PauseTiming();
    next.Drop();
    TracesBatch copy = request.Clone();
    state.ResumeTiming();
    benchmark::DoNotOptimize(p.Consume(std::move(copy)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResourceProcessorRequest);

void BM_ResourceEncodedRequestViaObjects(benchmark::State& state) {
  auto cfg = ReferenceResourceConfig();
  HoldingTraces next;
  resource::ResourceProcessor<TracesBatch> p(cfg->attributes, next);
  RunEncoded(state, p, next, true);
}
BENCHMARK(BM_ResourceEncodedRequestViaObjects)->Arg(1000);

void BM_ResourceEncodedRequestOnWire(benchmark::State& state) {
  auto cfg = ReferenceResourceConfig();
  HoldingTraces next;
  resource::ResourceProcessor<TracesBatch> p(cfg->attributes, next);
  RunEncoded(state, p, next, false);
}
BENCHMARK(BM_ResourceEncodedRequestOnWire)->Arg(1000);

}  // namespace
}  // namespace otlpd::processor
