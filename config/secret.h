// config::Secret: a string that must never be printed (client secrets, header values, tokens).
// Streaming or formatting it yields "[REDACTED]"; only Reveal() gives the value, and only the
// code that sends it over the wire should call that.
//
//   Secret s("hunter2");
//   logger->info("secret is {}", s);   // secret is [REDACTED]
//   curl_set_password(s.Reveal());
#pragma once

#include <ostream>
#include <string>
#include <utility>

namespace otlpd::config {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  static constexpr const char* kRedacted = "[REDACTED]";
  friend std::ostream& operator<<(std::ostream& os, const Secret&) { return os << kRedacted; }
  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  std::string value_;
};

}  // namespace otlpd::config
