#include "pipeline/telemetry.h"

#include <atomic>

#include <spdlog/spdlog.h>

namespace otlpd {

void ReportUndecodableEncodedBatch(std::string_view type_name, size_t size) {
  static std::atomic<bool> reported{false};
  if (reported.exchange(true)) return;
  spdlog::error("internal error: a checked {} of {} bytes did not decode; it is dropped. Please "
                "report this with the sending client's name and version.", type_name, size);
}

int64_t CountItems(const TraceRequest& request) {
  int64_t n = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) n += ss.spans_size();
  }
  return n;
}

int64_t CountItems(const MetricsRequest& request) {
  using opentelemetry::proto::metrics::v1::Metric;
  int64_t n = 0;
  for (const auto& rm : request.resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) {
      for (const auto& m : sm.metrics()) {
        switch (m.data_case()) {
          case Metric::kGauge: n += m.gauge().data_points_size(); break;
          case Metric::kSum: n += m.sum().data_points_size(); break;
          case Metric::kHistogram: n += m.histogram().data_points_size(); break;
          case Metric::kExponentialHistogram:
            n += m.exponential_histogram().data_points_size();
            break;
          case Metric::kSummary: n += m.summary().data_points_size(); break;
          default: break;
        }
      }
    }
  }
  return n;
}

int64_t CountItems(const LogsRequest& request) {
  int64_t n = 0;
  for (const auto& rl : request.resource_logs()) {
    for (const auto& sl : rl.scope_logs()) n += sl.log_records_size();
  }
  return n;
}

}  // namespace otlpd
