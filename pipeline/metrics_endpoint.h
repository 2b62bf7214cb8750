// MetricsEndpoint: the service's Prometheus self-metrics page (service::telemetry::metrics),
// GET /metrics on SimpleHttpServer. It serves SelfMetrics::RenderPrometheus() followed by the
// process metrics the Collector exports under the same names: otelcol_process_uptime_seconds_total,
// otelcol_process_cpu_seconds_total and otelcol_process_memory_rss_bytes.
//
//   MetricsEndpoint endpoint("localhost:8888", metrics);
//   if (Status s = endpoint.Start(); !s.ok()) return kExitStartError;  // names the address
//   ... run the service ...
//   endpoint.Stop();
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "pipeline/self_metrics.h"
#include "pipeline/simple_http_server.h"

namespace otlpd {

class MetricsEndpoint {
 public:
  // `metrics` outlives the endpoint. Uptime counts from `process_start`.
  MetricsEndpoint(std::string address, const SelfMetrics& metrics,
                  std::chrono::steady_clock::time_point process_start =
                      std::chrono::steady_clock::now());

  // Binds the address. INVALID_ARGUMENT or UNAVAILABLE naming the address.
  Status Start();
  // Closes the endpoint and joins its thread. Idempotent.
  void Stop();
  int port() const { return server_.port(); }

  // The page as served: self metrics, then process metrics.
  std::string Render() const;

 private:
  const SelfMetrics& metrics_;
  const std::chrono::steady_clock::time_point process_start_;
  SimpleHttpServer server_;
};

// The three process metric families in the Prometheus text format, as the Collector names them.
std::string RenderProcessMetrics(std::chrono::steady_clock::duration uptime);

}  // namespace otlpd
