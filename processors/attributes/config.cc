#include "processors/attributes/config.h"

namespace otlpd::processor::attributes {

void DecodeAttributesConfig(config::MapReader& reader, AttributesConfig* cfg) {
  DecodeActions(reader, "actions", &cfg->actions);
  if (auto include = reader.Child("include")) {
    cfg->include.emplace();
    DecodeMatchProperties(*include, &*cfg->include);
    include->Finish();
  }
  if (auto exclude = reader.Child("exclude")) {
    cfg->exclude.emplace();
    DecodeMatchProperties(*exclude, &*cfg->exclude);
    exclude->Finish();
  }
}

}  // namespace otlpd::processor::attributes
