// Verbosity "normal": one line per resource, per scope and per item, as the Collector's debug
// exporter writes them:
//
//   ResourceTraces #0 [schema] service.name=checkout
//   ScopeTraces #0 io.otel@1.2 [schema] scope.attr=x
//   <span name> <trace id> <span id> k=v k=v
//   <metric name>{k=v,k=v} <value>
//   <log body> k=v k=v
#include <cmath>

#include <fmt/format.h>

#include "exporters/debug/text_format.h"
#include "exporters/debug/value_text.h"

namespace otlpd::exporter::debug {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
using KeyValues = google::protobuf::RepeatedPtrField<common::KeyValue>;

// "k=v" pairs joined by `separator`, each preceded by `lead` when `lead` is set.
void AppendPairs(std::string& out, const KeyValues& attrs, char separator, bool lead) {
  bool first = true;
  for (const auto& kv : attrs) {
    if (lead || !first) out += separator;
    first = false;
    out += kv.key();
    out += '=';
    out += ValueAsString(kv.value());
  }
}

template <class ResourceX>
void ResourceLine(std::string& out, std::string_view label, int index, const ResourceX& r) {
  fmt::format_to(std::back_inserter(out), "{} #{}", label, index);
  if (!r.schema_url().empty()) fmt::format_to(std::back_inserter(out), " [{}]", r.schema_url());
  AppendPairs(out, r.resource().attributes(), ' ', true);
  out += '\n';
}

template <class ScopeX>
void ScopeLine(std::string& out, std::string_view label, int index, const ScopeX& s) {
  fmt::format_to(std::back_inserter(out), "{} #{}", label, index);
  if (!s.scope().name().empty()) out += " " + s.scope().name();
  if (!s.scope().version().empty()) out += "@" + s.scope().version();
  if (!s.schema_url().empty()) fmt::format_to(std::back_inserter(out), " [{}]", s.schema_url());
  AppendPairs(out, s.scope().attributes(), ' ', true);
  out += '\n';
}

// "name{k=v,k=v} " : the start of every data point line.
void PointPrefix(std::string& out, const metrics::Metric& m, const KeyValues& attrs) {
  out += m.name();
  out += '{';
  AppendPairs(out, attrs, ',', false);
  out += "} ";
}

template <class Point>
void MinMaxSum(std::string& out, const Point& p) {
  fmt::format_to(std::back_inserter(out), "count={}", p.count());
  if (p.has_sum()) out += " sum=" + FormatDouble(p.sum());
  if (p.has_min()) out += " min=" + FormatDouble(p.min());
  if (p.has_max()) out += " max=" + FormatDouble(p.max());
}

void AppendBuckets(std::string& out, std::string_view name,
                   const metrics::ExponentialHistogramDataPoint::Buckets& b) {
  if (b.bucket_counts_size() == 0) return;
  fmt::format_to(std::back_inserter(out), " {}(offset={})=[{}]", name, b.offset(),
                 fmt::join(b.bucket_counts(), ","));
}

void MetricLines(std::string& out, const metrics::Metric& m) {
  switch (m.data_case()) {
    case metrics::Metric::kGauge:
    case metrics::Metric::kSum: {
      const auto& points = m.has_gauge() ? m.gauge().data_points() : m.sum().data_points();
      for (const auto& p : points) {
        PointPrefix(out, m, p.attributes());
        if (p.value_case() == metrics::NumberDataPoint::kAsInt) {
          out += std::to_string(p.as_int());
        } else {
          out += FormatDouble(p.as_double());
        }
        out += '\n';
      }
      break;
    }
    case metrics::Metric::kHistogram:
      for (const auto& p : m.histogram().data_points()) {
        PointPrefix(out, m, p.attributes());
        MinMaxSum(out, p);
        // Bucket i counts values <= explicit_bounds[i]; the last one has no bound.
        for (int i = 0; i < p.bucket_counts_size(); ++i) {
          if (i < p.explicit_bounds_size()) {
            fmt::format_to(std::back_inserter(out), " le{}={}", FormatDouble(p.explicit_bounds(i)),
                           p.bucket_counts(i));
          } else {
            fmt::format_to(std::back_inserter(out), " {}", p.bucket_counts(i));
          }
        }
        out += '\n';
      }
      break;
    case metrics::Metric::kExponentialHistogram:
      for (const auto& p : m.exponential_histogram().data_points()) {
        PointPrefix(out, m, p.attributes());
        MinMaxSum(out, p);
        fmt::format_to(std::back_inserter(out), " scale={}", p.scale());
        if (p.zero_count() > 0) fmt::format_to(std::back_inserter(out), " zero_count={}", p.zero_count());
        AppendBuckets(out, "negative", p.negative());
        AppendBuckets(out, "positive", p.positive());
        out += '\n';
      }
      break;
    case metrics::Metric::kSummary:
      for (const auto& p : m.summary().data_points()) {
        PointPrefix(out, m, p.attributes());
        fmt::format_to(std::back_inserter(out), "count={} sum={}", p.count(), FormatDouble(p.sum()));
        for (const auto& q : p.quantile_values()) {
          fmt::format_to(std::back_inserter(out), " q{}={}", FormatDouble(q.quantile()),
                         FormatDouble(q.value()));
        }
        out += '\n';
      }
      break;
    case metrics::Metric::DATA_NOT_SET:
      break;
  }
}

}  // namespace

std::string NormalText(const TraceRequest& request) {
  std::string out;
  for (int i = 0; i < request.resource_spans_size(); ++i) {
    const auto& rs = request.resource_spans(i);
    ResourceLine(out, "ResourceTraces", i, rs);
    for (int j = 0; j < rs.scope_spans_size(); ++j) {
      const auto& ss = rs.scope_spans(j);
      ScopeLine(out, "ScopeTraces", j, ss);
      for (const auto& span : ss.spans()) {
        fmt::format_to(std::back_inserter(out), "{} {} {}", span.name(), HexId(span.trace_id()),
                       HexId(span.span_id()));
        AppendPairs(out, span.attributes(), ' ', true);
        out += '\n';
      }
    }
  }
  return out;
}

std::string NormalText(const MetricsRequest& request) {
  std::string out;
  for (int i = 0; i < request.resource_metrics_size(); ++i) {
    const auto& rm = request.resource_metrics(i);
    ResourceLine(out, "ResourceMetrics", i, rm);
    for (int j = 0; j < rm.scope_metrics_size(); ++j) {
      const auto& sm = rm.scope_metrics(j);
      ScopeLine(out, "ScopeMetrics", j, sm);
      for (const auto& m : sm.metrics()) MetricLines(out, m);
    }
  }
  return out;
}

std::string NormalText(const LogsRequest& request) {
  std::string out;
  for (int i = 0; i < request.resource_logs_size(); ++i) {
    const auto& rl = request.resource_logs(i);
    ResourceLine(out, "ResourceLog", i, rl);
    for (int j = 0; j < rl.scope_logs_size(); ++j) {
      const auto& sl = rl.scope_logs(j);
      ScopeLine(out, "ScopeLog", j, sl);
      for (const auto& record : sl.log_records()) {
        out += ValueAsString(record.body());
        AppendPairs(out, record.attributes(), ' ', true);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace otlpd::exporter::debug
