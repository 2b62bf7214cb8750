#include "exporters/debug/value_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <map>

#include <fmt/format.h>

namespace otlpd::exporter::debug {
namespace {

namespace common = opentelemetry::proto::common::v1;

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t n = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendJson(std::string& out, const AnyValue& v);

void AppendJsonMap(std::string& out, const common::KeyValueList& kvs) {
  // Go's encoder writes map keys sorted; the last of duplicate keys wins, as in a Go map.
  std::map<std::string_view, const AnyValue*> sorted;
  for (const auto& kv : kvs.values()) sorted[kv.key()] = &kv.value();
  out += '{';
  bool first = true;
  for (const auto& [key, value] : sorted) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, key);
    out += ':';
    AppendJson(out, *value);
  }
  out += '}';
}

void AppendJson(std::string& out, const AnyValue& v) {
  switch (v.value_case()) {
    case AnyValue::kStringValue: AppendJsonString(out, v.string_value()); break;
    case AnyValue::kBoolValue: out += v.bool_value() ? "true" : "false"; break;
    case AnyValue::kIntValue: out += std::to_string(v.int_value()); break;
    case AnyValue::kDoubleValue:
      if (std::isfinite(v.double_value())) {
        out += FormatDouble(v.double_value());
      } else {
        AppendJsonString(out, FormatDouble(v.double_value()));
      }
      break;
    case AnyValue::kBytesValue: AppendJsonString(out, Base64(v.bytes_value())); break;
    case AnyValue::kArrayValue: {
      out += '[';
      for (int i = 0; i < v.array_value().values_size(); ++i) {
        if (i) out += ',';
        AppendJson(out, v.array_value().values(i));
      }
      out += ']';
      break;
    }
    case AnyValue::kKvlistValue: AppendJsonMap(out, v.kvlist_value()); break;
    default: out += "null"; break;
  }
}

std::string Shortest(double d, std::chars_format format) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, format);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

}  // namespace

std::string HexId(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string FormatTimestamp(uint64_t unix_nanos) {
  const std::time_t seconds = static_cast<std::time_t>(unix_nanos / 1'000'000'000ull);
  uint64_t frac = unix_nanos % 1'000'000'000ull;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
  std::string out(date);
  if (frac != 0) {
    std::string digits = fmt::format("{:09d}", frac);
    digits.erase(digits.find_last_not_of('0') + 1);
    out += '.';
    out += digits;
  }
  out += " +0000 UTC";
  return out;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  const double abs = std::fabs(d);
  if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Like JavaScript and Go's JSON encoder: "1e-7", not "1e-07".
    std::string s = Shortest(d, std::chars_format::scientific);
    const size_t e = s.find('e');
    if (e != std::string::npos && e + 2 < s.size() && s[e + 2] == '0') s.erase(e + 2, 1);
    return s;
  }
  return Shortest(d, std::chars_format::fixed);
}

std::string ValueAsString(const AnyValue& v) {
  switch (v.value_case()) {
    case AnyValue::kStringValue: return v.string_value();
    case AnyValue::kBoolValue: return v.bool_value() ? "true" : "false";
    case AnyValue::kIntValue: return std::to_string(v.int_value());
    case AnyValue::kDoubleValue: return FormatDouble(v.double_value());
    case AnyValue::kBytesValue: return Base64(v.bytes_value());
    case AnyValue::kArrayValue:
    case AnyValue::kKvlistValue: {
      std::string out;
      AppendJson(out, v);
      return out;
    }
    case AnyValue::kStringValueStrindex: return std::to_string(v.string_value_strindex());
    case AnyValue::VALUE_NOT_SET: return "";
  }
  return "";
}

std::string TypedValue(const AnyValue& v) {
  std::string_view type;
  switch (v.value_case()) {
    case AnyValue::kStringValue: type = "Str"; break;
    case AnyValue::kBoolValue: type = "Bool"; break;
    case AnyValue::kIntValue: type = "Int"; break;
    case AnyValue::kDoubleValue: type = "Double"; break;
    case AnyValue::kBytesValue: type = "Bytes"; break;
    case AnyValue::kArrayValue: type = "Slice"; break;
    case AnyValue::kKvlistValue: type = "Map"; break;
    case AnyValue::kStringValueStrindex: type = "StrIndex"; break;
    case AnyValue::VALUE_NOT_SET: type = "Empty"; break;
  }
  return fmt::format("{}({})", type, ValueAsString(v));
}

std::string SpanKindName(int kind) {
  static constexpr const char* kNames[] = {"Unspecified", "Internal", "Server",
                                           "Client",      "Producer", "Consumer"};
  if (kind >= 0 && kind < 6) return kNames[kind];
  return std::to_string(kind);
}

std::string StatusCodeName(int code) {
  static constexpr const char* kNames[] = {"Unset", "Ok", "Error"};
  if (code >= 0 && code < 3) return kNames[code];
  return std::to_string(code);
}

std::string SeverityName(int severity) {
  if (severity == 0) return "Unspecified";
  if (severity < 1 || severity > 24) return std::to_string(severity);
  static constexpr const char* kLevels[] = {"Trace", "Debug", "Info", "Warn", "Error", "Fatal"};
  const int level = (severity - 1) / 4;
  const int step = (severity - 1) % 4;
  std::string out = kLevels[level];
  if (step > 0) out += std::to_string(step + 1);
  return out;
}

std::string TemporalityName(int temporality) {
  static constexpr const char* kNames[] = {"Unspecified", "Delta", "Cumulative"};
  if (temporality >= 0 && temporality < 3) return kNames[temporality];
  return std::to_string(temporality);
}

}  // namespace otlpd::exporter::debug
