// ottl::Evaluate: runs a parsed condition against one item.
//
// Short-circuits like OTTL (`a and b` skips b when a is false). A run-time error (Len of an int,
// HasPrefix of nil, indexing a string, arithmetic on text) makes the result false and fills
// `*error`; what then happens to the item is the filter's error_mode. Thread-safe: conditions
// are immutable and the context is the caller's.
//
//   EvalContext ctx{.resource = &rs.resource(), .scope = &ss.scope(), .span = &span};
//   std::string error;
//   bool drop = Evaluate(condition, ctx, &error);
//   if (!error.empty()) { /* error_mode: ignore, silent or propagate */ }
#pragma once

#include <string>

#include "processors/filter/ottl/ast.h"

namespace otlpd::processor::filter::ottl {

// True when the condition holds. On a run-time error returns false and sets `*error` (which
// must be empty on entry).
bool Evaluate(const Condition& condition, const EvalContext& ctx, std::string* error);

// Reads a path, applying its [...] keys: what the path evaluates to inside a condition. A
// missing key reads as nil; indexing something that is not a map or list is an error.
bool ReadPath(const PathRef& path, const EvalContext& ctx, Value* out, std::string* error);

}  // namespace otlpd::processor::filter::ottl
