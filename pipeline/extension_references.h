// ReferencesExtensions: how a component's config tells the service's cross-reference pass which
// extensions it names (an exporter's `sending_queue::storage`), so that `otlpd validate` reports
// one that is not configured or not listed in service::extensions, at the line that names it,
// instead of the service failing at Start. Whether the extension is of the right kind (a storage
// extension) can only be known once it exists: the component checks that at Start.
//
//   struct Config : ComponentConfig, ReferencesExtensions {
//     std::vector<ExtensionReference> ExtensionReferences() const override {
//       return {{"sending_queue::storage", storage_id, storage_location}};
//     }
//   };
#pragma once

#include <string>
#include <vector>

#include "config/node.h"
#include "pipeline/component_id.h"

namespace otlpd {

struct ExtensionReference {
  std::string key;            // the key's path inside the component: "sending_queue::storage"
  ComponentId id;             // the extension it names
  config::Location location;  // where the value is written
};

class ReferencesExtensions {
 public:
  virtual ~ReferencesExtensions() = default;
  virtual std::vector<ExtensionReference> ExtensionReferences() const = 0;
};

}  // namespace otlpd
