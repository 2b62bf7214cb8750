// LoadRun: the load itself. Builds and encodes the requests once, starts --workers threads (each
// with its own connection and pacer), sends until --count items or --duration, and collects
// what happened: items sent and accepted, errors by code, latency percentiles.
//
//   StatusOr<GenOptions> o = ParseGenOptions(args);
//   StatusOr<RunReport> r = RunLoad(*o);
//   std::cout << (o->json ? FormatJson(*r) : FormatText(*r));
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "cmd/otlpgen/latency_stats.h"
#include "cmd/otlpgen/options.h"
#include "pipeline/status.h"

namespace otlpd::otlpgen {

struct RunReport {
  int64_t requests_ok = 0;
  int64_t requests_failed = 0;
  int64_t items_ok = 0;        // items in requests the collector accepted
  int64_t items_failed = 0;    // items in requests it refused or that failed in transport
  int64_t bytes_sent = 0;      // request bodies as sent (compressed when --gzip)
  double elapsed_seconds = 0;  // from the first request to the last answer
  std::map<std::string, int64_t> errors;  // failure code -> requests
  LatencyStats::Summary latency;
  double target_rate = 0;      // --rate (items/s), 0 when flat out

  double ItemsPerSecond() const { return elapsed_seconds > 0 ? items_ok / elapsed_seconds : 0; }
};

// Runs the load described by `options` to completion. INTERNAL when a request cannot be
// encoded; transport and server errors are counted in the report, not returned.
StatusOr<RunReport> RunLoad(const GenOptions& options);

// The plan of a --count run: how many requests of batch size, and the size of a final smaller
// request (0 when `count` is a multiple of `batch_size`).
struct CountPlan {
  int64_t full_requests = 0;
  int64_t remainder_items = 0;
  int64_t TotalRequests() const { return full_requests + (remainder_items > 0 ? 1 : 0); }
};
CountPlan PlanCount(int64_t count, int batch_size);

std::string FormatText(const RunReport& report);
// One JSON object: {"items_ok":..., "items_per_second":..., "latency_us":{"p50":...}, ...}.
std::string FormatJson(const RunReport& report);

}  // namespace otlpd::otlpgen
