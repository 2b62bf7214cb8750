// The keys every queued exporter shares, read from the exporter's own map: `timeout` (per
// attempt), `retry_on_failure` and `sending_queue`. Each exporter sets its own default timeout
// (otlp_http 30s, otlp_grpc 5s) before decoding.
//
//   helper::Config cfg(std::chrono::seconds(30));
//   helper::DecodeConfig(reader, cfg);   // reader on "exporters::otlp_http/b14"
//   QueuedRetryExporter<TracesBatch> exporter(settings, cfg, std::move(sender));
#pragma once

#include <vector>

#include "config/map_reader.h"
#include "exporters/helper/queue_config.h"
#include "exporters/helper/retry.h"
#include "pipeline/extension_references.h"

namespace otlpd::exporter::helper {

struct Config {
  explicit Config(config::Duration default_timeout = config::Duration::zero())
      : timeout(default_timeout) {}

  // timeout: default set by the exporter, >= 0; 0 = no limit. The longest one send attempt may
  // take (retries each get their own).
  config::Duration timeout;
  RetryConfig retry;  // retry_on_failure
  QueueConfig queue;  // sending_queue
};

// The extensions these keys name (sending_queue::storage), for the service's cross-reference
// check: an exporter's config returns them from ReferencesExtensions::ExtensionReferences.
std::vector<ExtensionReference> ExtensionReferencesOf(const Config& cfg);

// Reads `timeout`, `retry_on_failure` and `sending_queue` (sub-maps are Finish()ed here; the
// exporter's own map is not).
void DecodeConfig(config::MapReader& reader, Config& cfg);

}  // namespace otlpd::exporter::helper
