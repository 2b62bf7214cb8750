// The telemetry otlpgen sends: realistic OTLP requests built once and encoded once, so the
// generator spends its time sending, not building.
//
// The default span looks like what a FastAPI or Litestar service with a Postgres driver emits:
// 8 attributes, about 440 bytes on the wire, names such as "GET /api/articles/{id}". One span in
// ten is a health probe ("GET /health") and one in ten a transaction statement ("BEGIN" or
// "COMMIT"), so the reference pipeline's filter has real work: it drops exactly those 20%.
//
//   TraceRequest req = MakeTraceRequest(/*spans=*/100, /*seed=*/7);
//   StatusOr<EncodedRequest> wire = EncodeRequest(req, Encoding::kProtobuf, /*gzip=*/true);
//   // wire->body is ready to POST with Content-Encoding: gzip; wire->items == 100
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/status.h"
#include "pipeline/telemetry.h"

namespace otlpd::otlpgen {

// The span name of the span at position `index` (counting from 0 over the whole run). Index
// 10k+0 is "GET /health", 10k+5 is "BEGIN" (k even) or "COMMIT" (k odd); the other eight are
// kept by the reference filter.
std::string_view SpanNameAt(int64_t index);

// True when the reference filter (health probes, BEGIN/COMMIT/ROLLBACK) drops this name.
bool ReferenceFilterDrops(std::string_view span_name);

// One resource, one scope, `spans` spans named from SpanNameAt(first_index...). `seed` varies
// trace and span IDs, so requests built with different seeds carry different IDs.
TraceRequest MakeTraceRequest(int spans, uint64_t seed, int64_t first_index = 0);
// One resource, one scope, one sum metric with `points` data points (3 attributes each).
MetricsRequest MakeMetricsRequest(int points, uint64_t seed);
// One resource, one scope, `records` log records (a message body, 4 attributes, trace context).
LogsRequest MakeLogsRequest(int records, uint64_t seed);

enum class Encoding { kProtobuf, kJson };

// A request as it goes on the wire: the body (compressed when gzip was asked for) and how many
// items it carries.
struct EncodedRequest {
  std::string body;
  int64_t items = 0;
  bool gzip = false;
};

// Serialises (protobuf or OTLP/JSON) and optionally gzips. INTERNAL if serialisation fails.
StatusOr<EncodedRequest> EncodeRequest(const google::protobuf::Message& request, int64_t items,
                                       Encoding encoding, bool gzip);

}  // namespace otlpd::otlpgen
