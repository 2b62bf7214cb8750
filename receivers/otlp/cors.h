// CORS for the OTLP/HTTP receiver: which browser origins may POST telemetry, and the answers to
// their preflight requests (the rules of the rs/cors library the Collector uses).
//
//   CorsPolicy cors(*cfg.cors);
//   if (auto origin = cors.AllowOrigin(req["Origin"])) res.set("Access-Control-Allow-Origin", *origin);
//   if (auto pf = cors.Preflight(origin, req["Access-Control-Request-Method"],
//                                req["Access-Control-Request-Headers"])) { /* 204 + headers */ }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "receivers/otlp/config.h"

namespace otlpd::receiver::otlp {

class CorsPolicy {
 public:
  explicit CorsPolicy(const CorsConfig& cfg);

  // The Access-Control-Allow-Origin value for a request from `origin` ("*" when every origin is
  // allowed, else the origin itself), or nullopt when the origin is not allowed or empty.
  std::optional<std::string> AllowOrigin(std::string_view origin) const;

  struct PreflightAnswer {
    std::string allow_origin;
    std::string allow_methods;  // "POST"
    std::string allow_headers;  // the requested headers, when all are allowed
    int64_t max_age = 0;        // 0: no Access-Control-Max-Age header
  };
  // The headers of a successful preflight, or nullopt when the origin, the method or one of the
  // requested headers is not allowed (the answer then carries no CORS headers and the browser
  // blocks the request).
  std::optional<PreflightAnswer> Preflight(std::string_view origin, std::string_view method,
                                           std::string_view request_headers) const;

 private:
  struct OriginPattern {
    std::string prefix;  // whole origin when there is no wildcard
    std::string suffix;
    bool wildcard = false;
  };
  bool any_origin_ = false;
  std::vector<OriginPattern> origins_;
  bool any_header_ = false;
  std::vector<std::string> headers_;  // lower case
  int64_t max_age_ = 0;
};

}  // namespace otlpd::receiver::otlp
