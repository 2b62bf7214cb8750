#include "extensions/health_check/go_time_format.h"

#include <time.h>

#include <cstdint>
#include <cstdio>

namespace otlpd::extension::health_check {
namespace {

// The last `digits` decimal digits of `v` as a fraction (".5", ".0132518"), trailing zeros
// dropped, nothing when they are all zero; `v` loses those digits.
std::string Fraction(uint64_t& v, int digits) {
  std::string frac(static_cast<size_t>(digits), '0');
  bool any = false;
  for (int i = digits - 1; i >= 0; --i) {
    const auto digit = static_cast<char>('0' + v % 10);
    if (digit != '0') any = true;
    frac[static_cast<size_t>(i)] = digit;
    v /= 10;
  }
  if (!any) return "";
  frac.erase(frac.find_last_not_of('0') + 1);
  return "." + frac;
}

}  // namespace

std::string FormatGoDuration(std::chrono::nanoseconds d) {
  const int64_t ns = d.count();
  if (ns == 0) return "0s";
  const bool negative = ns < 0;
  // Unsigned, so that the most negative value survives the sign flip.
  uint64_t u = negative ? uint64_t{0} - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string out;
  if (u < 1'000'000'000) {
    // Below a second Go picks the largest unit that keeps an integer part: ns, µs or ms.
    if (u < 1'000) {
      out = std::to_string(u) + "ns";
    } else if (u < 1'000'000) {
      std::string frac = Fraction(u, 3);
      out = std::to_string(u) + frac + "\u00b5s";
    } else {
      std::string frac = Fraction(u, 6);
      out = std::to_string(u) + frac + "ms";
    }
  } else {
    std::string frac = Fraction(u, 9);  // u is now whole seconds
    out = std::to_string(u % 60) + frac + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

std::string FormatRfc3339Nano(std::chrono::system_clock::time_point t) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  int64_t secs = since_epoch.count() / 1'000'000'000;
  int64_t nanos = since_epoch.count() % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --secs;
  }
  const time_t tt = static_cast<time_t>(secs);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  uint64_t n = static_cast<uint64_t>(nanos);
  return std::string(buf) + Fraction(n, 9) + "Z";
}

}  // namespace otlpd::extension::health_check
