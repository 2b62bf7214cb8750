#include "cmd/otlpgen/request_shapes.h"

#include <array>

#include "pipeline/compression.h"
#include "pipeline/otlp_json.h"

namespace otlpd::otlpgen {
namespace {

using opentelemetry::proto::common::v1::KeyValue;

// Names the reference filter keeps: routes of a small web API and the statements behind them.
constexpr std::array<std::string_view, 8> kKeptNames = {
    "GET /api/articles/{id}", "POST /api/notes",   "SELECT articles", "INSERT INTO notes",
    "GET /api/articles",      "UPDATE articles",   "GET /api/users/{id}", "SELECT notes"};

// A fixed nanosecond timestamp (2026-01-01T00:00:00Z): the shape matters here, not the clock.
constexpr uint64_t kBaseTimeNanos = 1'767'225'600'000'000'000ull;

// splitmix64: cheap, deterministic, well-spread IDs from a counter.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::string IdBytes(uint64_t a, size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    if (i % 8 == 0 && i > 0) a = Mix(a);
    out[i] = static_cast<char>((a >> (8 * (i % 8))) & 0xff);
  }
  return out;
}

void AddString(google::protobuf::RepeatedPtrField<KeyValue>* attrs, std::string_view key,
               std::string_view value) {
  KeyValue* kv = attrs->Add();
  kv->set_key(std::string(key));
  kv->mutable_value()->set_string_value(std::string(value));
}

void AddInt(google::protobuf::RepeatedPtrField<KeyValue>* attrs, std::string_view key, int64_t value) {
  KeyValue* kv = attrs->Add();
  kv->set_key(std::string(key));
  kv->mutable_value()->set_int_value(value);
}

void FillResource(opentelemetry::proto::resource::v1::Resource* resource, std::string_view service) {
  auto* attrs = resource->mutable_attributes();
  AddString(attrs, "service.name", service);
  AddString(attrs, "service.version", "1.4.2");
  AddString(attrs, "host.name", "app-7d9f8c6b5-x2kqp");
  AddString(attrs, "telemetry.sdk.language", "python");
  AddString(attrs, "telemetry.sdk.name", "opentelemetry");
  AddString(attrs, "telemetry.sdk.version", "1.27.0");
}

}  // namespace

std::string_view SpanNameAt(int64_t index) {
  const int64_t slot = index % 10;
  if (slot == 0) return "GET /health";
  if (slot == 5) return (index / 10) % 2 == 0 ? "BEGIN" : "COMMIT";
  return kKeptNames[static_cast<size_t>(slot < 5 ? slot - 1 : slot - 2)];
}

bool ReferenceFilterDrops(std::string_view name) {
  // The reference's two conditions without a regex engine: '.*(/api)?/health.*' is "contains
  // /health"; '^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$' is spelled out.
  if (name.find("/health") != std::string_view::npos) return true;
  if (!name.empty() && name.back() == ';') name.remove_suffix(1);
  constexpr std::string_view kTransaction = " TRANSACTION";
  if (name.size() > kTransaction.size() && name.ends_with(kTransaction)) {
    name.remove_suffix(kTransaction.size());
  }
  return name == "BEGIN" || name == "COMMIT" || name == "ROLLBACK";
}

TraceRequest MakeTraceRequest(int spans, uint64_t seed, int64_t first_index) {
  TraceRequest req;
  auto* rs = req.add_resource_spans();
  FillResource(rs->mutable_resource(), "articles-api");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("opentelemetry.instrumentation.fastapi");
  ss->mutable_scope()->set_version("0.48b0");
  ss->mutable_spans()->Reserve(spans);
  for (int i = 0; i < spans; ++i) {
    const int64_t index = first_index + i;
    const uint64_t id = Mix(seed * 1'000'003ull + static_cast<uint64_t>(index));
    auto* span = ss->add_spans();
    // Ten spans share a trace, as the spans of one request do.
    span->set_trace_id(IdBytes(Mix(seed * 7919ull + static_cast<uint64_t>(index / 10)), 16));
    span->set_span_id(IdBytes(id, 8));
    span->set_parent_span_id(IdBytes(Mix(id), 8));
    span->set_name(std::string(SpanNameAt(index)));
    span->set_kind(opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
    const uint64_t start = kBaseTimeNanos + static_cast<uint64_t>(index) * 1'000'000ull;
    span->set_start_time_unix_nano(start);
    span->set_end_time_unix_nano(start + 1'250'000ull + (id % 4'000'000ull));
    auto* attrs = span->mutable_attributes();
    AddString(attrs, "http.request.method", "GET");
    AddString(attrs, "http.route", "/api/articles/{id}");
    AddInt(attrs, "http.response.status_code", 200);
    AddString(attrs, "url.path", "/api/articles/" + std::to_string(10'000 + id % 90'000));
    AddString(attrs, "server.address", "articles-api.prod.svc.cluster.local");
    AddString(attrs, "user_agent.original",
              "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 python-httpx/0.27.0");
    AddString(attrs, "client.address", "10.42.3." + std::to_string(id % 250));
    AddString(attrs, "db.system", "postgresql");
    span->mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_OK);
  }
  return req;
}

