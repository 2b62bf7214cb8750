#include "processors/filter/ottl/value.h"

namespace otlpd::processor::filter::ottl {

Value Value::Bool(bool v) {
  Value out;
  out.type_ = Type::kBool;
  out.b_ = v;
  return out;
}

Value Value::Int(int64_t v) {
  Value out;
  out.type_ = Type::kInt;
  out.i_ = v;
  return out;
}

Value Value::Double(double v) {
  Value out;
  out.type_ = Type::kDouble;
  out.d_ = v;
  return out;
}

Value Value::String(std::string_view v) {
  Value out;
  out.type_ = Type::kString;
  out.view_ = v;
  return out;
}

Value Value::OwnedString(std::string v) {
  Value out;
  out.type_ = Type::kString;
  out.owned_ = std::move(v);
  out.owned_flag_ = true;
  return out;
}

Value Value::Bytes(std::string_view v) {
  Value out;
  out.type_ = Type::kBytes;
  out.view_ = v;
  return out;
}

Value Value::OwnedBytes(std::string v) {
  Value out;
  out.type_ = Type::kBytes;
  out.owned_ = std::move(v);
  out.owned_flag_ = true;
  return out;
}

Value Value::Map(const AttributeList& v) {
  Value out;
  out.type_ = Type::kMap;
  out.map_ = &v;
  return out;
}

Value Value::List(const ValueList& v) {
  Value out;
  out.type_ = Type::kList;
  out.list_ = &v;
  return out;
}

Value Value::FromAny(const AnyValue& v) {
  switch (v.value_case()) {
    case AnyValue::kStringValue: return String(v.string_value());
    case AnyValue::kBoolValue: return Bool(v.bool_value());
    case AnyValue::kIntValue: return Int(v.int_value());
    case AnyValue::kDoubleValue: return Double(v.double_value());
    case AnyValue::kBytesValue: return Bytes(v.bytes_value());
    case AnyValue::kArrayValue: return List(v.array_value().values());
    case AnyValue::kKvlistValue: return Map(v.kvlist_value().values());
    case AnyValue::kStringValueStrindex:  // profiles only: meaningless here
    case AnyValue::VALUE_NOT_SET:
      return Value();
  }
  return Value();
}

std::string_view TypeName(Value::Type type) {
  switch (type) {
    case Value::Type::kNil: return "nil";
    case Value::Type::kBool: return "bool";
    case Value::Type::kInt: return "int";
    case Value::Type::kDouble: return "double";
    case Value::Type::kString: return "string";
    case Value::Type::kBytes: return "bytes";
    case Value::Type::kMap: return "map";
    case Value::Type::kList: return "list";
  }
  return "?";
}

std::string_view CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "==";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

namespace {

template <class T>
bool Ordered(const T& a, const T& b, CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNe: return a != b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
  }
  return false;
}

// Pairs OTTL cannot compare are "definitely not equal" and nothing else.
bool NotComparable(CompareOp op) { return op == CompareOp::kNe; }

bool EqualityOnly(bool equal, CompareOp op) {
  if (op == CompareOp::kEq) return equal;
  if (op == CompareOp::kNe) return !equal;
  return false;
}

}  // namespace

bool Compare(const Value& a, const Value& b, CompareOp op) {
  using T = Value::Type;
  if (a.is_nil() && b.is_nil()) {
    return op == CompareOp::kEq || op == CompareOp::kLe || op == CompareOp::kGe;
  }
  if (a.is_nil() || b.is_nil()) return NotComparable(op);
  switch (a.type()) {
    case T::kBool:
      // false < true, as OTTL orders bools.
      if (b.type() != T::kBool) return NotComparable(op);
      return Ordered(static_cast<int>(a.bool_value()), static_cast<int>(b.bool_value()), op);
    case T::kInt:
      if (b.type() == T::kInt) return Ordered(a.int_value(), b.int_value(), op);
      if (b.type() == T::kDouble) {
        return Ordered(static_cast<double>(a.int_value()), b.double_value(), op);
      }
      return NotComparable(op);
    case T::kDouble:
      if (b.type() == T::kDouble) return Ordered(a.double_value(), b.double_value(), op);
      if (b.type() == T::kInt) {
        return Ordered(a.double_value(), static_cast<double>(b.int_value()), op);
      }
      return NotComparable(op);
    case T::kString:
    case T::kBytes:
      if (b.type() != a.type()) return NotComparable(op);
      return Ordered(a.string_value(), b.string_value(), op);
    case T::kMap:
      if (b.type() != T::kMap) return NotComparable(op);
      return EqualityOnly(AttributeListsEqual(a.map_value(), b.map_value()), op);
    case T::kList:
      if (b.type() != T::kList) return NotComparable(op);
      return EqualityOnly(ArraysEqual(a.list_value(), b.list_value()), op);
    case T::kNil:
      break;
  }
  return NotComparable(op);
}

bool StringLike(const Value& v, std::string* scratch, std::string_view* out) {
  using T = Value::Type;
  switch (v.type()) {
    case T::kNil: return false;
    case T::kString: *out = v.string_value(); return true;
    case T::kBytes: *scratch = HexEncode(v.string_value()); break;
    case T::kBool: *scratch = v.bool_value() ? "true" : "false"; break;
    case T::kInt: *scratch = std::to_string(v.int_value()); break;
    case T::kDouble: *scratch = FormatDouble(v.double_value()); break;
    case T::kMap:
      scratch->clear();
      AppendAttributesJson(v.map_value(), scratch);
      break;
    case T::kList:
      scratch->clear();
      AppendArrayJson(v.list_value(), scratch);
      break;
  }
  *out = *scratch;
  return true;
}

}  // namespace otlpd::processor::filter::ottl
