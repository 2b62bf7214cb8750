#include "cmd/otlpd/components.h"

namespace otlpd {

Status RegisterComponents(Registry& registry) {
  // Read top to bottom: extensions, receivers, processors, exporters.
  (void)registry;
  return OkStatus();
}

}  // namespace otlpd
