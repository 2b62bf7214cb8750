// config/duration.h: Go duration syntax ("1h30m", "1.5s", "250us"), with the reason a text was
// refused, so that config errors can say more than "invalid". ParseDuration and FormatDuration
// (config/map_reader.h) are built on it.
//
//   DurationParse p = ParseGoDuration("90m");
//   if (p.error == DurationError::kNone) use(p.value);           // 5400s
//   ParseGoDuration("10").error == DurationError::kMissingUnit;  // true
#pragma once

#include <chrono>
#include <string_view>

namespace otlpd::config {

enum class DurationError {
  kNone,
  kSyntax,       // not a duration at all ("abc", "1.s5", "")
  kMissingUnit,  // a number without a unit ("10"); "0" alone is allowed, as in Go
  kUnknownUnit,  // "10d", "5sec"
  kOverflow,     // beyond about 292 years
  kNegative,     // valid Go, but no config field takes a negative duration
};

struct DurationParse {
  std::chrono::nanoseconds value{0};
  DurationError error = DurationError::kNone;
};

// Go's time.ParseDuration: an optional sign, then one or more decimal numbers (with an optional
// fraction) each followed by a unit: ns, us (or µs, μs), ms, s, m, h.
DurationParse ParseGoDuration(std::string_view text);

}  // namespace otlpd::config
