// The telemetry fields an OTTL condition can read, per context (resource, scope, span,
// spanevent, metric, datapoint, log), and how to read them from one item.
//
// A path such as `resource.attributes["host"]` resolves at parse time to a Level (resource), a
// Field (attributes) and index keys (["host"]); evaluation then reads the field from the
// EvalContext, which points at the item and its enclosing resource, scope, span or metric.
//
//   std::optional<Field> f = FindField(Level::kSpan, "status.code");
//   EvalContext ctx; ctx.resource = &rs.resource(); ctx.scope = &ss.scope(); ctx.span = &span;
//   Value v = ReadField(Level::kSpan, *f, ctx);      // Value::Int(2) for STATUS_CODE_ERROR
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/metrics/v1/metrics.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"
#include "processors/filter/ottl/value.h"

namespace otlpd::processor::filter::ottl {

// Contexts from the outermost in: a context can read its own fields and those of the levels
// that enclose it (a span event sees its span, scope and resource).
enum class Level : uint8_t { kResource, kScope, kSpan, kSpanEvent, kMetric, kDataPoint, kLog };
inline constexpr int kLevelCount = 7;

// "resource", "scope", "span", "spanevent", "metric", "datapoint", "log": the path prefixes.
std::string_view LevelName(Level level);

// Which signal a condition list filters; it decides which contexts exist.
enum class Family : uint8_t { kTraces, kMetrics, kLogs };
// The contexts of a family, outermost first (traces: resource, scope, span, spanevent).
const std::vector<Level>& FamilyLevels(Family family);
// True when `outer` is `inner` or encloses it within `family`.
bool Encloses(Family family, Level outer, Level inner);

enum class Field : uint8_t {
  kAttributes,
  kDroppedAttributesCount,
  kName,
  kVersion,
  kTraceId,
  kTraceIdString,
  kSpanId,
  kSpanIdString,
  kParentSpanId,
  kParentSpanIdString,
  kTraceState,
  kKind,
  kKindString,
  kStartTimeUnixNano,
  kEndTimeUnixNano,
  kTimeUnixNano,
  kObservedTimeUnixNano,
  kStatusCode,
  kStatusMessage,
  kFlags,
  kDroppedEventsCount,
  kDroppedLinksCount,
  kDescription,
  kUnit,
  kType,
  kAggregationTemporality,
  kIsMonotonic,
  kValueInt,
  kValueDouble,
  kCount,
  kSum,
  kBody,
  kBodyString,
  kSeverityNumber,
  kSeverityText,
  kEventName,
};

// The field named `name` ("status.code", "attributes") in `level`, or nullopt.
std::optional<Field> FindField(Level level, std::string_view name);
// Every field name of a level, for "did you mean" and the README.
std::vector<std::string_view> FieldNames(Level level);
// Whether a field's value may hold a map or list that `[...]` can index (attributes, body).
bool IsIndexable(Level level, Field field);

// A data point of any metric type; exactly one pointer is set.
struct DataPointRef {
  const opentelemetry::proto::metrics::v1::NumberDataPoint* number = nullptr;
  const opentelemetry::proto::metrics::v1::HistogramDataPoint* histogram = nullptr;
  const opentelemetry::proto::metrics::v1::ExponentialHistogramDataPoint* exponential = nullptr;
  const opentelemetry::proto::metrics::v1::SummaryDataPoint* summary = nullptr;
};

// The item being evaluated and what encloses it. Only the levels of the condition's context
// and above need to be set. Borrowed: valid for one evaluation.
struct EvalContext {
  const opentelemetry::proto::resource::v1::Resource* resource = nullptr;
  const opentelemetry::proto::common::v1::InstrumentationScope* scope = nullptr;
  const opentelemetry::proto::trace::v1::Span* span = nullptr;
  const opentelemetry::proto::trace::v1::Span::Event* event = nullptr;
  const opentelemetry::proto::metrics::v1::Metric* metric = nullptr;
  DataPointRef point;
  const opentelemetry::proto::logs::v1::LogRecord* log = nullptr;
};

// Reads a field. Strings, bytes and maps borrow from the telemetry; computed text (hex IDs,
// kind names) is owned by the returned value. A field that does not apply to the item (the
// `count` of a gauge point) reads as nil.
Value ReadField(Level level, Field field, const EvalContext& ctx);

// Enum names usable as literals (SPAN_KIND_SERVER, STATUS_CODE_ERROR, SEVERITY_NUMBER_WARN,
// METRIC_DATA_TYPE_SUM, AGGREGATION_TEMPORALITY_DELTA) and their integer values.
std::optional<int64_t> FindEnum(std::string_view name);
std::vector<std::string_view> EnumNames();

}  // namespace otlpd::processor::filter::ottl
