#include "cmd/otlpgen/options.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>

namespace otlpd::otlpgen {
namespace {

template <class T>
StatusOr<T> ParseNumber(const std::string& flag, const std::string& text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return InvalidArgumentError(flag + ": not a number: '" + text + "'");
  }
  return value;
}

}  // namespace

StatusOr<std::chrono::milliseconds> ParseGenDuration(const std::string& text) {
  static const std::vector<std::pair<std::string, int64_t>> kUnits = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
  for (const auto& [suffix, scale] : kUnits) {
    if (text.size() <= suffix.size() || text.compare(text.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const std::string digits = text.substr(0, text.size() - suffix.size());
    // "5ms" also ends in "s": only accept when the rest is a plain number.
    StatusOr<double> n = ParseNumber<double>("duration", digits);
    if (!n.ok()) continue;
    if (*n < 0 || !std::isfinite(*n)) break;
    return std::chrono::milliseconds(static_cast<int64_t>(std::llround(*n * scale)));
  }
  return InvalidArgumentError("not a duration (like 10s, 250ms, 2m): '" + text + "'");
}

std::string GenUsage() {
  return R"(otlpgen: sends OTLP load to a collector and reports rate, errors and latency.

  otlpgen --signal traces|metrics|logs --protocol grpc|http|http/json --endpoint ADDR
          (--count N | --duration D) [--rate ITEMS_PER_S] [--workers N] [--batch-size N]
          [--gzip] [--timeout D] [--json]

  --endpoint   gRPC: host:port. HTTP: http://host:port (or host:port); /v1/<signal> is added.
  --count      items (spans, data points, log records) to send in total, exactly.
  --duration   send for this long (10s, 500ms, 2m).
  --rate       items per second over all workers; 0 or absent: as fast as possible.
  --workers    concurrent connections, one thread each (default 1).
  --batch-size items per request (default 100).
  --gzip       compress requests (gRPC message compression, HTTP Content-Encoding).
  --timeout    per-request deadline (default 10s).
  --json       print the report as one JSON object instead of text.
)";
}

StatusOr<GenOptions> ParseGenOptions(const std::vector<std::string>& args) {
  GenOptions o;
  bool have_count = false;
  bool have_duration = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--gzip") { o.gzip = true; continue; }
    if (flag == "--json") { o.json = true; continue; }
    if (flag.rfind("--", 0) != 0) return InvalidArgumentError("unexpected argument '" + flag + "'");
    if (i + 1 >= args.size()) return InvalidArgumentError(flag + ": needs a value");
    const std::string& value = args[++i];
    if (flag == "--signal") {
      static const std::map<std::string, Signal> kSignals = {
          {"traces", Signal::kTraces}, {"metrics", Signal::kMetrics}, {"logs", Signal::kLogs}};
      auto it = kSignals.find(value);
      if (it == kSignals.end()) return InvalidArgumentError("--signal: must be traces, metrics or logs, got '" + value + "'");
      o.signal = it->second;
    } else if (flag == "--protocol") {
      static const std::map<std::string, Protocol> kProtocols = {
          {"grpc", Protocol::kGrpc}, {"http", Protocol::kHttpProto},
          {"http/protobuf", Protocol::kHttpProto}, {"http/json", Protocol::kHttpJson}};
      auto it = kProtocols.find(value);
      if (it == kProtocols.end()) return InvalidArgumentError("--protocol: must be grpc, http or http/json, got '" + value + "'");
      o.protocol = it->second;
    } else if (flag == "--endpoint") {
      if (value.empty()) return InvalidArgumentError("--endpoint: must not be empty");
      o.endpoint = value;
    } else if (flag == "--workers") {
      StatusOr<int> n = ParseNumber<int>(flag, value);
      if (!n.ok()) return n.status();
      if (*n < 1) return InvalidArgumentError("--workers: must be >= 1, got " + value);
      o.workers = *n;
    } else if (flag == "--batch-size") {
      StatusOr<int> n = ParseNumber<int>(flag, value);
      if (!n.ok()) return n.status();
      if (*n < 1) return InvalidArgumentError("--batch-size: must be >= 1, got " + value);
      o.batch_size = *n;
    } else if (flag == "--rate") {
      StatusOr<double> n = ParseNumber<double>(flag, value);
      if (!n.ok()) return n.status();
      if (*n < 0 || !std::isfinite(*n)) return InvalidArgumentError("--rate: must be >= 0, got " + value);
      o.rate = *n;
    } else if (flag == "--count") {
      StatusOr<int64_t> n = ParseNumber<int64_t>(flag, value);
      if (!n.ok()) return n.status();
      if (*n < 1) return InvalidArgumentError("--count: must be >= 1, got " + value);
      o.count = *n;
      have_count = true;
    } else if (flag == "--duration" || flag == "--timeout") {
      StatusOr<std::chrono::milliseconds> d = ParseGenDuration(value);
      if (!d.ok()) return d.status().Annotate(flag);
      if (d->count() <= 0) return InvalidArgumentError(flag + ": must be > 0, got " + value);
      if (flag == "--duration") {
        o.duration = *d;
        have_duration = true;
      } else {
        o.timeout = *d;
      }
    } else {
      return InvalidArgumentError("unknown flag '" + flag + "'");
    }
  }
  if (have_count == have_duration) {
    return InvalidArgumentError("give exactly one of --count and --duration");
  }
  return o;
}

}  // namespace otlpd::otlpgen
