#include "receivers/otlp/cors.h"

#include <algorithm>

namespace otlpd::receiver::otlp {
namespace {

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

CorsPolicy::CorsPolicy(const CorsConfig& cfg) : max_age_(cfg.max_age) {
  for (const std::string& o : cfg.allowed_origins) {
    const std::string origin = ToLower(o);
    if (origin == "*") {
      any_origin_ = true;
      continue;
    }
    OriginPattern p;
    const size_t star = origin.find('*');
    if (star == std::string::npos) {
      p.prefix = origin;
    } else {
      p.wildcard = true;
      p.prefix = origin.substr(0, star);
      p.suffix = origin.substr(star + 1);
    }
    origins_.push_back(std::move(p));
  }
  // What browsers send with an OTLP POST besides the safelisted headers; the configured ones
  // come on top (rs/cors' defaults, plus what the Collector adds).
  headers_ = {"accept", "content-type", "x-requested-with", "origin"};
  for (const std::string& h : cfg.allowed_headers) {
    if (h == "*") any_header_ = true;
    headers_.push_back(ToLower(h));
  }
}

std::optional<std::string> CorsPolicy::AllowOrigin(std::string_view origin) const {
  if (origin.empty()) return std::nullopt;
  if (any_origin_) return std::string("*");
  const std::string lower = ToLower(origin);
  for (const OriginPattern& p : origins_) {
    const bool match =
        p.wildcard ? lower.size() >= p.prefix.size() + p.suffix.size() &&
                         lower.compare(0, p.prefix.size(), p.prefix) == 0 &&
                         lower.compare(lower.size() - p.suffix.size(), p.suffix.size(), p.suffix) == 0
                   : lower == p.prefix;
    if (match) return std::string(origin);
  }
  return std::nullopt;
}

std::optional<CorsPolicy::PreflightAnswer> CorsPolicy::Preflight(
    std::string_view origin, std::string_view method, std::string_view request_headers) const {
  std::optional<std::string> allow = AllowOrigin(origin);
  if (!allow) return std::nullopt;
  if (Trim(method) != "POST") return std::nullopt;
  std::string echoed;
  while (!request_headers.empty()) {
    const size_t comma = request_headers.find(',');
    const std::string_view item = Trim(request_headers.substr(0, comma));
    request_headers =
        comma == std::string_view::npos ? std::string_view() : request_headers.substr(comma + 1);
    if (item.empty()) continue;
    const std::string lower = ToLower(item);
    if (!any_header_ && std::find(headers_.begin(), headers_.end(), lower) == headers_.end()) {
      return std::nullopt;
    }
    if (!echoed.empty()) echoed += ", ";
    echoed += lower;
  }
  return PreflightAnswer{*allow, "POST", echoed, max_age_};
}

}  // namespace otlpd::receiver::otlp
