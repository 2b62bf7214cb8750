// ottl::Value: what an OTTL expression evaluates to (nil, bool, int, double, string, bytes, map,
// list), and the OTTL comparison rules between two values.
//
// Values usually borrow: a string, a map or a list points into the telemetry being evaluated
// (or into the parsed condition, for literals), so reading `name` or `attributes["k"]` copies
// nothing. A value computed at run time (a hex ID, a number as text) owns its text instead.
//
//   Value a = Value::FromAny(*FindAttribute(span.attributes(), "http.status_code"));
//   bool hit = Compare(a, Value::Int(500), CompareOp::kGe);   // int vs int: numeric
//   Compare(Value(), Value::String("x"), CompareOp::kNe);      // nil vs anything: only != is true
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "processors/common/any_value.h"

namespace otlpd::processor::filter::ottl {

using ValueList = google::protobuf::RepeatedPtrField<AnyValue>;

class Value {
 public:
  enum class Type : uint8_t { kNil, kBool, kInt, kDouble, kString, kBytes, kMap, kList };

  // nil.
  Value() = default;
  static Value Bool(bool v);
  static Value Int(int64_t v);
  static Value Double(double v);
  // Borrowed text: must outlive the value.
  static Value String(std::string_view v);
  static Value OwnedString(std::string v);
  static Value Bytes(std::string_view v);
  static Value OwnedBytes(std::string v);
  static Value Map(const AttributeList& v);
  static Value List(const ValueList& v);
  // Borrows from `v`. An empty AnyValue (no case set) is nil, as OTTL treats pcommon's empty.
  static Value FromAny(const AnyValue& v);

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  bool bool_value() const { return b_; }
  int64_t int_value() const { return i_; }
  double double_value() const { return d_; }
  // Text of a string or the raw bytes of a bytes value.
  std::string_view string_value() const { return owned_flag_ ? std::string_view(owned_) : view_; }
  const AttributeList& map_value() const { return *map_; }
  const ValueList& list_value() const { return *list_; }

 private:
  Type type_ = Type::kNil;
  bool b_ = false;
  bool owned_flag_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  const AttributeList* map_ = nullptr;
  const ValueList* list_ = nullptr;
  std::string_view view_;
  std::string owned_;
};

// "nil", "bool", "int", "double", "string", "bytes", "map", "list": for error messages.
std::string_view TypeName(Value::Type type);

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
std::string_view CompareOpText(CompareOp op);

// OTTL's comparison rules: nil equals only nil; ints and doubles compare numerically; strings
// and bytes compare bytewise; bools order false < true; maps and lists support only == and !=
// (deep, maps ignoring order). Any other pairing is "not comparable": only != is true.
bool Compare(const Value& a, const Value& b, CompareOp op);

// OTTL's "string-like" view of a value, as IsMatch sees it: strings as they are, bytes as hex,
// numbers and bools as JSON prints them, maps and lists as JSON. Returns false for nil.
// `scratch` holds the text when it had to be built.
bool StringLike(const Value& v, std::string* scratch, std::string_view* out);

}  // namespace otlpd::processor::filter::ottl
