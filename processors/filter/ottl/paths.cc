#include "processors/filter/ottl/paths.h"

#include <array>
#include <utility>

namespace otlpd::processor::filter::ottl {
namespace {

using opentelemetry::proto::metrics::v1::Metric;

struct FieldEntry {
  std::string_view name;
  Field field;
};

// The fields of each context, named as OTTL names them.
const std::vector<FieldEntry>& FieldTable(Level level) {
  static const std::vector<FieldEntry> kResource = {
      {"attributes", Field::kAttributes},
      {"dropped_attributes_count", Field::kDroppedAttributesCount},
  };
  static const std::vector<FieldEntry> kScope = {
      {"name", Field::kName},
      {"version", Field::kVersion},
      {"attributes", Field::kAttributes},
      {"dropped_attributes_count", Field::kDroppedAttributesCount},
  };
  static const std::vector<FieldEntry> kSpan = {
      {"name", Field::kName},
      {"kind", Field::kKind},
      {"kind.string", Field::kKindString},
      {"status.code", Field::kStatusCode},
      {"status.message", Field::kStatusMessage},
      {"attributes", Field::kAttributes},
      {"trace_id", Field::kTraceId},
      {"trace_id.string", Field::kTraceIdString},
      {"span_id", Field::kSpanId},
      {"span_id.string", Field::kSpanIdString},
      {"parent_span_id", Field::kParentSpanId},
      {"parent_span_id.string", Field::kParentSpanIdString},
      {"trace_state", Field::kTraceState},
      {"start_time_unix_nano", Field::kStartTimeUnixNano},
      {"end_time_unix_nano", Field::kEndTimeUnixNano},
      {"flags", Field::kFlags},
      {"dropped_attributes_count", Field::kDroppedAttributesCount},
      {"dropped_events_count", Field::kDroppedEventsCount},
      {"dropped_links_count", Field::kDroppedLinksCount},
  };
  static const std::vector<FieldEntry> kSpanEvent = {
      {"name", Field::kName},
      {"attributes", Field::kAttributes},
      {"time_unix_nano", Field::kTimeUnixNano},
      {"dropped_attributes_count", Field::kDroppedAttributesCount},
  };
  static const std::vector<FieldEntry> kMetric = {
      {"name", Field::kName},
      {"description", Field::kDescription},
      {"unit", Field::kUnit},
      {"type", Field::kType},
      {"aggregation_temporality", Field::kAggregationTemporality},
      {"is_monotonic", Field::kIsMonotonic},
  };
  static const std::vector<FieldEntry> kDataPoint = {
      {"attributes", Field::kAttributes},
      {"value_int", Field::kValueInt},
      {"value_double", Field::kValueDouble},
      {"start_time_unix_nano", Field::kStartTimeUnixNano},
      {"time_unix_nano", Field::kTimeUnixNano},
      {"flags", Field::kFlags},
      {"count", Field::kCount},
      {"sum", Field::kSum},
  };
  static const std::vector<FieldEntry> kLog = {
      {"body", Field::kBody},
      {"body.string", Field::kBodyString},
      {"severity_number", Field::kSeverityNumber},
      {"severity_text", Field::kSeverityText},
      {"attributes", Field::kAttributes},
      {"time_unix_nano", Field::kTimeUnixNano},
      {"observed_time_unix_nano", Field::kObservedTimeUnixNano},
      {"trace_id", Field::kTraceId},
      {"trace_id.string", Field::kTraceIdString},
      {"span_id", Field::kSpanId},
      {"span_id.string", Field::kSpanIdString},
      {"flags", Field::kFlags},
      {"event_name", Field::kEventName},
      {"dropped_attributes_count", Field::kDroppedAttributesCount},
  };
  switch (level) {
    case Level::kResource: return kResource;
    case Level::kScope: return kScope;
    case Level::kSpan: return kSpan;
    case Level::kSpanEvent: return kSpanEvent;
    case Level::kMetric: return kMetric;
    case Level::kDataPoint: return kDataPoint;
    case Level::kLog: return kLog;
  }
  return kResource;
}

// Unsigned wire fields (fixed64 times, counts) are read as OTTL's int64, as pdata does.
Value U64(uint64_t v) { return Value::Int(static_cast<int64_t>(v)); }

std::string_view SpanKindName(int kind) {
  // ptrace.SpanKind.String(), which OTTL's kind.string returns.
  switch (kind) {
    case 1: return "Internal";
    case 2: return "Server";
    case 3: return "Client";
    case 4: return "Producer";
    case 5: return "Consumer";
    default: return "Unspecified";
  }
}

Value ReadAttributes(const AttributeList& attrs) { return Value::Map(attrs); }

Value ReadResource(Field field, const EvalContext& ctx) {
  if (ctx.resource == nullptr) return Value();
  const auto& r = *ctx.resource;
  switch (field) {
    case Field::kAttributes: return ReadAttributes(r.attributes());
    case Field::kDroppedAttributesCount: return Value::Int(r.dropped_attributes_count());
    default: return Value();
  }
}

Value ReadScope(Field field, const EvalContext& ctx) {
  if (ctx.scope == nullptr) return Value();
  const auto& s = *ctx.scope;
  switch (field) {
    case Field::kName: return Value::String(s.name());
    case Field::kVersion: return Value::String(s.version());
    case Field::kAttributes: return ReadAttributes(s.attributes());
    case Field::kDroppedAttributesCount: return Value::Int(s.dropped_attributes_count());
    default: return Value();
  }
}

Value ReadSpan(Field field, const EvalContext& ctx) {
  if (ctx.span == nullptr) return Value();
  const auto& s = *ctx.span;
  switch (field) {
    case Field::kName: return Value::String(s.name());
    case Field::kKind: return Value::Int(s.kind());
    case Field::kKindString: return Value::String(SpanKindName(s.kind()));
    case Field::kStatusCode: return Value::Int(s.status().code());
    case Field::kStatusMessage: return Value::String(s.status().message());
    case Field::kAttributes: return ReadAttributes(s.attributes());
    case Field::kTraceId: return Value::Bytes(s.trace_id());
    case Field::kTraceIdString: return Value::OwnedString(HexEncode(s.trace_id()));
    case Field::kSpanId: return Value::Bytes(s.span_id());
    case Field::kSpanIdString: return Value::OwnedString(HexEncode(s.span_id()));
    case Field::kParentSpanId: return Value::Bytes(s.parent_span_id());
    case Field::kParentSpanIdString: return Value::OwnedString(HexEncode(s.parent_span_id()));
    case Field::kTraceState: return Value::String(s.trace_state());
    case Field::kStartTimeUnixNano: return U64(s.start_time_unix_nano());
    case Field::kEndTimeUnixNano: return U64(s.end_time_unix_nano());
    case Field::kFlags: return Value::Int(s.flags());
    case Field::kDroppedAttributesCount: return Value::Int(s.dropped_attributes_count());
    case Field::kDroppedEventsCount: return Value::Int(s.dropped_events_count());
    case Field::kDroppedLinksCount: return Value::Int(s.dropped_links_count());
    default: return Value();
  }
}

Value ReadSpanEvent(Field field, const EvalContext& ctx) {
  if (ctx.event == nullptr) return Value();
  const auto& e = *ctx.event;
  switch (field) {
    case Field::kName: return Value::String(e.name());
    case Field::kAttributes: return ReadAttributes(e.attributes());
    case Field::kTimeUnixNano: return U64(e.time_unix_nano());
    case Field::kDroppedAttributesCount: return Value::Int(e.dropped_attributes_count());
    default: return Value();
  }
}

Value ReadMetric(Field field, const EvalContext& ctx) {
  if (ctx.metric == nullptr) return Value();
  const auto& m = *ctx.metric;
  switch (field) {
    case Field::kName: return Value::String(m.name());
    case Field::kDescription: return Value::String(m.description());
    case Field::kUnit: return Value::String(m.unit());
    case Field::kType:
      // METRIC_DATA_TYPE_NONE/GAUGE/SUM/HISTOGRAM/EXPONENTIAL_HISTOGRAM/SUMMARY = 0..5.
      switch (m.data_case()) {
        case Metric::kGauge: return Value::Int(1);
        case Metric::kSum: return Value::Int(2);
        case Metric::kHistogram: return Value::Int(3);
        case Metric::kExponentialHistogram: return Value::Int(4);
        case Metric::kSummary: return Value::Int(5);
        default: return Value::Int(0);
      }
    case Field::kAggregationTemporality:
      switch (m.data_case()) {
        case Metric::kSum: return Value::Int(m.sum().aggregation_temporality());
        case Metric::kHistogram: return Value::Int(m.histogram().aggregation_temporality());
        case Metric::kExponentialHistogram:
          return Value::Int(m.exponential_histogram().aggregation_temporality());
        default: return Value::Int(0);
      }
    case Field::kIsMonotonic:
      return Value::Bool(m.data_case() == Metric::kSum && m.sum().is_monotonic());
    default: return Value();
  }
}

template <class Point>
Value ReadCommonPoint(Field field, const Point& p) {
  switch (field) {
    case Field::kAttributes: return ReadAttributes(p.attributes());
    case Field::kStartTimeUnixNano: return U64(p.start_time_unix_nano());
    case Field::kTimeUnixNano: return U64(p.time_unix_nano());
    case Field::kFlags: return Value::Int(p.flags());
    default: return Value();
  }
}

Value ReadDataPoint(Field field, const EvalContext& ctx) {
  const DataPointRef& dp = ctx.point;
  if (dp.number != nullptr) {
    using NDP = opentelemetry::proto::metrics::v1::NumberDataPoint;
    // pdata's IntValue()/DoubleValue() read 0 when the point holds the other type.
    if (field == Field::kValueInt) {
      return Value::Int(dp.number->value_case() == NDP::kAsInt ? dp.number->as_int() : 0);
    }
    if (field == Field::kValueDouble) {
      return Value::Double(dp.number->value_case() == NDP::kAsDouble ? dp.number->as_double() : 0);
    }
    return ReadCommonPoint(field, *dp.number);
  }
  if (dp.histogram != nullptr) {
    if (field == Field::kCount) return U64(dp.histogram->count());
    if (field == Field::kSum) return Value::Double(dp.histogram->sum());
    return ReadCommonPoint(field, *dp.histogram);
  }
  if (dp.exponential != nullptr) {
    if (field == Field::kCount) return U64(dp.exponential->count());
    if (field == Field::kSum) return Value::Double(dp.exponential->sum());
    return ReadCommonPoint(field, *dp.exponential);
  }
  if (dp.summary != nullptr) {
    if (field == Field::kCount) return U64(dp.summary->count());
    if (field == Field::kSum) return Value::Double(dp.summary->sum());
    return ReadCommonPoint(field, *dp.summary);
  }
  return Value();
}

Value ReadLog(Field field, const EvalContext& ctx) {
  if (ctx.log == nullptr) return Value();
  const auto& l = *ctx.log;
  switch (field) {
    case Field::kBody: return l.has_body() ? Value::FromAny(l.body()) : Value();
    case Field::kBodyString:
      return Value::OwnedString(l.has_body() ? AnyValueAsString(l.body()) : std::string());
    case Field::kSeverityNumber: return Value::Int(l.severity_number());
    case Field::kSeverityText: return Value::String(l.severity_text());
    case Field::kAttributes: return ReadAttributes(l.attributes());
    case Field::kTimeUnixNano: return U64(l.time_unix_nano());
    case Field::kObservedTimeUnixNano: return U64(l.observed_time_unix_nano());
    case Field::kTraceId: return Value::Bytes(l.trace_id());
    case Field::kTraceIdString: return Value::OwnedString(HexEncode(l.trace_id()));
    case Field::kSpanId: return Value::Bytes(l.span_id());
    case Field::kSpanIdString: return Value::OwnedString(HexEncode(l.span_id()));
    case Field::kFlags: return Value::Int(l.flags());
    case Field::kEventName: return Value::String(l.event_name());
    case Field::kDroppedAttributesCount: return Value::Int(l.dropped_attributes_count());
    default: return Value();
  }
}

const std::vector<std::pair<std::string_view, int64_t>>& EnumTable() {
  static const std::vector<std::pair<std::string_view, int64_t>> kTable = {
      {"SPAN_KIND_UNSPECIFIED", 0},
      {"SPAN_KIND_INTERNAL", 1},
      {"SPAN_KIND_SERVER", 2},
      {"SPAN_KIND_CLIENT", 3},
      {"SPAN_KIND_PRODUCER", 4},
      {"SPAN_KIND_CONSUMER", 5},
      {"STATUS_CODE_UNSET", 0},
      {"STATUS_CODE_OK", 1},
      {"STATUS_CODE_ERROR", 2},
      {"SEVERITY_NUMBER_UNSPECIFIED", 0},
      {"SEVERITY_NUMBER_TRACE", 1},
      {"SEVERITY_NUMBER_TRACE2", 2},
      {"SEVERITY_NUMBER_TRACE3", 3},
      {"SEVERITY_NUMBER_TRACE4", 4},
      {"SEVERITY_NUMBER_DEBUG", 5},
      {"SEVERITY_NUMBER_DEBUG2", 6},
      {"SEVERITY_NUMBER_DEBUG3", 7},
      {"SEVERITY_NUMBER_DEBUG4", 8},
      {"SEVERITY_NUMBER_INFO", 9},
      {"SEVERITY_NUMBER_INFO2", 10},
      {"SEVERITY_NUMBER_INFO3", 11},
      {"SEVERITY_NUMBER_INFO4", 12},
      {"SEVERITY_NUMBER_WARN", 13},
      {"SEVERITY_NUMBER_WARN2", 14},
      {"SEVERITY_NUMBER_WARN3", 15},
      {"SEVERITY_NUMBER_WARN4", 16},
      {"SEVERITY_NUMBER_ERROR", 17},
      {"SEVERITY_NUMBER_ERROR2", 18},
      {"SEVERITY_NUMBER_ERROR3", 19},
      {"SEVERITY_NUMBER_ERROR4", 20},
      {"SEVERITY_NUMBER_FATAL", 21},
      {"SEVERITY_NUMBER_FATAL2", 22},
      {"SEVERITY_NUMBER_FATAL3", 23},
      {"SEVERITY_NUMBER_FATAL4", 24},
      {"METRIC_DATA_TYPE_NONE", 0},
      {"METRIC_DATA_TYPE_GAUGE", 1},
      {"METRIC_DATA_TYPE_SUM", 2},
      {"METRIC_DATA_TYPE_HISTOGRAM", 3},
      {"METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM", 4},
      {"METRIC_DATA_TYPE_SUMMARY", 5},
      {"AGGREGATION_TEMPORALITY_UNSPECIFIED", 0},
      {"AGGREGATION_TEMPORALITY_DELTA", 1},
      {"AGGREGATION_TEMPORALITY_CUMULATIVE", 2},
  };
  return kTable;
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kResource: return "resource";
    case Level::kScope: return "scope";
    case Level::kSpan: return "span";
    case Level::kSpanEvent: return "spanevent";
    case Level::kMetric: return "metric";
    case Level::kDataPoint: return "datapoint";
    case Level::kLog: return "log";
  }
  return "?";
}

const std::vector<Level>& FamilyLevels(Family family) {
  static const std::vector<Level> kTraces = {Level::kResource, Level::kScope, Level::kSpan,
                                             Level::kSpanEvent};
  static const std::vector<Level> kMetrics = {Level::kResource, Level::kScope, Level::kMetric,
                                              Level::kDataPoint};
  static const std::vector<Level> kLogs = {Level::kResource, Level::kScope, Level::kLog};
  switch (family) {
    case Family::kTraces: return kTraces;
    case Family::kMetrics: return kMetrics;
    case Family::kLogs: return kLogs;
  }
  return kTraces;
}

bool Encloses(Family family, Level outer, Level inner) {
  int outer_pos = -1, inner_pos = -1;
  const auto& levels = FamilyLevels(family);
  for (size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] == outer) outer_pos = static_cast<int>(i);
    if (levels[i] == inner) inner_pos = static_cast<int>(i);
  }
  return outer_pos >= 0 && inner_pos >= 0 && outer_pos <= inner_pos;
}

