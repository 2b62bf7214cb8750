#include "pipeline/self_metrics.h"

#include <cassert>

namespace otlpd {
namespace {

// Label values may hold any text; the exposition format escapes backslash, quote and newline.
std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// Prometheus metric names allow [a-zA-Z0-9_:]; the Collector's dotted names
// (otelcol_processor_filter_spans.filtered) are shown with underscores, as its exporter does.
std::string SanitizeName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == ':';
    if (!ok) c = '_';
  }
  return out;
}

std::string RenderLabels(const MetricLabels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += SanitizeName(labels[i].first) + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
  }
  return out + "}";
}

}  // namespace

SelfMetrics::Family& SelfMetrics::FamilyLocked(std::string_view name, std::string_view help,
                                               bool is_counter) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{}).first;
    it->second.is_counter = is_counter;
  }
  // One name is one kind: registering a counter and a gauge under one name is a bug.
  assert(it->second.is_counter == is_counter);
  if (it->second.help.empty()) it->second.help = std::string(help);
  return it->second;
}

Counter& SelfMetrics::GetCounter(std::string_view name, const MetricLabels& labels,
                                 std::string_view help) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyLocked(name, help, true).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& SelfMetrics::GetGauge(std::string_view name, const MetricLabels& labels,
                             std::string_view help) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyLocked(name, help, false).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

int64_t SelfMetrics::CounterValue(std::string_view name, const MetricLabels& labels) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto c = it->second.counters.find(labels);
  return c == it->second.counters.end() ? 0 : c->second->value();
}

int64_t SelfMetrics::GaugeValue(std::string_view name, const MetricLabels& labels) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto g = it->second.gauges.find(labels);
  return g == it->second.gauges.end() ? 0 : g->second->value();
}

std::string SelfMetrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [raw_name, family] : families_) {
    const std::string name = SanitizeName(raw_name) + (family.is_counter ? "_total" : "");
    if (!family.help.empty()) out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + (family.is_counter ? " counter\n" : " gauge\n");
    for (const auto& [labels, c] : family.counters) {
      out += name + RenderLabels(labels) + " " + std::to_string(c->value()) + "\n";
    }
    for (const auto& [labels, g] : family.gauges) {
      out += name + RenderLabels(labels) + " " + std::to_string(g->value()) + "\n";
    }
  }
  return out;
}

}  // namespace otlpd
