#include "processors/attributes/match_properties.h"

#include <charconv>

#include "processors/attributes/actions.h"

namespace otlpd::processor::attributes {
namespace {

std::string_view SpanKindName(int kind) {
  switch (kind) {
    case 1: return "SPAN_KIND_INTERNAL";
    case 2: return "SPAN_KIND_SERVER";
    case 3: return "SPAN_KIND_CLIENT";
    case 4: return "SPAN_KIND_PRODUCER";
    case 5: return "SPAN_KIND_CONSUMER";
    default: return "SPAN_KIND_UNSPECIFIED";
  }
}

// The text a regexp attribute matcher sees (Collector: strings, bools, ints, doubles in plain
// notation); other types never match.
std::optional<std::string> AttributeText(const AnyValue& v) {
  switch (v.value_case()) {
    case AnyValue::kStringValue: return v.string_value();
    case AnyValue::kBoolValue: return std::string(v.bool_value() ? "true" : "false");
    case AnyValue::kIntValue: return std::to_string(v.int_value());
    case AnyValue::kDoubleValue: {
      char buf[512];
      auto res = std::to_chars(buf, buf + sizeof buf, v.double_value(), std::chars_format::fixed);
      if (res.ec != std::errc()) return std::nullopt;
      return std::string(buf, res.ptr);
    }
    default: return std::nullopt;
  }
}

bool MatchAttributes(const std::vector<AttributeMatcher>& matchers, const AttributeList& attrs) {
  for (const AttributeMatcher& m : matchers) {
    const AnyValue* v = FindAttribute(attrs, m.key);
    if (v == nullptr) return false;
    if (m.regex) {
      std::optional<std::string> text = AttributeText(*v);
      if (!text || !RE2::PartialMatch(*text, *m.regex)) return false;
    } else if (m.value && !AnyValuesEqual(*m.value, *v)) {
      return false;
    }
  }
  return true;
}

bool MatchLibraries(const std::vector<LibraryMatcher>& libraries,
                    const opentelemetry::proto::common::v1::InstrumentationScope& scope) {
  if (libraries.empty()) return true;
  for (const LibraryMatcher& l : libraries) {
    if (!l.name.Matches(scope.name())) continue;
    if (l.version && !l.version->Matches(scope.version())) continue;
    return true;
  }
  return false;
}

std::string ServiceName(const opentelemetry::proto::resource::v1::Resource& resource) {
  const AnyValue* v = FindAttribute(resource.attributes(), "service.name");
  return v != nullptr && v->value_case() == AnyValue::kStringValue ? v->string_value() : "";
}

// Adds one pattern (or exact string) to a matcher; false (with an error) for a bad regex.
bool AddPattern(config::MapReader& r, std::string_view key, MatchType type, const std::string& s,
                StringMatcher* out) {
  if (type == MatchType::kStrict) {
    out->AddStrict(s);
    return true;
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<RE2>(s, options);
  if (!re->ok()) {
    r.Error(key, "invalid regular expression \"" + s + "\": " + re->error());
    return false;
  }
  out->AddRegex(std::move(re));
  return true;
}

void DecodeStringList(config::MapReader& r, std::string_view key, MatchType type,
                      StringMatcher* out) {
  std::vector<std::string> items;
  if (!r.StringList(key, &items)) return;
  for (const std::string& s : items) AddPattern(r, key, type, s, out);
}

void DecodeAttributeList(config::MapReader& r, std::string_view key, MatchType type,
                         std::vector<AttributeMatcher>* out) {
  r.ForEachMap(key, [&](config::MapReader& item) {
    AttributeMatcher m;
    if (!item.String("key", &m.key) || m.key.empty()) {
      item.ErrorHere("missing required key \"key\"");
      item.Raw("value");
      return;
    }
    if (const config::Node* value = item.Raw("value")) {
      std::optional<AnyValue> v = ValueFromYaml(*value);
      if (v && type == MatchType::kRegexp) {
        if (v->value_case() != AnyValue::kStringValue) {
          item.Error("value", "with match_type regexp the value must be a string pattern");
          return;
        }
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_shared<RE2>(v->string_value(), options);
        if (!re->ok()) {
          item.Error("value", "invalid regular expression \"" + v->string_value() + "\": " + re->error());
          return;
        }
        m.regex = std::move(re);
      } else {
        m.value = std::move(v);
      }
    }
    out->push_back(std::move(m));
  });
}

}  // namespace

bool StringMatcher::Matches(std::string_view text) const {
  for (const std::string& s : strict_) {
    if (s == text) return true;
  }
  for (const auto& re : regexes_) {
    if (RE2::PartialMatch(text, *re)) return true;
  }
  return false;
}

bool MatchProperties::MatchesSpan(const opentelemetry::proto::resource::v1::Resource& resource,
                                  const opentelemetry::proto::common::v1::InstrumentationScope& scope,
                                  const opentelemetry::proto::trace::v1::Span& span) const {
  if (!services.empty() && !services.Matches(ServiceName(resource))) return false;
  if (!span_names.empty() && !span_names.Matches(span.name())) return false;
  if (!span_kinds.empty() && !span_kinds.Matches(SpanKindName(span.kind()))) return false;
  if (!MatchLibraries(libraries, scope)) return false;
  if (!MatchAttributes(resources, resource.attributes())) return false;
  return MatchAttributes(attributes, span.attributes());
}

bool MatchProperties::MatchesLog(const opentelemetry::proto::resource::v1::Resource& resource,
                                 const opentelemetry::proto::common::v1::InstrumentationScope& scope,
                                 const opentelemetry::proto::logs::v1::LogRecord& record) const {
  if (!log_bodies.empty() &&
      !log_bodies.Matches(record.has_body() ? AnyValueAsString(record.body()) : "")) {
    return false;
  }
  if (!log_severity_texts.empty() && !log_severity_texts.Matches(record.severity_text())) {
    return false;
  }
  if (!MatchLibraries(libraries, scope)) return false;
  if (!MatchAttributes(resources, resource.attributes())) return false;
  return MatchAttributes(attributes, record.attributes());
}

bool MatchProperties::MatchesMetric(const opentelemetry::proto::resource::v1::Resource& resource,
                                    const opentelemetry::proto::common::v1::InstrumentationScope& scope,
                                    const opentelemetry::proto::metrics::v1::Metric& metric) const {
  if (!metric_names.empty() && !metric_names.Matches(metric.name())) return false;
  if (!MatchLibraries(libraries, scope)) return false;
  return MatchAttributes(resources, resource.attributes());
}

std::vector<std::string> MatchProperties::PropertiesNotFor(Signal signal) const {
  std::vector<std::string> out;
  auto check = [&](bool set, const char* name, bool applies) {
    if (set && !applies) out.push_back(name);
  };
  const bool traces = signal == Signal::kTraces;
  const bool logs = signal == Signal::kLogs;
  const bool metrics = signal == Signal::kMetrics;
  check(!services.empty(), "services", traces);
  check(!span_names.empty(), "span_names", traces);
  check(!span_kinds.empty(), "span_kinds", traces);
  check(!log_bodies.empty(), "log_bodies", logs);
  check(!log_severity_texts.empty(), "log_severity_texts", logs);
  check(!metric_names.empty(), "metric_names", metrics);
  check(!attributes.empty(), "attributes", !metrics);
  return out;
}

void DecodeMatchProperties(config::MapReader& r, MatchProperties* out) {
  std::string type;
  if (!r.Enum("match_type", &type, {"strict", "regexp"})) {
    if (!r.Has("match_type")) r.ErrorHere("missing required key \"match_type\" (strict or regexp)");
  }
  out->match_type = type == "regexp" ? MatchType::kRegexp : MatchType::kStrict;
  DecodeStringList(r, "services", out->match_type, &out->services);
  DecodeStringList(r, "span_names", out->match_type, &out->span_names);
  DecodeStringList(r, "span_kinds", out->match_type, &out->span_kinds);
  DecodeStringList(r, "log_bodies", out->match_type, &out->log_bodies);
  DecodeStringList(r, "log_severity_texts", out->match_type, &out->log_severity_texts);
  DecodeStringList(r, "metric_names", out->match_type, &out->metric_names);
  DecodeAttributeList(r, "attributes", out->match_type, &out->attributes);
  DecodeAttributeList(r, "resources", out->match_type, &out->resources);
  r.ForEachMap("libraries", [&](config::MapReader& item) {
    LibraryMatcher l;
    std::string name;
    if (!item.String("name", &name) || name.empty()) {
      item.ErrorHere("missing required key \"name\"");
      item.Raw("version");
      return;
    }
    if (!AddPattern(item, "name", out->match_type, name, &l.name)) return;
    std::string version;
    if (item.String("version", &version)) {
      l.version.emplace();
      if (!AddPattern(item, "version", out->match_type, version, &*l.version)) return;
    }
    out->libraries.push_back(std::move(l));
  });
  const bool any = !out->services.empty() || !out->span_names.empty() ||
                   !out->span_kinds.empty() || !out->log_bodies.empty() ||
                   !out->log_severity_texts.empty() || !out->metric_names.empty() ||
                   !out->attributes.empty() || !out->resources.empty() || !out->libraries.empty();
  const bool has_keys = r.Has("services") || r.Has("span_names") || r.Has("span_kinds") ||
                        r.Has("log_bodies") || r.Has("log_severity_texts") ||
                        r.Has("metric_names") || r.Has("attributes") || r.Has("resources") ||
                        r.Has("libraries");
  if (!any && !has_keys) {
    r.ErrorHere("needs at least one of services, span_names, span_kinds, attributes, resources, "
                "libraries, log_bodies, log_severity_texts or metric_names");
  }
}

}  // namespace otlpd::processor::attributes
