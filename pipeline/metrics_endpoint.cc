#include "pipeline/metrics_endpoint.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <fstream>

#include "pipeline/logging.h"

namespace otlpd {
namespace {

// Prometheus text format, version 0.0.4 (what Prometheus and the Collector's endpoint speak).
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

double CpuSeconds() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Resident set size from /proc/self/statm (second field, in pages); 0 where there is no /proc.
double RssBytes() {
  std::ifstream statm("/proc/self/statm");
  long long size_pages = 0;
  long long resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return static_cast<double>(resident_pages) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

void Family(std::string& out, const char* name, const char* type, const char* help, double v) {
  out += std::string("# HELP ") + name + " " + help + "\n";
  out += std::string("# TYPE ") + name + " " + type + "\n";
  out += std::string(name) + " " + Number(v) + "\n";
}

}  // namespace

std::string RenderProcessMetrics(std::chrono::steady_clock::duration uptime) {
  std::string out;
  Family(out, "otelcol_process_cpu_seconds_total", "counter",
         "Total CPU user and system time in seconds", CpuSeconds());
  Family(out, "otelcol_process_memory_rss_bytes", "gauge",
         "Total physical memory (resident set size)", RssBytes());
  Family(out, "otelcol_process_uptime_seconds_total", "counter", "Uptime of the process",
         std::chrono::duration<double>(uptime).count());
  return out;
}

MetricsEndpoint::MetricsEndpoint(std::string address, const SelfMetrics& metrics,
                                 std::chrono::steady_clock::time_point process_start)
    : metrics_(metrics),
      process_start_(process_start),
      server_({.endpoint = std::move(address), .logger = GetLogger("service/telemetry")},
              {{"/metrics", [this] { return HttpResponse{200, kContentType, Render()}; }}}) {}

Status MetricsEndpoint::Start() { return server_.Start(); }

void MetricsEndpoint::Stop() { server_.Stop(); }

std::string MetricsEndpoint::Render() const {
  return metrics_.RenderPrometheus() +
         RenderProcessMetrics(std::chrono::steady_clock::now() - process_start_);
}

}  // namespace otlpd
