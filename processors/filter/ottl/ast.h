// The parsed form of an OTTL condition: an expression tree whose paths are already resolved to
// fields and whose regexes are already compiled, so evaluation does no lookups by name.
//
// Immutable after parsing and safe to evaluate from many threads at once (RE2 matching is
// thread-safe). Nodes are heap-allocated and never move, so literal values may point into them.
//
//   ParseResult r = Parse(R"(IsMatch(name, "health"))", {.family = Family::kTraces,
//                                                         .context = Level::kSpan});
//   const Condition& c = *r.condition;       // c.context == Level::kSpan
//   c.regex_match->path.canonical;            // "span.name"
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "processors/filter/ottl/functions.h"
#include "processors/filter/ottl/paths.h"
#include "processors/filter/ottl/value.h"

namespace otlpd::processor::filter::ottl {

// One `[...]` after a path: a map key or a list index.
struct PathKey {
  bool is_index = false;
  std::string key;
  int64_t index = 0;
};

struct PathRef {
  Level level = Level::kSpan;
  Field field = Field::kName;
  std::vector<PathKey> keys;
  // One spelling per meaning, e.g. `span.attributes["k"]` for `attributes["k"]` in the span
  // context: two conditions read the same value exactly when these are equal.
  std::string canonical;
};

enum class ExprKind : uint8_t { kLiteral, kPath, kCall, kCompare, kAnd, kOr, kNot, kMath, kNegate };
enum class MathOp : uint8_t { kAdd, kSub, kMul, kDiv };

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  size_t offset = 0;  // where the expression starts in the condition text
  StaticType type = StaticType::kAny;
  bool fallible = false;  // this node or one below can fail at run time

  Value literal;             // kLiteral (strings and bytes point into literal_text)
  std::string literal_text;  // kLiteral storage
  PathRef path;              // kPath
  const FunctionInfo* function = nullptr;  // kCall
  std::unique_ptr<RE2> regex;              // kCall IsMatch: compiled once, at parse time
  CompareOp compare = CompareOp::kEq;      // kCompare
  MathOp math = MathOp::kAdd;              // kMath
  // kCall: arguments; kCompare and kMath: left, right; kAnd, kOr: operands; kNot, kNegate: one.
  std::vector<std::unique_ptr<Expr>> children;
  // Levels in this subtree (1 for a leaf). The parser bounds it, so that evaluating and freeing
  // a tree, which recurse, never exhaust the stack.
  int height = 1;
};

using ExprPtr = std::unique_ptr<Expr>;

// A condition that is exactly `IsMatch(<path>, "<pattern>")`: the filter may evaluate several of
// them on the same path with one RE2::Set.
struct RegexMatchShape {
  PathRef path;
  std::string pattern;
};

struct Condition {
  std::string text;  // as written
  ExprPtr root;      // evaluates to a bool
  // The context the condition runs in: the one given for a context list (`traces.span`), or,
  // for the flat lists, the innermost context any of its paths names.
  Level context = Level::kSpan;
  bool fallible = false;
  std::optional<RegexMatchShape> regex_match;
};

}  // namespace otlpd::processor::filter::ottl
