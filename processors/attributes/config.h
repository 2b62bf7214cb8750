// The attributes processor's configuration: a list of actions applied to the attributes of
// spans, log records and metric data points, optionally limited by include / exclude.
//
//   attributes/redact:
//     include: {match_type: strict, services: [checkout]}
//     actions:
//       - {key: user.email, action: hash}
//       - {key: env, value: prod, action: upsert}
//
//   AttributesConfig cfg;
//   DecodeAttributesConfig(reader, &cfg);
#pragma once

#include <optional>

#include "config/map_reader.h"
#include "pipeline/factory.h"
#include "processors/attributes/actions.h"
#include "processors/attributes/match_properties.h"

namespace otlpd::processor::attributes {

class AttributesConfig : public ComponentConfig {
 public:
  // actions: required, at least one; applied in order.
  ActionList actions;
  // include: only items matching these properties are processed. Optional.
  std::optional<MatchProperties> include;
  // exclude: items matching these properties are not processed. Optional.
  std::optional<MatchProperties> exclude;
};

void DecodeAttributesConfig(config::MapReader& reader, AttributesConfig* cfg);

}  // namespace otlpd::processor::attributes
