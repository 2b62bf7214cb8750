// The three OTLP signals, and their names as the YAML spells them ("traces", "metrics", "logs").
//
//   for (Signal s : kAllSignals) std::cout << SignalName(s);
//   std::optional<Signal> s = ParseSignal("traces");
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace otlpd {

enum class Signal { kTraces, kMetrics, kLogs };

inline constexpr std::array<Signal, 3> kAllSignals = {Signal::kTraces, Signal::kMetrics,
                                                      Signal::kLogs};

constexpr std::string_view SignalName(Signal signal) {
  switch (signal) {
    case Signal::kTraces: return "traces";
    case Signal::kMetrics: return "metrics";
    case Signal::kLogs: return "logs";
  }
  return "";
}

constexpr std::optional<Signal> ParseSignal(std::string_view name) {
  for (Signal s : kAllSignals) {
    if (SignalName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace otlpd
