// MatchProperties: the `include` / `exclude` blocks of the attributes processor, which choose the
// spans, log records and data points the actions apply to (the Collector's filterconfig).
//
// Every property that is set must match (AND); within one list any entry may match (OR), except
// `attributes` and `resources`, where every listed key must be present and match. Strings match
// exactly (match_type: strict) or by unanchored RE2 search (match_type: regexp).
//
//   include:
//     match_type: regexp
//     services: ["^checkout"]
//     attributes: [{key: http.route, value: "^/api/"}]
//
//   MatchProperties include;
//   DecodeMatchProperties(*reader.Child("include"), &include);
//   bool hit = include.MatchesSpan(resource, scope, span);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "config/map_reader.h"
#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/metrics/v1/metrics.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"
#include "pipeline/signal.h"
#include "processors/common/any_value.h"

namespace otlpd::processor::attributes {

enum class MatchType { kStrict, kRegexp };

// A list of strings or regexes; matches when any entry does.
class StringMatcher {
 public:
  bool empty() const { return strict_.empty() && regexes_.empty(); }
  bool Matches(std::string_view text) const;
  void AddStrict(std::string s) { strict_.push_back(std::move(s)); }
  void AddRegex(std::shared_ptr<const RE2> re) { regexes_.push_back(std::move(re)); }

 private:
  std::vector<std::string> strict_;
  std::vector<std::shared_ptr<const RE2>> regexes_;
};

// `{key: k, value: v}`: key present and, when a value is given, equal (strict, same type) or
// its text matching (regexp).
struct AttributeMatcher {
  std::string key;
  std::optional<AnyValue> value;       // strict
  std::shared_ptr<const RE2> regex;    // regexp
};

// `{name: n, version: v}` of the instrumentation scope; version optional.
struct LibraryMatcher {
  StringMatcher name;
  std::optional<StringMatcher> version;
};

class MatchProperties {
 public:
  MatchType match_type = MatchType::kStrict;
  StringMatcher services;            // resource service.name
  StringMatcher span_names;
  StringMatcher span_kinds;          // SPAN_KIND_SERVER, ...
  StringMatcher log_bodies;          // body as text
  StringMatcher log_severity_texts;
  StringMatcher metric_names;
  std::vector<AttributeMatcher> attributes;  // of the item itself
  std::vector<AttributeMatcher> resources;   // of its resource
  std::vector<LibraryMatcher> libraries;

  bool MatchesSpan(const opentelemetry::proto::resource::v1::Resource& resource,
                   const opentelemetry::proto::common::v1::InstrumentationScope& scope,
                   const opentelemetry::proto::trace::v1::Span& span) const;
  bool MatchesLog(const opentelemetry::proto::resource::v1::Resource& resource,
                  const opentelemetry::proto::common::v1::InstrumentationScope& scope,
                  const opentelemetry::proto::logs::v1::LogRecord& record) const;
  // Data points are chosen by their metric (and its resource and scope).
  bool MatchesMetric(const opentelemetry::proto::resource::v1::Resource& resource,
                     const opentelemetry::proto::common::v1::InstrumentationScope& scope,
                     const opentelemetry::proto::metrics::v1::Metric& metric) const;

  // The properties that are set but mean nothing for `signal` (span_names for logs, ...), as
  // YAML keys; the processor refuses to be created for such a signal rather than ignore them.
  std::vector<std::string> PropertiesNotFor(Signal signal) const;
};

// Reads an include or exclude map. Requires match_type and at least one property.
void DecodeMatchProperties(config::MapReader& reader, MatchProperties* out);

}  // namespace otlpd::processor::attributes
