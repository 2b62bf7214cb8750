#include "processors/filter/filter_processor.h"

#include <optional>
#include <string>
#include <utility>

#include "pipeline/logging.h"
#include "processors/common/remove_if.h"

namespace otlpd::processor::filter {
namespace {

using ottl::EvalContext;
using ottl::Level;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;

int64_t PointCount(const metrics::Metric& m) {
  switch (m.data_case()) {
    case metrics::Metric::kGauge: return m.gauge().data_points_size();
    case metrics::Metric::kSum: return m.sum().data_points_size();
    case metrics::Metric::kHistogram: return m.histogram().data_points_size();
    case metrics::Metric::kExponentialHistogram: return m.exponential_histogram().data_points_size();
    case metrics::Metric::kSummary: return m.summary().data_points_size();
    default: return 0;
  }
}

int64_t PointCount(const metrics::ScopeMetrics& sm) {
  int64_t n = 0;
  for (const auto& m : sm.metrics()) n += PointCount(m);
  return n;
}

int64_t PointCount(const metrics::ResourceMetrics& rm) {
  int64_t n = 0;
  for (const auto& sm : rm.scope_metrics()) n += PointCount(sm);
  return n;
}

int64_t SpanCount(const trace::ResourceSpans& rs) {
  int64_t n = 0;
  for (const auto& ss : rs.scope_spans()) n += ss.spans_size();
  return n;
}

int64_t LogCount(const logs::ResourceLogs& rl) {
  int64_t n = 0;
  for (const auto& sl : rl.scope_logs()) n += sl.log_records_size();
  return n;
}

// Sets the one data point pointer of `ctx` that matches the point's type.
void SetPoint(EvalContext& ctx, const metrics::NumberDataPoint& p) {
  ctx.point = {};
  ctx.point.number = &p;
}
void SetPoint(EvalContext& ctx, const metrics::HistogramDataPoint& p) {
  ctx.point = {};
  ctx.point.histogram = &p;
}
void SetPoint(EvalContext& ctx, const metrics::ExponentialHistogramDataPoint& p) {
  ctx.point = {};
  ctx.point.exponential = &p;
}
void SetPoint(EvalContext& ctx, const metrics::SummaryDataPoint& p) {
  ctx.point = {};
  ctx.point.summary = &p;
}

// Drops the points of one metric that a datapoint condition selects; returns how many.
template <class Points>
int64_t FilterPoints(Points* points, const ConditionGroup& group, EvalContext& ctx,
                     ConditionErrors* errors) {
  return RemoveIf(points, [&](auto& point) {
    if (errors->propagate) return false;
    SetPoint(ctx, point);
    return group.Matches(ctx, errors);
  });
}

// Returns the number of points dropped; `*now_empty` tells whether the metric has none left.
int64_t FilterMetricPoints(metrics::Metric& m, const ConditionGroup& group, EvalContext& ctx,
                           ConditionErrors* errors, bool* now_empty) {
  int64_t dropped = 0;
  *now_empty = false;
  switch (m.data_case()) {
    case metrics::Metric::kGauge:
      dropped = FilterPoints(m.mutable_gauge()->mutable_data_points(), group, ctx, errors);
      *now_empty = m.gauge().data_points_size() == 0;
      break;
    case metrics::Metric::kSum:
      dropped = FilterPoints(m.mutable_sum()->mutable_data_points(), group, ctx, errors);
      *now_empty = m.sum().data_points_size() == 0;
      break;
    case metrics::Metric::kHistogram:
      dropped = FilterPoints(m.mutable_histogram()->mutable_data_points(), group, ctx, errors);
      *now_empty = m.histogram().data_points_size() == 0;
      break;
    case metrics::Metric::kExponentialHistogram:
      dropped = FilterPoints(m.mutable_exponential_histogram()->mutable_data_points(), group, ctx,
                             errors);
      *now_empty = m.exponential_histogram().data_points_size() == 0;
      break;
    case metrics::Metric::kSummary:
      dropped = FilterPoints(m.mutable_summary()->mutable_data_points(), group, ctx, errors);
      *now_empty = m.summary().data_points_size() == 0;
      break;
    default:
      break;  // a metric without data has no points to judge: it stays
  }
  return dropped;
}

}  // namespace

FilterCore::FilterCore(const CreateSettings& settings,
                       std::shared_ptr<const SignalConditions> conditions,
                       std::string_view counter_name, std::string_view counter_help)
    : conditions_(std::move(conditions)),
      logger_(settings.logger ? settings.logger
                              : GetLogger("processor/" + settings.id.ToString())),
      id_(settings.id.ToString()) {
  filtered_ = settings.metrics != nullptr
                  ? &settings.metrics->GetCounter(counter_name, {{"filter", id_}}, counter_help)
                  : &own_counter_;
}

Status FilterCore::Finish(const ConditionErrors& errors, int64_t filtered) {
  if (errors.propagate) {
    logger_->warn("refusing a request: a condition failed under error_mode propagate: {}",
                  errors.propagate_message);
    // The same data would fail the same way again: a permanent error, not a retryable one.
    return InvalidArgumentError(id_ + ": " + errors.propagate_message);
  }
  if (errors.ignored > 0) {
    logger_->warn("{} condition error(s) ignored in one request (error_mode ignore); first: {}",
                  errors.ignored, errors.first_ignored);
  }
  if (filtered > 0) filtered_->Add(filtered);
  return OkStatus();
}

FilterTracesProcessor::FilterTracesProcessor(const CreateSettings& settings,
                                             std::shared_ptr<const SignalConditions> conditions,
                                             TracesConsumer& next)
    : core_(settings, std::move(conditions), "otelcol_processor_filter_spans.filtered",
            "Number of spans dropped by the filter processor"),
      encoded_(core_.conditions()),
      next_(next) {}

Status FilterTracesProcessor::Consume(TracesBatch batch) {
  const SignalConditions* c = core_.conditions();
  if (c == nullptr) return next_.Consume(std::move(batch));
  if (batch.is_encoded() && encoded_.usable()) {
    if (std::optional<Status> s = core_.ConsumeEncoded(encoded_, batch, next_)) return *s;
  }
  const ConditionGroup& resource_group = c->group(Level::kResource);
  const ConditionGroup& scope_group = c->group(Level::kScope);
  const ConditionGroup& span_group = c->group(Level::kSpan);
  const ConditionGroup& event_group = c->group(Level::kSpanEvent);

  ConditionErrors errors;
  int64_t filtered = 0;
  EvalContext ctx;
  RemoveIf(batch.mutable_request().mutable_resource_spans(), [&](trace::ResourceSpans& rs) {
    if (errors.propagate) return false;
    ctx = {};
    ctx.resource = &rs.resource();
    if (!resource_group.empty() && resource_group.Matches(ctx, &errors)) {
      filtered += SpanCount(rs);
      return true;
    }
    RemoveIf(rs.mutable_scope_spans(), [&](trace::ScopeSpans& ss) {
      if (errors.propagate) return false;
      ctx.scope = &ss.scope();
      if (!scope_group.empty() && scope_group.Matches(ctx, &errors)) {
        filtered += ss.spans_size();
        return true;
      }
      RemoveIf(ss.mutable_spans(), [&](trace::Span& span) {
        if (errors.propagate) return false;
        ctx.span = &span;
        ctx.event = nullptr;
        if (!span_group.empty() && span_group.Matches(ctx, &errors)) {
          ++filtered;
          return true;
        }
        if (!event_group.empty()) {
          RemoveIf(span.mutable_events(), [&](trace::Span::Event& event) {
            if (errors.propagate) return false;
            ctx.event = &event;
            return event_group.Matches(ctx, &errors);
          });
        }
        return false;
      });
      return ss.spans_size() == 0;
    });
    return rs.scope_spans_size() == 0;
  });

  if (Status s = core_.Finish(errors, filtered); !s.ok()) return s;
  if (batch.request().resource_spans_size() == 0) return OkStatus();
  return next_.Consume(std::move(batch));
}

FilterMetricsProcessor::FilterMetricsProcessor(const CreateSettings& settings,
                                               std::shared_ptr<const SignalConditions> conditions,
                                               MetricsConsumer& next)
    : core_(settings, std::move(conditions), "otelcol_processor_filter_datapoints.filtered",
            "Number of metric data points dropped by the filter processor"),
      next_(next) {}

Status FilterMetricsProcessor::Consume(MetricsBatch batch) {
  const SignalConditions* c = core_.conditions();
  if (c == nullptr) return next_.Consume(std::move(batch));
  const ConditionGroup& resource_group = c->group(Level::kResource);
  const ConditionGroup& scope_group = c->group(Level::kScope);
  const ConditionGroup& metric_group = c->group(Level::kMetric);
  const ConditionGroup& point_group = c->group(Level::kDataPoint);

  ConditionErrors errors;
  int64_t filtered = 0;
  EvalContext ctx;
  RemoveIf(batch.mutable_request().mutable_resource_metrics(), [&](metrics::ResourceMetrics& rm) {
    if (errors.propagate) return false;
    ctx = {};
    ctx.resource = &rm.resource();
    if (!resource_group.empty() && resource_group.Matches(ctx, &errors)) {
      filtered += PointCount(rm);
      return true;
    }
    RemoveIf(rm.mutable_scope_metrics(), [&](metrics::ScopeMetrics& sm) {
      if (errors.propagate) return false;
      ctx.scope = &sm.scope();
      if (!scope_group.empty() && scope_group.Matches(ctx, &errors)) {
        filtered += PointCount(sm);
        return true;
      }
      RemoveIf(sm.mutable_metrics(), [&](metrics::Metric& m) {
        if (errors.propagate) return false;
        ctx.metric = &m;
        ctx.point = {};
        if (!metric_group.empty() && metric_group.Matches(ctx, &errors)) {
          filtered += PointCount(m);
          return true;
        }
        if (point_group.empty()) return false;
        bool now_empty = false;
        filtered += FilterMetricPoints(m, point_group, ctx, &errors, &now_empty);
        return now_empty && !errors.propagate;
      });
      return sm.metrics_size() == 0;
    });
    return rm.scope_metrics_size() == 0;
  });

  if (Status s = core_.Finish(errors, filtered); !s.ok()) return s;
  if (batch.request().resource_metrics_size() == 0) return OkStatus();
  return next_.Consume(std::move(batch));
}

FilterLogsProcessor::FilterLogsProcessor(const CreateSettings& settings,
                                         std::shared_ptr<const SignalConditions> conditions,
                                         LogsConsumer& next)
    : core_(settings, std::move(conditions), "otelcol_processor_filter_logs.filtered",
            "Number of log records dropped by the filter processor"),
      encoded_(core_.conditions()),
      next_(next) {}

Status FilterLogsProcessor::Consume(LogsBatch batch) {
  const SignalConditions* c = core_.conditions();
  if (c == nullptr) return next_.Consume(std::move(batch));
  if (batch.is_encoded() && encoded_.usable()) {
    if (std::optional<Status> s = core_.ConsumeEncoded(encoded_, batch, next_)) return *s;
  }
  const ConditionGroup& resource_group = c->group(Level::kResource);
  const ConditionGroup& scope_group = c->group(Level::kScope);
  const ConditionGroup& log_group = c->group(Level::kLog);

  ConditionErrors errors;
  int64_t filtered = 0;
  EvalContext ctx;
  RemoveIf(batch.mutable_request().mutable_resource_logs(), [&](logs::ResourceLogs& rl) {
    if (errors.propagate) return false;
    ctx = {};
    ctx.resource = &rl.resource();
    if (!resource_group.empty() && resource_group.Matches(ctx, &errors)) {
      filtered += LogCount(rl);
      return true;
    }
    RemoveIf(rl.mutable_scope_logs(), [&](logs::ScopeLogs& sl) {
      if (errors.propagate) return false;
      ctx.scope = &sl.scope();
      if (!scope_group.empty() && scope_group.Matches(ctx, &errors)) {
        filtered += sl.log_records_size();
        return true;
      }
      if (!log_group.empty()) {
        filtered += RemoveIf(sl.mutable_log_records(), [&](logs::LogRecord& record) {
          if (errors.propagate) return false;
          ctx.log = &record;
          return log_group.Matches(ctx, &errors);
        });
      }
      return sl.log_records_size() == 0;
    });
    return rl.scope_logs_size() == 0;
  });

  if (Status s = core_.Finish(errors, filtered); !s.ok()) return s;
  if (batch.request().resource_logs_size() == 0) return OkStatus();
  return next_.Consume(std::move(batch));
}

}  // namespace otlpd::processor::filter
