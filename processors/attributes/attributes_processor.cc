#include "processors/attributes/attributes_processor.h"

namespace otlpd::processor::attributes {
namespace {

namespace metrics = opentelemetry::proto::metrics::v1;

template <class Points>
void ApplyToPoints(Points* points, const ActionList& actions, const ClientMetadata& metadata) {
  for (auto& p : *points) actions.Apply(p.mutable_attributes(), metadata);
}

}  // namespace

Status AttributesTracesProcessor::Consume(TracesBatch batch) {
  const ClientMetadata& metadata = batch.metadata();
  for (auto& rs : *batch.mutable_request().mutable_resource_spans()) {
    for (auto& ss : *rs.mutable_scope_spans()) {
      for (auto& span : *ss.mutable_spans()) {
        const bool selected = selection_.Selected([&](const MatchProperties& p) {
          return p.MatchesSpan(rs.resource(), ss.scope(), span);
        });
        if (selected) actions_.Apply(span.mutable_attributes(), metadata);
      }
    }
  }
  return next_.Consume(std::move(batch));
}

Status AttributesMetricsProcessor::Consume(MetricsBatch batch) {
  const ClientMetadata& metadata = batch.metadata();
  for (auto& rm : *batch.mutable_request().mutable_resource_metrics()) {
    for (auto& sm : *rm.mutable_scope_metrics()) {
      for (auto& m : *sm.mutable_metrics()) {
        const bool selected = selection_.Selected([&](const MatchProperties& p) {
          return p.MatchesMetric(rm.resource(), sm.scope(), m);
        });
        if (!selected) continue;
        switch (m.data_case()) {
          case metrics::Metric::kGauge:
            ApplyToPoints(m.mutable_gauge()->mutable_data_points(), actions_, metadata);
            break;
          case metrics::Metric::kSum:
            ApplyToPoints(m.mutable_sum()->mutable_data_points(), actions_, metadata);
            break;
          case metrics::Metric::kHistogram:
            ApplyToPoints(m.mutable_histogram()->mutable_data_points(), actions_, metadata);
            break;
          case metrics::Metric::kExponentialHistogram:
            ApplyToPoints(m.mutable_exponential_histogram()->mutable_data_points(), actions_,
                          metadata);
            break;
          case metrics::Metric::kSummary:
            ApplyToPoints(m.mutable_summary()->mutable_data_points(), actions_, metadata);
            break;
          default:
            break;
        }
      }
    }
  }
  return next_.Consume(std::move(batch));
}

Status AttributesLogsProcessor::Consume(LogsBatch batch) {
  const ClientMetadata& metadata = batch.metadata();
  for (auto& rl : *batch.mutable_request().mutable_resource_logs()) {
    for (auto& sl : *rl.mutable_scope_logs()) {
      for (auto& record : *sl.mutable_log_records()) {
        const bool selected = selection_.Selected([&](const MatchProperties& p) {
          return p.MatchesLog(rl.resource(), sl.scope(), record);
        });
        if (selected) actions_.Apply(record.mutable_attributes(), metadata);
      }
    }
  }
  return next_.Consume(std::move(batch));
}

}  // namespace otlpd::processor::attributes