MetricsRequest MakeMetricsRequest(int points, uint64_t seed) {
  MetricsRequest req;
  auto* rm = req.add_resource_metrics();
  FillResource(rm->mutable_resource(), "articles-api");
  auto* sm = rm->add_scope_metrics();
  sm->mutable_scope()->set_name("opentelemetry.instrumentation.fastapi");
  auto* metric = sm->add_metrics();
  metric->set_name("http.server.request.count");
  metric->set_unit("{request}");
  auto* sum = metric->mutable_sum();
  sum->set_is_monotonic(true);
  sum->set_aggregation_temporality(
      opentelemetry::proto::metrics::v1::AGGREGATION_TEMPORALITY_CUMULATIVE);
  for (int i = 0; i < points; ++i) {
    auto* dp = sum->add_data_points();
    dp->set_start_time_unix_nano(kBaseTimeNanos);
    dp->set_time_unix_nano(kBaseTimeNanos + 60'000'000'000ull);
    dp->set_as_int(static_cast<int64_t>(Mix(seed + static_cast<uint64_t>(i)) % 100'000));
    AddString(dp->mutable_attributes(), "http.route", kKeptNames[static_cast<size_t>(i) % kKeptNames.size()]);
    AddInt(dp->mutable_attributes(), "http.response.status_code", 200);
    AddString(dp->mutable_attributes(), "series", std::to_string(i));
  }
  return req;
}

LogsRequest MakeLogsRequest(int records, uint64_t seed) {
  LogsRequest req;
  auto* rl = req.add_resource_logs();
  FillResource(rl->mutable_resource(), "articles-api");
  auto* sl = rl->add_scope_logs();
  sl->mutable_scope()->set_name("articles.api");
  for (int i = 0; i < records; ++i) {
    const uint64_t id = Mix(seed * 1'000'003ull + static_cast<uint64_t>(i));
    auto* log = sl->add_log_records();
    log->set_time_unix_nano(kBaseTimeNanos + static_cast<uint64_t>(i) * 1'000'000ull);
    log->set_observed_time_unix_nano(kBaseTimeNanos + static_cast<uint64_t>(i) * 1'000'000ull);
    log->set_severity_number(opentelemetry::proto::logs::v1::SEVERITY_NUMBER_INFO);
    log->set_severity_text("INFO");
    log->mutable_body()->set_string_value("article " + std::to_string(id % 90'000) +
                                          " served from cache in 3ms");
    log->set_trace_id(IdBytes(id, 16));
    log->set_span_id(IdBytes(Mix(id), 8));
    auto* attrs = log->mutable_attributes();
    AddString(attrs, "logger.name", "articles.api.views");
    AddString(attrs, "code.function", "get_article");
    AddInt(attrs, "code.lineno", 118);
    AddString(attrs, "http.route", "/api/articles/{id}");
  }
  return req;
}

StatusOr<EncodedRequest> EncodeRequest(const google::protobuf::Message& request, int64_t items,
                                       Encoding encoding, bool gzip) {
  EncodedRequest out;
  out.items = items;
  out.gzip = gzip;
  if (encoding == Encoding::kJson) {
    StatusOr<std::string> json = PrintOtlpJson(request);
    if (!json.ok()) return json.status();
    out.body = std::move(*json);
  } else if (!request.SerializeToString(&out.body)) {
    return InternalError("cannot serialise the request");
  }
  if (gzip) {
    StatusOr<std::string> compressed = Compress(Compression::kGzip, out.body, 0);
    if (!compressed.ok()) return compressed.status();
    out.body = std::move(*compressed);
  }
  return out;
}

}  // namespace otlpd::otlpgen
