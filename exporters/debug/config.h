// Configuration of the debug exporter (YAML type "debug"), with the Collector's keys and
// defaults, and its decoder/validator.
//
//   config::MapReader r(node, "exporters::debug", errors);
//   exporter::debug::Config cfg;            // verbosity basic, sampling 2 then 1
//   exporter::debug::DecodeConfig(r, cfg);
//   r.Finish();
#pragma once

#include <cstdint>
#include <string_view>

#include "config/map_reader.h"
#include "pipeline/factory.h"

namespace otlpd::exporter::debug {

// How much of each batch is written: one summary line, one line per item, or everything.
enum class Verbosity { kBasic, kNormal, kDetailed };

std::string_view VerbosityName(Verbosity v);

struct Config : ComponentConfig {
  // verbosity: basic (default) | normal | detailed.
  Verbosity verbosity = Verbosity::kBasic;
  // sampling_initial: default 2, >= 0. Batches written in full each second before sampling.
  int64_t sampling_initial = 2;
  // sampling_thereafter: default 1, >= 0. After those, every Nth batch of the same second is
  // written; 1 writes every batch, 0 none.
  int64_t sampling_thereafter = 1;
};

// Reads and validates every key above from `reader` (not Finish(): the caller does that).
void DecodeConfig(config::MapReader& reader, Config& cfg);

}  // namespace otlpd::exporter::debug
