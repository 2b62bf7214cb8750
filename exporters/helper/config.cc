#include "exporters/helper/config.h"

namespace otlpd::exporter::helper {

std::vector<ExtensionReference> ExtensionReferencesOf(const Config& cfg) {
  std::vector<ExtensionReference> refs;
  if (cfg.queue.storage) {
    refs.push_back({"sending_queue::storage", *cfg.queue.storage, cfg.queue.storage_location});
  }
  return refs;
}

void DecodeConfig(config::MapReader& r, Config& cfg) {
  r.Duration("timeout", &cfg.timeout);
  if (auto retry = r.Child("retry_on_failure")) {
    DecodeRetryConfig(*retry, cfg.retry);
    retry->Finish();
  }
  if (auto queue = r.Child("sending_queue")) {
    DecodeQueueConfig(*queue, cfg.queue);
    queue->Finish();
  }
}

}  // namespace otlpd::exporter::helper
