// Helpers over OTLP attribute values shared by the processors (filter, resource, attributes):
// find / set / remove in a KeyValue list, deep equality, and the text forms the Collector gives a
// value (pcommon's Value.AsString and encoding/json), so that a hash, a conversion or a regex
// match sees exactly the text a Collector user expects.
//
//   const AnyValue* v = FindAttribute(span.attributes(), "http.route");
//   AnyValue& slot = UpsertAttribute(resource.mutable_attributes(), "deployment.environment");
//   slot.set_string_value("prod");
//   std::string text = AnyValueAsString(*v);   // 42 -> "42", 1.5 -> "1.5", {a:1} -> {"a":1}
#pragma once

#include <string>
#include <string_view>

#include "opentelemetry/proto/common/v1/common.pb.h"

namespace otlpd::processor {

using AnyValue = opentelemetry::proto::common::v1::AnyValue;
using KeyValue = opentelemetry::proto::common::v1::KeyValue;
using AttributeList = google::protobuf::RepeatedPtrField<KeyValue>;

// The value under `key`, or nullptr. Linear, like pcommon.Map: attribute lists are short and
// unsorted, and keeping them unsorted keeps the wire order the client sent.
const AnyValue* FindAttribute(const AttributeList& attrs, std::string_view key);
AnyValue* FindMutableAttribute(AttributeList* attrs, std::string_view key);
// The value slot under `key`: the existing one, or a new empty entry appended at the end.
AnyValue& UpsertAttribute(AttributeList* attrs, std::string_view key);
// Removes every entry named `key`; true when one was there.
bool RemoveAttribute(AttributeList* attrs, std::string_view key);

// Deep equality as pcommon.Value.Equal: same type and value; maps compare as sets of keys.
bool AnyValuesEqual(const AnyValue& a, const AnyValue& b);

// A double as Go's encoding/json (and pcommon) prints it: the shortest text that reads back to
// the same value, in plain notation unless |v| < 1e-6 or |v| >= 1e21.
std::string FormatDouble(double v);
// Lower-case hex of raw bytes (trace and span IDs).
std::string HexEncode(std::string_view bytes);
// Standard base64 with padding (how Go prints []byte in JSON and AsString).
std::string Base64Encode(std::string_view bytes);

// pcommon.Value.AsString: strings as they are, ints in decimal, doubles via FormatDouble,
// bools true/false, bytes in base64, maps and arrays as JSON (keys sorted), empty as "".
std::string AnyValueAsString(const AnyValue& value);
// The JSON form of a value, appended to `out` (maps with sorted keys, as Go marshals them).
void AppendAnyValueJson(const AnyValue& value, std::string* out);
// The same for a bare attribute list (a JSON object) and a bare array of values.
void AppendAttributesJson(const AttributeList& attrs, std::string* out);
void AppendArrayJson(const google::protobuf::RepeatedPtrField<AnyValue>& values, std::string* out);
// Equality of two attribute lists as maps (order does not matter), and of two arrays.
bool AttributeListsEqual(const AttributeList& a, const AttributeList& b);
bool ArraysEqual(const google::protobuf::RepeatedPtrField<AnyValue>& a,
                 const google::protobuf::RepeatedPtrField<AnyValue>& b);
// A JSON string literal for `text`, escaped as Go's encoding/json does (including <, >, &).
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace otlpd::processor
