#include "exporters/debug/config.h"

#include <limits>
#include <string>

namespace otlpd::exporter::debug {

std::string_view VerbosityName(Verbosity v) {
  switch (v) {
    case Verbosity::kBasic: return "basic";
    case Verbosity::kNormal: return "normal";
    case Verbosity::kDetailed: return "detailed";
  }
  return "basic";
}

void DecodeConfig(config::MapReader& r, Config& cfg) {
  std::string verbosity(VerbosityName(cfg.verbosity));
  if (r.Enum("verbosity", &verbosity, {"basic", "normal", "detailed"})) {
    if (verbosity == "normal") cfg.verbosity = Verbosity::kNormal;
    else if (verbosity == "detailed") cfg.verbosity = Verbosity::kDetailed;
    else cfg.verbosity = Verbosity::kBasic;
  }
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();  // Go's int on 32-bit, plenty
  r.Int("sampling_initial", &cfg.sampling_initial, 0, kMax);
  r.Int("sampling_thereafter", &cfg.sampling_thereafter, 0, kMax);
}

}  // namespace otlpd::exporter::debug
