// The debug exporter's text: what it writes for one batch at each verbosity, as functions that
// return the text so that the layout is testable without capturing logs. The layout follows the
// Collector's debug exporter (its "normal" and "detailed" output), so that its users read otlpd's
// output the same way.
//
//   std::string line = SummaryLine(request);   // "TracesExporter: 1 resource spans, 3 spans"
//   std::string body = FormatItems(request, Verbosity::kNormal);
//   // "ResourceTraces #0 service.name=checkout\nScopeTraces #0 io.otel@1.2\n"
//   // "GET /cart 0af7651916cd43dd8448eb211c80319c b7ad6b7169203331 http.method=GET\n"
#pragma once

#include <string>

#include "exporters/debug/config.h"
#include "pipeline/telemetry.h"

namespace otlpd::exporter::debug {

// One line counting what the batch holds (no trailing newline).
std::string SummaryLine(const TraceRequest& request);
std::string SummaryLine(const MetricsRequest& request);
std::string SummaryLine(const LogsRequest& request);

// The text after the summary: nothing at basic; at normal one line per resource and scope and
// one per span / data point / log record; at detailed every field. Every line ends with '\n'.
std::string FormatItems(const TraceRequest& request, Verbosity verbosity);
std::string FormatItems(const MetricsRequest& request, Verbosity verbosity);
std::string FormatItems(const LogsRequest& request, Verbosity verbosity);

// The two non-basic layouts, one per file (normal_text.cc, detailed_text.cc).
std::string NormalText(const TraceRequest& request);
std::string NormalText(const MetricsRequest& request);
std::string NormalText(const LogsRequest& request);
std::string DetailedText(const TraceRequest& request);
std::string DetailedText(const MetricsRequest& request);
std::string DetailedText(const LogsRequest& request);

}  // namespace otlpd::exporter::debug
