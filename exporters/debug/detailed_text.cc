// Verbosity "detailed": every field of every item, in the layout of the Collector's debug
// exporter (its otlptext marshalers), e.g.
//
//   ResourceSpans #0
//   Resource SchemaURL: https://opentelemetry.io/schemas/1.21.0
//   Resource attributes:
//        -> service.name: Str(checkout)
//   ScopeSpans #0
//   ScopeSpans SchemaURL:
//   InstrumentationScope io.otel 1.2
//   Span #0
//       Trace ID       : 0af7651916cd43dd8448eb211c80319c
//       ...
#include <cmath>

#include <fmt/format.h>

#include "exporters/debug/text_format.h"
#include "exporters/debug/value_text.h"

namespace otlpd::exporter::debug {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace logs = opentelemetry::proto::logs::v1;
using KeyValues = google::protobuf::RepeatedPtrField<common::KeyValue>;

class Text {
 public:
  template <class... Args>
  void Line(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
    out_ += '\n';
  }
  // "    Name           : value": the aligned fields of a span.
  void Field(std::string_view name, std::string_view value) {
    Line("    {:<15}: {}", name, value);
  }
  // "<indent><header>:" and one "<indent>     -> key: Type(value)" line per attribute; nothing
  // when there are none.
  void Attributes(std::string_view indent, std::string_view header, const KeyValues& attrs) {
    if (attrs.empty()) return;
    Line("{}{}:", indent, header);
    for (const auto& kv : attrs) Line("{}     -> {}: {}", indent, kv.key(), TypedValue(kv.value()));
  }
  template <class ResourceX>
  void Resource(std::string_view label, int index, const ResourceX& r) {
    Line("{} #{}", label, index);
    Line("Resource SchemaURL: {}", r.schema_url());
    Attributes("", "Resource attributes", r.resource().attributes());
    if (r.resource().dropped_attributes_count() > 0) {
      Line("Resource DroppedAttributesCount: {}", r.resource().dropped_attributes_count());
    }
  }
  template <class ScopeX>
  void Scope(std::string_view label, int index, const ScopeX& s) {
    Line("{} #{}", label, index);
    Line("{} SchemaURL: {}", label, s.schema_url());
    Line("InstrumentationScope {} {}", s.scope().name(), s.scope().version());
    Attributes("", "InstrumentationScope attributes", s.scope().attributes());
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// ---- traces ----

void Span(Text& t, int index, const trace::Span& span) {
  t.Line("Span #{}", index);
  t.Field("Trace ID", HexId(span.trace_id()));
  t.Field("Parent ID", HexId(span.parent_span_id()));
  t.Field("ID", HexId(span.span_id()));
  t.Field("Name", span.name());
  t.Field("Kind", SpanKindName(span.kind()));
  if (!span.trace_state().empty()) t.Field("TraceState", span.trace_state());
  if (span.flags() != 0) t.Field("Flags", fmt::format("0x{:08x}", span.flags()));
  t.Field("Start time", FormatTimestamp(span.start_time_unix_nano()));
  t.Field("End time", FormatTimestamp(span.end_time_unix_nano()));
  t.Field("Status code", StatusCodeName(span.status().code()));
  t.Field("Status message", span.status().message());
  t.Line("    DroppedAttributesCount: {}", span.dropped_attributes_count());
  t.Attributes("", "Attributes", span.attributes());
  if (span.events_size() > 0) {
    t.Line("Events:");
    for (int i = 0; i < span.events_size(); ++i) {
      const auto& e = span.events(i);
      t.Line("SpanEvent #{}", i);
      t.Line("     -> Name: {}", e.name());
      t.Line("     -> Timestamp: {}", FormatTimestamp(e.time_unix_nano()));
      t.Line("     -> DroppedAttributesCount: {}", e.dropped_attributes_count());
      t.Attributes("     ", "-> Attributes", e.attributes());
    }
  }
  t.Line("    DroppedEventsCount: {}", span.dropped_events_count());
  if (span.links_size() > 0) {
    t.Line("Links:");
    for (int i = 0; i < span.links_size(); ++i) {
      const auto& l = span.links(i);
      t.Line("SpanLink #{}", i);
      t.Line("     -> Trace ID: {}", HexId(l.trace_id()));
      t.Line("     -> ID: {}", HexId(l.span_id()));
      t.Line("     -> TraceState: {}", l.trace_state());
      if (l.flags() != 0) t.Line("     -> Flags: 0x{:08x}", l.flags());
      t.Line("     -> DroppedAttributesCount: {}", l.dropped_attributes_count());
      t.Attributes("     ", "-> Attributes", l.attributes());
    }
  }
  t.Line("    DroppedLinksCount: {}", span.dropped_links_count());
}

// ---- metrics ----

std::string MetricTypeName(const metrics::Metric& m) {
  switch (m.data_case()) {
    case metrics::Metric::kGauge: return "Gauge";
    case metrics::Metric::kSum: return "Sum";
    case metrics::Metric::kHistogram: return "Histogram";
    case metrics::Metric::kExponentialHistogram: return "ExponentialHistogram";
    case metrics::Metric::kSummary: return "Summary";
    case metrics::Metric::DATA_NOT_SET: return "Empty";
  }
  return "Empty";
}

// Shared by every point type: attributes, timestamps, and (where present) flags.
template <class Point>
void PointHeader(Text& t, std::string_view label, int index, const Point& p) {
  t.Line("{} #{}", label, index);
  t.Attributes("", "Data point attributes", p.attributes());
  t.Line("StartTimestamp: {}", FormatTimestamp(p.start_time_unix_nano()));
  t.Line("Timestamp: {}", FormatTimestamp(p.time_unix_nano()));
}

template <class Point>
void PointFlags(Text& t, const Point& p) {
  if (p.flags() != 0) t.Line("Flags: {}", p.flags());
}

template <class Point>
void SumMinMax(Text& t, const Point& p) {
  t.Line("Count: {}", p.count());
  if (p.has_sum()) t.Line("Sum: {:f}", p.sum());
  if (p.has_min()) t.Line("Min: {:f}", p.min());
  if (p.has_max()) t.Line("Max: {:f}", p.max());
}

void Exemplars(Text& t, const google::protobuf::RepeatedPtrField<metrics::Exemplar>& exemplars) {
  if (exemplars.empty()) return;
  t.Line("Exemplars:");
  for (int i = 0; i < exemplars.size(); ++i) {
    const auto& e = exemplars[i];
    t.Line("Exemplar #{}", i);
    t.Line("     -> Trace ID: {}", HexId(e.trace_id()));
    t.Line("     -> Span ID: {}", HexId(e.span_id()));
    t.Line("     -> Timestamp: {}", FormatTimestamp(e.time_unix_nano()));
    if (e.value_case() == metrics::Exemplar::kAsInt) {
      t.Line("     -> Value: {}", e.as_int());
    } else {
      t.Line("     -> Value: {:f}", e.as_double());
    }
    t.Attributes("     ", "-> FilteredAttributes", e.filtered_attributes());
  }
}

void NumberPoints(Text& t, const google::protobuf::RepeatedPtrField<metrics::NumberDataPoint>& ps) {
  for (int i = 0; i < ps.size(); ++i) {
    const auto& p = ps[i];
    PointHeader(t, "NumberDataPoints", i, p);
    if (p.value_case() == metrics::NumberDataPoint::kAsInt) {
      t.Line("Value: {}", p.as_int());
    } else {
      t.Line("Value: {:f}", p.as_double());
    }
    PointFlags(t, p);
    Exemplars(t, p.exemplars());
  }
}

void HistogramPoints(Text& t, const metrics::Histogram& h) {
  for (int i = 0; i < h.data_points_size(); ++i) {
    const auto& p = h.data_points(i);
    PointHeader(t, "HistogramDataPoints", i, p);
    SumMinMax(t, p);
    for (int b = 0; b < p.explicit_bounds_size(); ++b) {
      t.Line("ExplicitBounds #{}: {:f}", b, p.explicit_bounds(b));
    }
    for (int b = 0; b < p.bucket_counts_size(); ++b) {
      t.Line("Buckets #{}, Count: {}", b, p.bucket_counts(b));
    }
    PointFlags(t, p);
    Exemplars(t, p.exemplars());
  }
}

void ExponentialHistogramPoints(Text& t, const metrics::ExponentialHistogram& h) {
  for (int i = 0; i < h.data_points_size(); ++i) {
    const auto& p = h.data_points(i);
    PointHeader(t, "ExponentialHistogramDataPoints", i, p);
    SumMinMax(t, p);
    t.Line("Scale: {}", p.scale());
    if (p.zero_threshold() != 0) t.Line("ZeroThreshold: {:f}", p.zero_threshold());
    // Bucket index k covers (base^k, base^(k+1)] with base = 2^(2^-scale); negative buckets
    // mirror that below zero, listed from the most negative up.
    const double factor = std::ldexp(std::log(2.0), -p.scale());
    const auto& neg = p.negative();
    for (int k = neg.bucket_counts_size() - 1; k >= 0; --k) {
      const double index = static_cast<double>(neg.offset()) + k;
      t.Line("Bucket [{:f}, {:f}), Count: {}", -std::exp((index + 1) * factor),
             -std::exp(index * factor), neg.bucket_counts(k));
    }
    if (p.zero_count() != 0) t.Line("Bucket [0, 0], Count: {}", p.zero_count());
    const auto& pos = p.positive();
    for (int k = 0; k < pos.bucket_counts_size(); ++k) {
      const double index = static_cast<double>(pos.offset()) + k;
      t.Line("Bucket ({:f}, {:f}], Count: {}", std::exp(index * factor),
             std::exp((index + 1) * factor), pos.bucket_counts(k));
    }
    PointFlags(t, p);
    Exemplars(t, p.exemplars());
  }
}

void SummaryPoints(Text& t, const metrics::Summary& s) {
  for (int i = 0; i < s.data_points_size(); ++i) {
    const auto& p = s.data_points(i);
    PointHeader(t, "SummaryDataPoints", i, p);
    t.Line("Count: {}", p.count());
    t.Line("Sum: {:f}", p.sum());
    for (int q = 0; q < p.quantile_values_size(); ++q) {
      t.Line("QuantileValue #{}: Quantile {:f}, Value {:f}", q, p.quantile_values(q).quantile(),
             p.quantile_values(q).value());
    }
    PointFlags(t, p);
  }
}

void Metric(Text& t, int index, const metrics::Metric& m) {
  t.Line("Metric #{}", index);
  t.Line("Descriptor:");
  t.Line("     -> Name: {}", m.name());
  t.Line("     -> Description: {}", m.description());
  t.Line("     -> Unit: {}", m.unit());
  t.Line("     -> DataType: {}", MetricTypeName(m));
  t.Attributes("     ", "-> Metadata", m.metadata());
  switch (m.data_case()) {
    case metrics::Metric::kGauge: NumberPoints(t, m.gauge().data_points()); break;
    case metrics::Metric::kSum:
      t.Line("     -> IsMonotonic: {}", m.sum().is_monotonic());
      t.Line("     -> AggregationTemporality: {}",
             TemporalityName(m.sum().aggregation_temporality()));
      NumberPoints(t, m.sum().data_points());
      break;
    case metrics::Metric::kHistogram:
      t.Line("     -> AggregationTemporality: {}",
             TemporalityName(m.histogram().aggregation_temporality()));
      HistogramPoints(t, m.histogram());
      break;
    case metrics::Metric::kExponentialHistogram:
      t.Line("     -> AggregationTemporality: {}",
             TemporalityName(m.exponential_histogram().aggregation_temporality()));
      ExponentialHistogramPoints(t, m.exponential_histogram());
      break;
    case metrics::Metric::kSummary: SummaryPoints(t, m.summary()); break;
    case metrics::Metric::DATA_NOT_SET: break;
  }
}

// ---- logs ----

void LogRecord(Text& t, int index, const logs::LogRecord& r) {
  t.Line("LogRecord #{}", index);
  t.Line("ObservedTimestamp: {}", FormatTimestamp(r.observed_time_unix_nano()));
  t.Line("Timestamp: {}", FormatTimestamp(r.time_unix_nano()));
  t.Line("SeverityText: {}", r.severity_text());
  t.Line("SeverityNumber: {}({})", SeverityName(r.severity_number()),
         static_cast<int>(r.severity_number()));
  if (!r.event_name().empty()) t.Line("EventName: {}", r.event_name());
  t.Line("Body: {}", TypedValue(r.body()));
  t.Attributes("", "Attributes", r.attributes());
  if (r.dropped_attributes_count() > 0) {
    t.Line("DroppedAttributesCount: {}", r.dropped_attributes_count());
  }
  t.Line("Trace ID: {}", HexId(r.trace_id()));
  t.Line("Span ID: {}", HexId(r.span_id()));
  t.Line("Flags: {}", r.flags());
}

}  // namespace

std::string DetailedText(const TraceRequest& request) {
  Text t;
  for (int i = 0; i < request.resource_spans_size(); ++i) {
    const auto& rs = request.resource_spans(i);
    t.Resource("ResourceSpans", i, rs);
    for (int j = 0; j < rs.scope_spans_size(); ++j) {
      const auto& ss = rs.scope_spans(j);
      t.Scope("ScopeSpans", j, ss);
      for (int k = 0; k < ss.spans_size(); ++k) Span(t, k, ss.spans(k));
    }
  }
  return t.Take();
}

std::string DetailedText(const MetricsRequest& request) {
  Text t;
  for (int i = 0; i < request.resource_metrics_size(); ++i) {
    const auto& rm = request.resource_metrics(i);
    t.Resource("ResourceMetrics", i, rm);
    for (int j = 0; j < rm.scope_metrics_size(); ++j) {
      const auto& sm = rm.scope_metrics(j);
      t.Scope("ScopeMetrics", j, sm);
      for (int k = 0; k < sm.metrics_size(); ++k) Metric(t, k, sm.metrics(k));
    }
  }
  return t.Take();
}

std::string DetailedText(const LogsRequest& request) {
  Text t;
  for (int i = 0; i < request.resource_logs_size(); ++i) {
    const auto& rl = request.resource_logs(i);
    t.Resource("ResourceLog", i, rl);
    for (int j = 0; j < rl.scope_logs_size(); ++j) {
      const auto& sl = rl.scope_logs(j);
      t.Scope("ScopeLogs", j, sl);
      for (int k = 0; k < sl.log_records_size(); ++k) LogRecord(t, k, sl.log_records(k));
    }
  }
  return t.Take();
}

}  // namespace otlpd::exporter::debug