std::optional<Field> FindField(Level level, std::string_view name) {
  for (const auto& e : FieldTable(level)) {
    if (e.name == name) return e.field;
  }
  return std::nullopt;
}

std::vector<std::string_view> FieldNames(Level level) {
  std::vector<std::string_view> out;
  for (const auto& e : FieldTable(level)) out.push_back(e.name);
  return out;
}

bool IsIndexable(Level level, Field field) {
  return field == Field::kAttributes || (level == Level::kLog && field == Field::kBody);
}

Value ReadField(Level level, Field field, const EvalContext& ctx) {
  switch (level) {
    case Level::kResource: return ReadResource(field, ctx);
    case Level::kScope: return ReadScope(field, ctx);
    case Level::kSpan: return ReadSpan(field, ctx);
    case Level::kSpanEvent: return ReadSpanEvent(field, ctx);
    case Level::kMetric: return ReadMetric(field, ctx);
    case Level::kDataPoint: return ReadDataPoint(field, ctx);
    case Level::kLog: return ReadLog(field, ctx);
  }
  return Value();
}

std::optional<int64_t> FindEnum(std::string_view name) {
  for (const auto& [n, v] : EnumTable()) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::vector<std::string_view> EnumNames() {
  std::vector<std::string_view> out;
  for (const auto& e : EnumTable()) out.push_back(e.first);
  return out;
}

}  // namespace otlpd::processor::filter::ottl
