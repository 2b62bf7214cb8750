// The sending queue of exporters (`sending_queue`, the Collector's exporterhelper keys and
// defaults), including its optional exporter-side batching (`sending_queue.batch`).
//
//   QueueConfig cfg;                 // enabled, 10 consumers, 1000 requests, non-blocking
//   DecodeQueueConfig(reader, cfg);  // reader on the `sending_queue` map
//   if (cfg.batch) { /* merge small requests before they are queued */ }
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "config/map_reader.h"
#include "pipeline/component_id.h"

namespace otlpd::exporter::helper {

// What the queue capacity counts.
enum class QueueSizer {
  kRequests,  // requests: one per queued request, whatever its size
  kItems,     // items: spans, metric data points or log records
};

struct QueueBatchConfig {
  // flush_timeout: default 200ms, > 0. The longest data waits for a batch to fill.
  config::Duration flush_timeout = std::chrono::milliseconds(200);
  // min_size: default 8192 items, >= 0. A batch is sent as soon as it holds this many.
  int64_t min_size = 8192;
  // max_size: default 0 (unlimited) items; when set, >= min_size. Larger batches are split.
  int64_t max_size = 0;
};

struct QueueConfig {
  // enabled: default true. When false, Consume sends on the caller's thread (retries included)
  // and returns the final outcome.
  bool enabled = true;
  // num_consumers: default 10, >= 1. Worker threads sending concurrently.
  int64_t num_consumers = 10;
  // queue_size: default 1000, >= 1, in units of `sizer`.
  int64_t queue_size = 1000;
  // sizer: requests (default) | items.
  QueueSizer sizer = QueueSizer::kRequests;
  // block_on_overflow: default false. When true a full queue makes Consume wait for room (at
  // most the exporter's `timeout`) instead of refusing at once.
  bool block_on_overflow = false;
  // batch: absent by default (no batching); `batch: {}` turns it on with the defaults above.
  // With `storage`, batching moves to the read side of the persistent queue (nothing waits in
  // memory after the client was answered).
  std::optional<QueueBatchConfig> batch;
  // storage: absent by default (in-memory queue). The ID of a storage extension
  // (`file_storage[/name]`, a valid component ID); the queue then lives in a durable log that
  // the extension opens at Start. Requires enabled: true.
  std::optional<ComponentId> storage;
  config::Location storage_location;  // where `storage` is written, for cross-reference errors
};

// Reads and validates the keys of a `sending_queue` map (not Finish(): the caller does).
// `storage` must be a valid component ID; whether that extension exists and stores is checked
// at Start (helper::ResolveStorage).
void DecodeQueueConfig(config::MapReader& reader, QueueConfig& cfg);

}  // namespace otlpd::exporter::helper
