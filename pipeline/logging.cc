#include "pipeline/logging.h"

#include <mutex>
#include <string>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/pattern_formatter.h>
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

// Appends `text` JSON-escaped (RFC 8259: quote, backslash and control characters).
void AppendJsonEscaped(std::string_view text, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    switch (c) {
      case '"': dest.append(std::string_view("\\\"")); break;
      case '\\': dest.append(std::string_view("\\\\")); break;
      case '\n': dest.append(std::string_view("\\n")); break;
      case '\r': dest.append(std::string_view("\\r")); break;
      case '\t': dest.append(std::string_view("\\t")); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
          dest.append(esc, esc + sizeof(esc));
        } else {
          dest.push_back(c);
        }
    }
  }
}

// %* in a pattern: the message, JSON-escaped. Messages carry user data (IDs, server error
// texts), so the JSON encoding must escape them to stay parseable.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    AppendJsonEscaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %& in a pattern: the logger name (a component ID, which may hold any printable character),
// JSON-escaped.
class JsonLoggerNameFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    AppendJsonEscaped(std::string_view(msg.logger_name.data(), msg.logger_name.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonLoggerNameFlag>();
  }
};

void ApplyFormat(spdlog::logger& logger, const LogSettings& s) {
  logger.set_level(s.level);
  if (s.json) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonMessageFlag>('*').add_flag<JsonLoggerNameFlag>('&').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%&","msg":"%*"})");
    logger.set_formatter(std::move(formatter));
  } else {
    logger.set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %n: %v", spdlog::pattern_time_type::utc);
  }
}

// protobuf writes its own log lines straight to stderr, and the ones a running collector sees
// are about client input ("String field ... contains invalid UTF-8 data when parsing"): one per
// bad request, so a hostile client could flood the log. They go through the "protobuf" logger
// instead, at debug level; only a fatal one (a bug, protobuf aborts after it) stays an error.
void LogProtobufMessage(google::protobuf::LogLevel level, const char* file, int line,
                        const std::string& message) {
  auto log = GetLogger("protobuf");
  if (level == google::protobuf::LOGLEVEL_FATAL) {
    log->error("{}:{}: {}", file, line, message);
  } else {
    log->debug("{}", message);
  }
}

}  // namespace

void ConfigureLogging(const LogSettings& settings) {
  google::protobuf::SetLogHandler(&LogProtobufMessage);
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
