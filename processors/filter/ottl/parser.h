// ottl::Parse: turns one OTTL condition into a Condition, or a ParseError that names the 1-based
// column inside the condition text where the problem is.
//
// Checked here, not at run time: syntax, unknown paths and functions (with "did you mean"),
// argument counts, regexes (compiled once), ID literal lengths, and that the condition is a
// boolean (a comparison, true/false, a bool function, combined with and / or / not).
//
// Contexts: with `context` set (the `traces: {span: [...]}` style, or an explicit `context:`),
// paths without a prefix are read from that context and prefixed paths may name it or a context
// that encloses it (resource, scope, span for a span event, metric for a data point). Without a
// `context` (the flat `trace_conditions` style) every path must start with a context name and
// the condition runs in the innermost one named.
//
//   ParseResult r = Parse("IsMath(name, \"x\")", {.family = Family::kTraces,
//                                                 .context = Level::kSpan});
//   r.ok();                   // false
//   r.error.ToString();       // column 1: unknown function "IsMath" (did you mean "IsMatch"?)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "processors/filter/ottl/ast.h"

namespace otlpd::processor::filter::ottl {

struct ParseOptions {
  Family family = Family::kTraces;
  // The context of a context list; nullopt infers it from the path prefixes.
  std::optional<Level> context;
};

struct ParseError {
  int column = 1;  // 1-based, in characters of the condition text
  std::string message;
  // "column 14: unknown function ..."
  std::string ToString() const;
};

struct ParseResult {
  std::unique_ptr<Condition> condition;  // set when ok
  ParseError error;                      // set when not ok
  bool ok() const { return condition != nullptr; }
};

ParseResult Parse(std::string_view text, const ParseOptions& options);

}  // namespace otlpd::processor::filter::ottl
