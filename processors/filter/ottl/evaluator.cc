#include "processors/filter/ottl/evaluator.h"

#include <cstdint>

namespace otlpd::processor::filter::ottl {
namespace {

class Evaluator {
 public:
  Evaluator(const EvalContext& ctx, std::string* error) : ctx_(ctx), error_(error) {}

  bool failed() const { return failed_; }

  bool Bool(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: return e.literal.bool_value();
      case ExprKind::kCompare: {
        Value a, b;
        if (!ValueOf(*e.children[0], &a) || !ValueOf(*e.children[1], &b)) return false;
        return Compare(a, b, e.compare);
      }
      case ExprKind::kAnd:
        for (const auto& child : e.children) {
          if (!Bool(*child)) return false;  // false, or failed
        }
        return true;
      case ExprKind::kOr:
        for (const auto& child : e.children) {
          const bool r = Bool(*child);
          if (failed_) return false;
          if (r) return true;
        }
        return false;
      case ExprKind::kNot: {
        const bool r = Bool(*e.children[0]);
        return failed_ ? false : !r;
      }
      case ExprKind::kCall: {
        Value v;
        if (!ValueOf(e, &v)) return false;
        return v.type() == Value::Type::kBool && v.bool_value();
      }
      default:
        // The parser only lets conditions reach here.
        return Fail("internal error: not a condition");
    }
  }

  // False on a run-time error.
  bool ValueOf(const Expr& e, Value* out) {
    switch (e.kind) {
      case ExprKind::kLiteral: *out = e.literal; return true;
      case ExprKind::kPath: {
        std::string message;
        if (!ReadPath(e.path, ctx_, out, &message)) return Fail(std::move(message));
        return true;
      }
      case ExprKind::kCall: return Call(e, out);
      case ExprKind::kMath: return Math(e, out);
      case ExprKind::kNegate: return Negate(e, out);
      case ExprKind::kCompare:
      case ExprKind::kAnd:
      case ExprKind::kOr:
      case ExprKind::kNot: {
        const bool r = Bool(e);
        if (failed_) return false;
        *out = Value::Bool(r);
        return true;
      }
    }
    return Fail("internal error: unknown expression");
  }

 private:
  bool Fail(std::string message) {
    if (!failed_ && error_ != nullptr && error_->empty()) *error_ = std::move(message);
    failed_ = true;
    return false;
  }

  bool Call(const Expr& e, Value* out) {
    const FunctionInfo& f = *e.function;
    Value arg;
    if (!ValueOf(*e.children[0], &arg)) return false;
    using T = Value::Type;
    switch (f.id) {
      case FunctionId::kIsMatch: {
        std::string scratch;
        std::string_view text;
        // nil is never a match, not an error (OTTL).
        *out = Value::Bool(StringLike(arg, &scratch, &text) && RE2::PartialMatch(text, *e.regex));
        return true;
      }
      case FunctionId::kIsString: *out = Value::Bool(arg.type() == T::kString); return true;
      case FunctionId::kIsInt: *out = Value::Bool(arg.type() == T::kInt); return true;
      case FunctionId::kIsDouble: *out = Value::Bool(arg.type() == T::kDouble); return true;
      case FunctionId::kIsBool: *out = Value::Bool(arg.type() == T::kBool); return true;
      case FunctionId::kIsMap: *out = Value::Bool(arg.type() == T::kMap); return true;
      case FunctionId::kIsList: *out = Value::Bool(arg.type() == T::kList); return true;
      case FunctionId::kLen:
        switch (arg.type()) {
          case T::kString:
          case T::kBytes:
            *out = Value::Int(static_cast<int64_t>(arg.string_value().size()));
            return true;
          case T::kMap: *out = Value::Int(arg.map_value().size()); return true;
          case T::kList: *out = Value::Int(arg.list_value().size()); return true;
          default:
            return Fail("Len: expected a string, map or list, got " +
                        std::string(TypeName(arg.type())));
        }
      case FunctionId::kHasPrefix:
      case FunctionId::kHasSuffix: {
        Value affix;
        if (!ValueOf(*e.children[1], &affix)) return false;
        if (arg.type() != T::kString || affix.type() != T::kString) {
          const Value& bad = arg.type() != T::kString ? arg : affix;
          return Fail(std::string(f.name) + ": expected a string, got " +
                      std::string(TypeName(bad.type())));
        }
        const std::string_view s = arg.string_value();
        const std::string_view a = affix.string_value();
        const bool hit = s.size() >= a.size() &&
                         (f.id == FunctionId::kHasPrefix ? s.substr(0, a.size()) == a
                                                         : s.substr(s.size() - a.size()) == a);
        *out = Value::Bool(hit);
        return true;
      }
      case FunctionId::kTraceId:
      case FunctionId::kSpanId:
        *out = arg;
        return true;
    }
    return Fail("internal error: unknown function");
  }

