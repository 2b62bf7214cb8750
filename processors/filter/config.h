// The filter processor's configuration: OTTL conditions per signal, parsed and compiled when the
// config is decoded, so that a bad condition is a config error with its location and column and
// the running processor only evaluates.
//
//   filter/noisy:
//     error_mode: ignore
//     traces:
//       span: ['IsMatch(name, ".*/health.*")']
//     trace_conditions:                     # or the flat style, with context prefixes
//       - 'span.kind == SPAN_KIND_INTERNAL and resource.attributes["env"] == "dev"'
//
//   FilterConfig cfg;
//   DecodeFilterConfig(reader, &cfg);           // errors go to the reader's Errors
//   cfg.traces->group(ottl::Level::kSpan).size();  // 1
#pragma once

#include <array>
#include <memory>

#include "config/map_reader.h"
#include "pipeline/factory.h"
#include "processors/filter/condition_group.h"

namespace otlpd::processor::filter {

// The compiled conditions of one signal, one group per context (resource, scope, span, ...).
class SignalConditions {
 public:
  ConditionGroup& group(ottl::Level level) { return groups_[static_cast<size_t>(level)]; }
  const ConditionGroup& group(ottl::Level level) const {
    return groups_[static_cast<size_t>(level)];
  }
  bool empty() const {
    for (const auto& g : groups_) {
      if (!g.empty()) return false;
    }
    return true;
  }
  void Compile() {
    for (auto& g : groups_) g.Compile();
  }

 private:
  std::array<ConditionGroup, ottl::kLevelCount> groups_;
};

class FilterConfig : public ComponentConfig {
 public:
  // error_mode: ignore (default) | silent | propagate. What a run-time condition error does:
  // ignore logs it (once per batch) and treats the condition as false; silent does the same
  // without logging; propagate fails the whole request with INVALID_ARGUMENT.
  ErrorMode error_mode = ErrorMode::kIgnore;
  // traces.span / traces.spanevent / trace_conditions, compiled; null when none are set.
  std::shared_ptr<const SignalConditions> traces;
  // metrics.metric / metrics.datapoint / metric_conditions.
  std::shared_ptr<const SignalConditions> metrics;
  // logs.log_record / log_conditions.
  std::shared_ptr<const SignalConditions> logs;
};

// Reads and validates the filter's YAML map. A condition that does not parse is reported at
// its own scalar, as `<path>: condition N: column C: <problem>`.
void DecodeFilterConfig(config::MapReader& reader, FilterConfig* cfg);

}  // namespace otlpd::processor::filter
