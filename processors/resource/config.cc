#include "processors/resource/config.h"

namespace otlpd::processor::resource {

void DecodeResourceConfig(config::MapReader& reader, ResourceConfig* cfg) {
  attributes::DecodeActions(reader, "attributes", &cfg->attributes);
}

}  // namespace otlpd::processor::resource
