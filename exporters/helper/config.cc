#include "exporters/helper/config.h"

namespace otlpd::exporter::helper {

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
