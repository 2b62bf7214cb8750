#include "processors/filter/ottl/functions.h"

#include <array>

namespace otlpd::processor::filter::ottl {
namespace {

constexpr std::array<FunctionInfo, 12> kFunctions = {{
    {"IsMatch", FunctionId::kIsMatch, 2, StaticType::kBool, false},
    {"IsString", FunctionId::kIsString, 1, StaticType::kBool, false},
    {"IsInt", FunctionId::kIsInt, 1, StaticType::kBool, false},
    {"IsDouble", FunctionId::kIsDouble, 1, StaticType::kBool, false},
    {"IsBool", FunctionId::kIsBool, 1, StaticType::kBool, false},
    {"IsMap", FunctionId::kIsMap, 1, StaticType::kBool, false},
    {"IsList", FunctionId::kIsList, 1, StaticType::kBool, false},
    {"Len", FunctionId::kLen, 1, StaticType::kInt, true},
    {"HasPrefix", FunctionId::kHasPrefix, 2, StaticType::kBool, true},
    {"HasSuffix", FunctionId::kHasSuffix, 2, StaticType::kBool, true},
    {"TraceID", FunctionId::kTraceId, 1, StaticType::kBytes, false},
    {"SpanID", FunctionId::kSpanId, 1, StaticType::kBytes, false},
}};

}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string_view> FunctionNames() {
  std::vector<std::string_view> out;
  for (const auto& f : kFunctions) out.push_back(f.name);
  return out;
}

}  // namespace otlpd::processor::filter::ottl
