// The resource processor's configuration: the attribute actions applied to the resource of
// every request, for every signal (the action engine is the attributes processor's).
//
//   resource:
//     attributes:
//       - key: deployment.environment
//         value: ${SCOUT_ENVIRONMENT}
//         action: upsert
//
//   ResourceConfig cfg;
//   DecodeResourceConfig(reader, &cfg);     // "attributes" is required
#pragma once

#include "config/map_reader.h"
#include "pipeline/factory.h"
#include "processors/attributes/actions.h"

namespace otlpd::processor::resource {

class ResourceConfig : public ComponentConfig {
 public:
  // attributes: required, at least one action; applied in order to the resource attributes.
  attributes::ActionList attributes;
};

void DecodeResourceConfig(config::MapReader& reader, ResourceConfig* cfg);

}  // namespace otlpd::processor::resource
