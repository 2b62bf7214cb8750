#include "pipeline/logging.h"

#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>

namespace otlpd {
namespace {

std::mutex g_mu;
LogSettings g_settings;

std::shared_ptr<spdlog::sinks::sink> SharedSink() {
  // stderr, unbuffered by the C library, so that lines from a dying process are not lost.
  static auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return sink;
}

void ApplyFormat(spdlog::logger& logger, const LogSettings& s) {
  logger.set_level(s.level);
  if (s.json) {
    // Messages are not JSON-escaped by spdlog's pattern; we keep them free of quotes where we
    // log user data (IDs, status messages are ours), which makes this good enough for shippers.
    logger.set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","msg":"%v"})",
        spdlog::pattern_time_type::utc);
  } else {
    logger.set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %n: %v", spdlog::pattern_time_type::utc);
  }
}

}  // namespace

void ConfigureLogging(const LogSettings& settings) {
  std::lock_guard lock(g_mu);
  g_settings = settings;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { ApplyFormat(*l, settings); });
}

std::shared_ptr<spdlog::logger> GetLogger(std::string_view name) {
  std::lock_guard lock(g_mu);
  const std::string key(name);
  if (auto existing = spdlog::get(key)) return existing;
  auto logger = std::make_shared<spdlog::logger>(key, SharedSink());
  ApplyFormat(*logger, g_settings);
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace otlpd
