// OTLP/JSON: the JSON encoding of OTLP messages (OTLP specification, "JSON Protobuf Encoding"),
// read and written with protobuf's own JSON mapping plus the places where OTLP differs from it.
//
// The differences, all handled here so that callers see plain messages:
//   - traceId, spanId and parentSpanId (in spans, links, log records and exemplars; also the
//     snake_case spellings) are hex strings, not base64. Empty strings mean "no ID"; anything
//     else must be exactly 32 (trace) or 16 (span) hex digits.
//   - enums are written as integers; both integers and names are read.
//   - unknown fields are ignored (a newer client must not be refused by an older server).
//   - field names are read in lowerCamelCase and in snake_case; 64-bit integers as strings or
//     numbers. Both are protobuf's JSON mapping already.
//
//   TraceRequest req;
//   Status s = ParseOtlpJson(body, req);            // INVALID_ARGUMENT on bad input
//   StatusOr<std::string> json = PrintOtlpJson(req);
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "pipeline/status.h"

namespace otlpd {

// Replaces the contents of `message` with the OTLP/JSON document `json`. INVALID_ARGUMENT
// ("invalid OTLP/JSON: ...") for malformed JSON, wrong value types and bad IDs.
Status ParseOtlpJson(std::string_view json, google::protobuf::Message& message);

// `message` as compact OTLP/JSON: lowerCamelCase names, hex IDs, enums as integers, fields with
// default values left out.
StatusOr<std::string> PrintOtlpJson(const google::protobuf::Message& message);

}  // namespace otlpd
