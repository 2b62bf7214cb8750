// otlpgen's command line: what to send, how, how fast and for how long.
//
//   StatusOr<GenOptions> o = ParseGenOptions({"--signal", "traces", "--protocol", "grpc",
//                                             "--endpoint", "127.0.0.1:4317", "--count", "1000"});
//   if (!o.ok()) { std::cerr << o.status().message() << "\n"; return 2; }
//   // o->workers, o->batch_size, o->rate (items/s, 0 = as fast as possible), ...
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/status.h"

namespace otlpd::otlpgen {

enum class Signal { kTraces, kMetrics, kLogs };
enum class Protocol { kGrpc, kHttpProto, kHttpJson };

struct GenOptions {
  Signal signal = Signal::kTraces;        // --signal traces|metrics|logs
  Protocol protocol = Protocol::kGrpc;    // --protocol grpc|http|http/json ("http" is protobuf)
  // --endpoint: "host:port" for gRPC; a base URL ("http://host:4318") or host:port for HTTP,
  // to which /v1/<signal> is appended.
  std::string endpoint = "127.0.0.1:4317";
  bool gzip = false;                      // --gzip: compress every request
  int workers = 1;                        // --workers N: concurrent connections, each one thread
  int batch_size = 100;                   // --batch-size N: items per request
  double rate = 0;                        // --rate N: items per second, all workers; 0 = flat out
  // Exactly one of --count (items in total) and --duration (10s, 500ms, 2m) is required: a run
  // always ends by itself. The one not given stays 0.
  int64_t count = 0;
  std::chrono::milliseconds duration{0};
  bool json = false;                      // --json: print the report as one JSON object
  std::chrono::milliseconds timeout{10'000};  // --timeout: per request deadline
};

// Parses argv (without the program name). INVALID_ARGUMENT naming the flag for unknown flags,
// missing or malformed values, and inconsistent choices (neither or both of --count and
// --duration, workers < 1, batch size < 1, negative rate).
StatusOr<GenOptions> ParseGenOptions(const std::vector<std::string>& args);

// The usage text printed by --help and after a parse error.
std::string GenUsage();

// "10s", "250ms", "2m", "1h" -> milliseconds. INVALID_ARGUMENT otherwise.
StatusOr<std::chrono::milliseconds> ParseGenDuration(const std::string& text);

}  // namespace otlpd::otlpgen
