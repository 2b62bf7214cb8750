// Logging: one spdlog logger per component ID, all writing to one sink configured from
// `service.telemetry.logs` (level, encoding console|json). Log state changes and per-batch
// failures; never per item on the hot path, never a secret.
//
//   ConfigureLogging({.level = spdlog::level::debug, .json = false});
//   auto log = GetLogger("exporter/otlp_http/b14");
//   log->warn("dropping {} spans after {} attempts: {}", n, attempts, status.ToString());
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace otlpd {

struct LogSettings {
  spdlog::level::level_enum level = spdlog::level::info;
  bool json = false;  // one JSON object per line instead of console text
};

// Applies to every logger, existing and future. Logs go to stderr.
void ConfigureLogging(const LogSettings& settings);

// The logger named `name` (created on first use, sharing the configured sink).
std::shared_ptr<spdlog::logger> GetLogger(std::string_view name);

}  // namespace otlpd
