#include "exporters/debug/text_format.h"

#include <fmt/format.h>

namespace otlpd::exporter::debug {
namespace {

template <class Request>
std::string Items(const Request& request, Verbosity verbosity) {
  switch (verbosity) {
    case Verbosity::kBasic: return "";
    case Verbosity::kNormal: return NormalText(request);
    case Verbosity::kDetailed: return DetailedText(request);
  }
  return "";
}

}  // namespace

std::string SummaryLine(const TraceRequest& request) {
  return fmt::format("TracesExporter: {} resource spans, {} spans", request.resource_spans_size(),
                     CountItems(request));
}

std::string SummaryLine(const MetricsRequest& request) {
  int64_t metrics = 0;
  for (const auto& rm : request.resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) metrics += sm.metrics_size();
  }
  return fmt::format("MetricsExporter: {} resource metrics, {} metrics, {} data points",
                     request.resource_metrics_size(), metrics, CountItems(request));
}

std::string SummaryLine(const LogsRequest& request) {
  return fmt::format("LogsExporter: {} resource logs, {} log records",
                     request.resource_logs_size(), CountItems(request));
}

std::string FormatItems(const TraceRequest& r, Verbosity v) { return Items(r, v); }
std::string FormatItems(const MetricsRequest& r, Verbosity v) { return Items(r, v); }
std::string FormatItems(const LogsRequest& r, Verbosity v) { return Items(r, v); }

}  // namespace otlpd::exporter::debug