  bool Math(const Expr& e, Value* out) {
    Value a, b;
    if (!ValueOf(*e.children[0], &a) || !ValueOf(*e.children[1], &b)) return false;
    using T = Value::Type;
    const bool a_num = a.type() == T::kInt || a.type() == T::kDouble;
    const bool b_num = b.type() == T::kInt || b.type() == T::kDouble;
    if (!a_num || !b_num) {
      return Fail("arithmetic on " + std::string(TypeName(a.type())) + " and " +
                  std::string(TypeName(b.type())));
    }
    if (a.type() == T::kInt && b.type() == T::kInt) {
      // Unsigned arithmetic wraps like Go's int64 instead of being undefined.
      const uint64_t x = static_cast<uint64_t>(a.int_value());
      const uint64_t y = static_cast<uint64_t>(b.int_value());
      switch (e.math) {
        case MathOp::kAdd: *out = Value::Int(static_cast<int64_t>(x + y)); return true;
        case MathOp::kSub: *out = Value::Int(static_cast<int64_t>(x - y)); return true;
        case MathOp::kMul: *out = Value::Int(static_cast<int64_t>(x * y)); return true;
        case MathOp::kDiv:
          if (b.int_value() == 0) return Fail("division by zero");
          if (a.int_value() == INT64_MIN && b.int_value() == -1) {
            *out = Value::Int(INT64_MIN);
            return true;
          }
          *out = Value::Int(a.int_value() / b.int_value());
          return true;
      }
    }
    const double x = a.type() == T::kInt ? static_cast<double>(a.int_value()) : a.double_value();
    const double y = b.type() == T::kInt ? static_cast<double>(b.int_value()) : b.double_value();
    switch (e.math) {
      case MathOp::kAdd: *out = Value::Double(x + y); return true;
      case MathOp::kSub: *out = Value::Double(x - y); return true;
      case MathOp::kMul: *out = Value::Double(x * y); return true;
      case MathOp::kDiv:
        if (y == 0) return Fail("division by zero");
        *out = Value::Double(x / y);
        return true;
    }
    return Fail("internal error: unknown arithmetic");
  }

  bool Negate(const Expr& e, Value* out) {
    Value v;
    if (!ValueOf(*e.children[0], &v)) return false;
    if (v.type() == Value::Type::kInt) {
      *out = Value::Int(static_cast<int64_t>(0 - static_cast<uint64_t>(v.int_value())));
      return true;
    }
    if (v.type() == Value::Type::kDouble) {
      *out = Value::Double(-v.double_value());
      return true;
    }
    return Fail("cannot negate " + std::string(TypeName(v.type())));
  }

  const EvalContext& ctx_;
  std::string* error_;
  bool failed_ = false;
};

}  // namespace

bool ReadPath(const PathRef& path, const EvalContext& ctx, Value* out, std::string* error) {
  Value v = ReadField(path.level, path.field, ctx);
  for (const PathKey& key : path.keys) {
    if (v.is_nil()) break;  // a missing key anywhere reads as nil
    if (!key.is_index) {
      if (v.type() != Value::Type::kMap) {
        *error = path.canonical + ": cannot index " + std::string(TypeName(v.type())) +
                 " with [\"" + key.key + "\"]";
        return false;
      }
      const AnyValue* found = FindAttribute(v.map_value(), key.key);
      v = found != nullptr ? Value::FromAny(*found) : Value();
      continue;
    }
    if (v.type() != Value::Type::kList) {
      *error = path.canonical + ": cannot index " + std::string(TypeName(v.type())) + " with [" +
               std::to_string(key.index) + "]";
      return false;
    }
    const auto& list = v.list_value();
    if (key.index < 0 || key.index >= list.size()) {
      *error = path.canonical + ": index " + std::to_string(key.index) + " is out of range (" +
               std::to_string(list.size()) + " elements)";
      return false;
    }
    v = Value::FromAny(list.Get(static_cast<int>(key.index)));
  }
  *out = std::move(v);
  return true;
}

bool Evaluate(const Condition& condition, const EvalContext& ctx, std::string* error) {
  Evaluator evaluator(ctx, error);
  const bool result = evaluator.Bool(*condition.root);
  return evaluator.failed() ? false : result;
}

}  // namespace otlpd::processor::filter::ottl
