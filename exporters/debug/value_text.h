// The text forms the debug exporter gives OTLP values, matching what the Collector's debug
// exporter prints: hex IDs, Go-style UTC timestamps, attribute values as pcommon's AsString()
// ("42", "1.5", {"a":1}) and typed ("Int(42)"), and the names of OTLP enums ("Server", "Error").
//
//   HexId(span.trace_id());                    // "0102030405060708090a0b0c0d0e0f10"
//   FormatTimestamp(1581452772000000321);      // "2020-02-11 20:26:12.000000321 +0000 UTC"
//   TypedValue(attr.value());                  // "Str(GET)"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "opentelemetry/proto/common/v1/common.pb.h"

namespace otlpd::exporter::debug {

using AnyValue = opentelemetry::proto::common::v1::AnyValue;

// Lower-case hex of raw ID bytes; "" for an absent ID.
std::string HexId(std::string_view bytes);

// Nanoseconds since the Unix epoch as Go's time.Time.String() prints them in UTC: fractional
// seconds without trailing zeros, none when whole.
std::string FormatTimestamp(uint64_t unix_nanos);

// A double as JSON / pcommon print it (shortest round-trip digits, exponent only below 1e-6 or
// from 1e21).
std::string FormatDouble(double d);

// pcommon Value.AsString(): strings raw, numbers and bools as text, bytes base64, maps and
// slices as JSON (map keys sorted, as Go's encoder does), an empty value as "".
std::string ValueAsString(const AnyValue& v);

// "Str(x)", "Int(1)", "Double(1.5)", "Bool(true)", "Bytes(AQI=)", "Map({...})", "Slice([...])",
// "Empty()".
std::string TypedValue(const AnyValue& v);

// Enum names as pdata prints them; the number for a value the proto does not define.
std::string SpanKindName(int kind);          // "Unspecified", "Internal", "Server", ...
std::string StatusCodeName(int code);        // "Unset", "Ok", "Error"
std::string SeverityName(int severity);      // "Unspecified", "Trace", "Trace2", ... "Fatal4"
std::string TemporalityName(int temporality);  // "Unspecified", "Delta", "Cumulative"

}  // namespace otlpd::exporter::debug
