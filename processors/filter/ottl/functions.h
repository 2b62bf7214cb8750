// The OTTL converter functions otlpd's filter understands, with what the parser needs to check a
// call (argument count, result type) before anything runs.
//
//   IsMatch(target, "re")     bool   unanchored RE2 search on target's string form; nil -> false
//   IsString/IsInt/IsDouble/IsBool/IsMap/IsList(value)   bool   type tests; nil -> false
//   Len(value)                int    bytes of a string, entries of a map or list (else an error)
//   HasPrefix(s, p) / HasSuffix(s, p)  bool   both must be strings (else an error)
//   TraceID(0x...) / SpanID(0x...)     bytes  16- / 8-byte ID literals, to compare with trace_id
//
//   const FunctionInfo* f = FindFunction("IsMatch");   // f->arity == 2, f->result == kBool
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace otlpd::processor::filter::ottl {

enum class FunctionId : uint8_t {
  kIsMatch,
  kIsString,
  kIsInt,
  kIsDouble,
  kIsBool,
  kIsMap,
  kIsList,
  kLen,
  kHasPrefix,
  kHasSuffix,
  kTraceId,
  kSpanId,
};

// What the parser knows about an expression's type before evaluation.
enum class StaticType : uint8_t { kAny, kBool, kInt, kDouble, kString, kBytes, kNil };

struct FunctionInfo {
  std::string_view name;
  FunctionId id;
  int arity;
  StaticType result;
  // Can fail at run time (a type error), which error_mode then handles.
  bool fallible;
};

const FunctionInfo* FindFunction(std::string_view name);
std::vector<std::string_view> FunctionNames();

}  // namespace otlpd::processor::filter::ottl
