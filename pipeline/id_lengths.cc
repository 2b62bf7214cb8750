#include "pipeline/id_lengths.h"

#include <string>
#include <string_view>

namespace otlpd {
namespace {

namespace metrics = opentelemetry::proto::metrics::v1;

constexpr size_t kTraceIdBytes = 16;
constexpr size_t kSpanIdBytes = 8;

// Remembers the first ID of the wrong length; later ones are not looked at.
class IdChecker {
 public:
  void Check(const std::string& id, size_t want, std::string_view field) {
    if (!error_.empty() || id.empty() || id.size() == want) return;
    error_ = "invalid " + std::string(field) + ": want " + std::to_string(want) +
             " bytes or none, got " + std::to_string(id.size());
  }
  void TraceId(const std::string& id, std::string_view field) { Check(id, kTraceIdBytes, field); }
  void SpanId(const std::string& id, std::string_view field) { Check(id, kSpanIdBytes, field); }

  template <class Point>
  void Exemplars(const Point& point) {
    for (const metrics::Exemplar& e : point.exemplars()) {
      TraceId(e.trace_id(), "exemplar trace_id");
      SpanId(e.span_id(), "exemplar span_id");
    }
  }

  Status Result() const { return error_.empty() ? OkStatus() : InvalidArgumentError(error_); }

 private:
  std::string error_;
};

}  // namespace

Status CheckIdLengths(const TraceRequest& request) {
  IdChecker ids;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& span : ss.spans()) {
        ids.TraceId(span.trace_id(), "span trace_id");
        ids.SpanId(span.span_id(), "span span_id");
        ids.SpanId(span.parent_span_id(), "span parent_span_id");
        for (const auto& link : span.links()) {
          ids.TraceId(link.trace_id(), "link trace_id");
          ids.SpanId(link.span_id(), "link span_id");
        }
      }
    }
  }
  return ids.Result();
}

Status CheckIdLengths(const MetricsRequest& request) {
  IdChecker ids;
  for (const auto& rm : request.resource_metrics()) {
    for (const auto& sm : rm.scope_metrics()) {
      for (const metrics::Metric& m : sm.metrics()) {
        switch (m.data_case()) {
          case metrics::Metric::kGauge:
            for (const auto& p : m.gauge().data_points()) ids.Exemplars(p);
            break;
          case metrics::Metric::kSum:
            for (const auto& p : m.sum().data_points()) ids.Exemplars(p);
            break;
          case metrics::Metric::kHistogram:
            for (const auto& p : m.histogram().data_points()) ids.Exemplars(p);
            break;
          case metrics::Metric::kExponentialHistogram:
            for (const auto& p : m.exponential_histogram().data_points()) ids.Exemplars(p);
            break;
          default:  // summaries have no exemplars; a metric without data has nothing to check
            break;
        }
      }
    }
  }
  return ids.Result();
}

Status CheckIdLengths(const LogsRequest& request) {
  IdChecker ids;
  for (const auto& rl : request.resource_logs()) {
    for (const auto& sl : rl.scope_logs()) {
      for (const auto& log : sl.log_records()) {
        ids.TraceId(log.trace_id(), "log record trace_id");
        ids.SpanId(log.span_id(), "log record span_id");
      }
    }
  }
  return ids.Result();
}

}  // namespace otlpd
