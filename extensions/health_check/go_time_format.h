// Time texts the way Go prints them, for answers that Collector users parse: Go's
// time.Duration.String() ("1h2m3.5s", "49.0132518s", "1.5ms") and time.Time's JSON form
// (RFC 3339 with nanoseconds, trailing zeros dropped), in UTC.
//
//   FormatGoDuration(std::chrono::milliseconds(61500));            // "1m1.5s"
//   FormatRfc3339Nano(std::chrono::system_clock::from_time_t(0));  // "1970-01-01T00:00:00Z"
#pragma once

#include <chrono>
#include <string>

namespace otlpd::extension::health_check {

std::string FormatGoDuration(std::chrono::nanoseconds d);
std::string FormatRfc3339Nano(std::chrono::system_clock::time_point t);

// Go's zero time.Time as JSON, which the Collector sends as upSince while not ready.
inline constexpr const char* kGoZeroTime = "0001-01-01T00:00:00Z";

}  // namespace otlpd::extension::health_check
