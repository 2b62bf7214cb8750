#include "config/duration.h"

#include <cstdint>
#include <string>
#include <utility>

#include "config/map_reader.h"

namespace otlpd::config {
namespace {

constexpr uint64_t kNs = 1;
constexpr uint64_t kUs = 1000 * kNs;
constexpr uint64_t kMs = 1000 * kUs;
constexpr uint64_t kS = 1000 * kMs;
constexpr uint64_t kM = 60 * kS;
constexpr uint64_t kH = 60 * kM;
// The magnitude of INT64_MIN: the largest total a negative duration may reach.
constexpr uint64_t kLimit = uint64_t{1} << 63;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

uint64_t UnitScale(std::string_view unit) {
  if (unit == "ns") return kNs;
  // "µs" as U+00B5 (micro sign) and as U+03BC (Greek mu), both of which Go accepts.
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return kUs;
  if (unit == "ms") return kMs;
  if (unit == "s") return kS;
  if (unit == "m") return kM;
  if (unit == "h") return kH;
  return 0;
}

DurationParse Fail(DurationError e) {
  DurationParse p;
  p.error = e;
  return p;
}

// "<whole>[.<fraction>]<unit>" for one unit, fraction without trailing zeros.
std::string WithFraction(uint64_t ns, uint64_t unit, const char* name) {
  std::string out = std::to_string(ns / unit);
  uint64_t rest = ns % unit;
  if (rest != 0) {
    std::string digits;
    for (uint64_t scale = unit / 10; scale > 0 && rest > 0; scale /= 10) {
      digits += static_cast<char>('0' + rest / scale);
      rest %= scale;
    }
    out += '.' + digits;
  }
  return out + name;
}

}  // namespace

DurationParse ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return DurationParse{};
  if (s.empty()) return Fail(DurationError::kSyntax);

  uint64_t total = 0;
  while (!s.empty()) {
    if (!IsDigit(s[0]) && s[0] != '.') return Fail(DurationError::kSyntax);
    // Integer part, checked for overflow before it can wrap.
    uint64_t whole = 0;
    bool has_whole = false;
    while (!s.empty() && IsDigit(s[0])) {
      if (whole > kLimit / 10) return Fail(DurationError::kOverflow);
      whole = whole * 10 + static_cast<uint64_t>(s[0] - '0');
      if (whole > kLimit) return Fail(DurationError::kOverflow);
      has_whole = true;
      s.remove_prefix(1);
    }
    // Fraction: digits past what 64 bits can hold only add precision below a nanosecond.
    uint64_t fraction = 0;
    uint64_t fraction_scale = 1;
    bool has_fraction = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      while (!s.empty() && IsDigit(s[0])) {
        if (fraction_scale <= UINT64_MAX / 100) {
          fraction = fraction * 10 + static_cast<uint64_t>(s[0] - '0');
          fraction_scale *= 10;
        }
        has_fraction = true;
        s.remove_prefix(1);
      }
    }
    if (!has_whole && !has_fraction) return Fail(DurationError::kSyntax);
    size_t unit_len = 0;
    while (unit_len < s.size() && !IsDigit(s[unit_len]) && s[unit_len] != '.') ++unit_len;
    if (unit_len == 0) return Fail(DurationError::kMissingUnit);
    const uint64_t unit = UnitScale(s.substr(0, unit_len));
    if (unit == 0) return Fail(DurationError::kUnknownUnit);
    s.remove_prefix(unit_len);

    if (whole > kLimit / unit) return Fail(DurationError::kOverflow);
    uint64_t part = whole * unit;
    if (fraction > 0) {
      part += static_cast<uint64_t>(static_cast<long double>(fraction) *
                                    (static_cast<long double>(unit) / fraction_scale));
      if (part > kLimit) return Fail(DurationError::kOverflow);
    }
    total += part;
    if (total > kLimit) return Fail(DurationError::kOverflow);
  }
  if (!negative && total > kLimit - 1) return Fail(DurationError::kOverflow);
  DurationParse p;
  if (negative) {
    if (total != 0) p.error = DurationError::kNegative;
    p.value = std::chrono::nanoseconds(total == kLimit ? INT64_MIN : -static_cast<int64_t>(total));
  } else {
    p.value = std::chrono::nanoseconds(static_cast<int64_t>(total));
  }
  return p;
}

std::optional<Duration> ParseDuration(std::string_view text) {
  DurationParse p = ParseGoDuration(text);
  if (p.error != DurationError::kNone) return std::nullopt;
  return p.value;
}

std::string FormatDuration(Duration d) {
  if (d == Duration::zero()) return "0s";
  std::string sign;
  uint64_t ns;
  if (d.count() < 0) {
    sign = "-";
    ns = d.count() == INT64_MIN ? kLimit : static_cast<uint64_t>(-d.count());
  } else {
    ns = static_cast<uint64_t>(d.count());
  }
  std::string out;
  if (ns >= kH) {
    out += std::to_string(ns / kH) + "h";
    ns %= kH;
  }
  if (ns >= kM) {
    out += std::to_string(ns / kM) + "m";
    ns %= kM;
  }
  // What is left is below a minute: the largest unit that leaves a whole or short fraction.
  if (ns >= kS) {
    out += WithFraction(ns, kS, "s");
  } else if (ns >= kMs) {
    out += WithFraction(ns, kMs, "ms");
  } else if (ns >= kUs) {
    out += WithFraction(ns, kUs, "us");
  } else if (ns > 0) {
    out += std::to_string(ns) + "ns";
  }
  return sign + out;
}

}  // namespace otlpd::config
