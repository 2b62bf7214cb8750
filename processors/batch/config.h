// Configuration of the batch processor (YAML type "batch"), with the Collector's keys and
// defaults, and its decoder/validator.
//
//   config::MapReader r(node, "processors::batch", errors);
//   processor::batch::Config cfg;            // member initialisers are the defaults
//   processor::batch::DecodeConfig(r, cfg);  // records every problem in `errors`
//   r.Finish();
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/map_reader.h"
#include "pipeline/factory.h"

namespace otlpd::processor::batch {

struct Config : ComponentConfig {
  // send_batch_size: default 8192, 0..2^32-1. Items that trigger a send; a trigger, not a cap.
  // 0 disables buffering (every request is forwarded at once, split by send_batch_max_size).
  int64_t send_batch_size = 8192;
  // timeout: default 200ms, >= 0. The longest an item waits in a partial batch; 0 disables
  // buffering like send_batch_size 0.
  config::Duration timeout = std::chrono::milliseconds(200);
  // send_batch_max_size: default 0 (unlimited), 0..2^32-1; when set, >= send_batch_size. Larger
  // batches are split into exactly this many items.
  int64_t send_batch_max_size = 0;
  // metadata_keys: default none. Client metadata keys (case-insensitive, stored lower case,
  // unique) whose values partition the data into separate batches.
  std::vector<std::string> metadata_keys;
  // metadata_cardinality_limit: default 1000, 0 = unlimited. Most distinct metadata value
  // combinations buffered at once.
  int64_t metadata_cardinality_limit = 1000;

  // True when data is forwarded at once instead of buffered (timeout or send_batch_size is 0).
  bool PassThrough() const {
    return timeout == config::Duration::zero() || send_batch_size == 0;
  }
};

// Reads and validates every key above from `reader` (not Finish(): the caller does that).
void DecodeConfig(config::MapReader& reader, Config& cfg);

}  // namespace otlpd::processor::batch
