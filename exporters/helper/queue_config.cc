#include "exporters/helper/queue_config.h"

#include <string>

namespace otlpd::exporter::helper {

void DecodeQueueConfig(config::MapReader& r, QueueConfig& cfg) {
  r.Bool("enabled", &cfg.enabled);
  r.Int("num_consumers", &cfg.num_consumers, 1, 10'000);
  r.Int("queue_size", &cfg.queue_size, 1);
  std::string sizer;
  if (r.Enum("sizer", &sizer, {"requests", "items"})) {
    cfg.sizer = sizer == "items" ? QueueSizer::kItems : QueueSizer::kRequests;
  }
  r.Bool("block_on_overflow", &cfg.block_on_overflow);
  std::string storage;
  if (r.String("storage", &storage)) {
    StatusOr<ComponentId> id = ComponentId::Parse(storage);
    if (!id.ok()) {
      r.Error("storage", id.status().message());
    } else if (!cfg.enabled) {
      // A persistent queue that is switched off would promise durability nobody gives.
      r.Error("storage", "needs sending_queue::enabled: true (a disabled queue stores nothing)");
    } else {
      cfg.storage = *id;
      if (const config::Node* n = r.node().Find("storage")) cfg.storage_location = n->location();
    }
  }
  if (auto b = r.Child("batch")) {
    QueueBatchConfig batch;
    b->Duration("flush_timeout", &batch.flush_timeout, std::chrono::milliseconds(1));
    const bool min_ok = b->Int("min_size", &batch.min_size, 0) || !b->Has("min_size");
    const bool max_ok = b->Int("max_size", &batch.max_size, 0) || !b->Has("max_size");
    if (min_ok && max_ok && batch.max_size != 0 && batch.max_size < batch.min_size) {
      b->Error("max_size", "must be >= min_size (" + std::to_string(batch.min_size) +
                               ") or 0, got " + std::to_string(batch.max_size));
    }
    b->Finish();
    cfg.batch = batch;
  }
}

}  // namespace otlpd::exporter::helper
