#include "cmd/otlpgen/load_run.h"

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "cmd/otlpgen/pacer.h"
#include "cmd/otlpgen/request_shapes.h"
#include "cmd/otlpgen/sender.h"

namespace otlpd::otlpgen {
namespace {

// Distinct pre-encoded requests each worker cycles through: enough that consecutive requests
// carry different IDs, few enough that building them costs nothing noticeable.
constexpr int kRequestVariants = 8;

StatusOr<EncodedRequest> Build(const GenOptions& o, int items, uint64_t seed) {
  const Encoding enc = o.protocol == Protocol::kHttpJson ? Encoding::kJson : Encoding::kProtobuf;
  // gRPC compresses the message itself (grpc-encoding), so its body stays uncompressed here.
  const bool gzip_body = o.gzip && o.protocol != Protocol::kGrpc;
  switch (o.signal) {
    case Signal::kTraces:
      // first_index 0: every request carries the same mix of names (items is a multiple of 10
      // in the usual batch sizes, so each request has exactly 10% health and 10% BEGIN/COMMIT).
      return EncodeRequest(MakeTraceRequest(items, seed), items, enc, gzip_body);
    case Signal::kMetrics:
      return EncodeRequest(MakeMetricsRequest(items, seed), items, enc, gzip_body);
    case Signal::kLogs:
      return EncodeRequest(MakeLogsRequest(items, seed), items, enc, gzip_body);
  }
  return InternalError("unknown signal");
}

struct WorkerResult {
  int64_t requests_ok = 0;
  int64_t requests_failed = 0;
  int64_t items_ok = 0;
  int64_t items_failed = 0;
  int64_t bytes_sent = 0;
  std::map<std::string, int64_t> errors;
  LatencyStats latency;
};

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

CountPlan PlanCount(int64_t count, int batch_size) {
  return {.full_requests = count / batch_size, .remainder_items = count % batch_size};
}

StatusOr<RunReport> RunLoad(const GenOptions& o) {
  std::vector<EncodedRequest> variants;
  for (int v = 0; v < kRequestVariants; ++v) {
    StatusOr<EncodedRequest> r = Build(o, o.batch_size, static_cast<uint64_t>(v) + 1);
    if (!r.ok()) return r.status();
    variants.push_back(std::move(*r));
  }
  const CountPlan plan = o.count > 0 ? PlanCount(o.count, o.batch_size) : CountPlan{};
  EncodedRequest remainder;
  if (plan.remainder_items > 0) {
    StatusOr<EncodedRequest> r = Build(o, static_cast<int>(plan.remainder_items), 1000);
    if (!r.ok()) return r.status();
    remainder = std::move(*r);
  }

  // Senders connect lazily; create them before the clock starts so connecting is not measured
  // as the first request's latency more than it must be.
  std::vector<std::unique_ptr<RequestSender>> senders;
  for (int w = 0; w < o.workers; ++w) senders.push_back(MakeSender(o));

  // --count: workers take request numbers from one counter until the plan is used up.
  // --duration: each worker sends until the deadline.
  std::atomic<int64_t> next_request{0};
  const int64_t total_requests = o.count > 0 ? plan.TotalRequests() : -1;
  const double per_worker_rate = Pacer::RequestsPerSecondPerWorker(o.rate, o.workers, o.batch_size);
  std::vector<WorkerResult> results(static_cast<size_t>(o.workers));
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + o.duration;

  std::vector<std::thread> threads;
  for (int w = 0; w < o.workers; ++w) {
    threads.emplace_back([&, w] {
      WorkerResult& res = results[static_cast<size_t>(w)];
      RequestSender& sender = *senders[static_cast<size_t>(w)];
      // Stagger workers across one interval so paced requests do not leave in bursts.
      const auto offset = per_worker_rate > 0
          ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(w / (per_worker_rate * o.workers)))
          : std::chrono::steady_clock::duration::zero();
      Pacer pacer(per_worker_rate, start + offset);
      for (int64_t n = 0;; ++n) {
        const EncodedRequest* request = &variants[static_cast<size_t>(n % kRequestVariants)];
        if (total_requests >= 0) {
          const int64_t id = next_request.fetch_add(1);
          if (id >= total_requests) break;
          if (id >= plan.full_requests) request = &remainder;
        }
        const auto due = pacer.DueTime(n);
        if (total_requests < 0 && due >= deadline) break;
        std::this_thread::sleep_until(due);
        const auto sent_at = std::chrono::steady_clock::now();
        if (total_requests < 0 && sent_at >= deadline) break;
        const SendOutcome outcome = sender.Send(*request);
        res.latency.Add(std::chrono::steady_clock::now() - sent_at);
        res.bytes_sent += static_cast<int64_t>(request->body.size());
        if (outcome.ok) {
          ++res.requests_ok;
          res.items_ok += request->items;
        } else {
          ++res.requests_failed;
          res.items_failed += request->items;
          ++res.errors[outcome.code];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto end = std::chrono::steady_clock::now();
  senders.clear();

  RunReport report;
  report.elapsed_seconds = std::chrono::duration<double>(end - start).count();
  report.target_rate = o.rate;
  LatencyStats all;
  for (const WorkerResult& r : results) {
    report.requests_ok += r.requests_ok;
    report.requests_failed += r.requests_failed;
    report.items_ok += r.items_ok;
    report.items_failed += r.items_failed;
    report.bytes_sent += r.bytes_sent;
    for (const auto& [code, n] : r.errors) report.errors[code] += n;
    all.Merge(r.latency);
  }
  report.latency = all.Summarize();
  return report;
}

std::string FormatText(const RunReport& r) {
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "sent %lld items in %lld requests (%lld failed requests, %lld items) in %.3fs\n"
                "rate %.0f items/s (target %s), %.2f MB/s on the wire\n"
                "latency p50 %.0fus p90 %.0fus p99 %.0fus max %.0fus\n",
                static_cast<long long>(r.items_ok), static_cast<long long>(r.requests_ok),
                static_cast<long long>(r.requests_failed), static_cast<long long>(r.items_failed),
                r.elapsed_seconds, r.ItemsPerSecond(),
                r.target_rate > 0 ? std::to_string(static_cast<int64_t>(r.target_rate)).c_str()
                                  : "as fast as possible",
                r.elapsed_seconds > 0 ? r.bytes_sent / r.elapsed_seconds / 1e6 : 0.0,
                r.latency.p50_us, r.latency.p90_us, r.latency.p99_us, r.latency.max_us);
  out += buf;
  for (const auto& [code, n] : r.errors) {
    out += "error " + code + ": " + std::to_string(n) + " requests\n";
  }
  return out;
}

std::string FormatJson(const RunReport& r) {
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "{\"items_ok\":%lld,\"items_failed\":%lld,\"requests_ok\":%lld,"
                "\"requests_failed\":%lld,\"bytes_sent\":%lld,\"elapsed_seconds\":%.6f,"
                "\"items_per_second\":%.1f,\"target_rate\":%.1f,"
                "\"latency_us\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f,"
                "\"mean\":%.1f},\"errors\":{",
                static_cast<long long>(r.items_ok), static_cast<long long>(r.items_failed),
                static_cast<long long>(r.requests_ok), static_cast<long long>(r.requests_failed),
                static_cast<long long>(r.bytes_sent), r.elapsed_seconds, r.ItemsPerSecond(),
                r.target_rate, r.latency.p50_us, r.latency.p90_us, r.latency.p99_us,
                r.latency.max_us, r.latency.mean_us);
  std::string out = buf;
  bool first = true;
  for (const auto& [code, n] : r.errors) {
    out += (first ? "\"" : ",\"") + JsonEscape(code) + "\":" + std::to_string(n);
    first = false;
  }
  out += "}}\n";
  return out;
}

}  // namespace otlpd::otlpgen
