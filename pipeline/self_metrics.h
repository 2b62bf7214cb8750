// SelfMetrics: otlpd's own counters and gauges (accepted/refused items, queue sizes, ...), named
// as the Collector names them so existing dashboards work, and rendered in the Prometheus text
// format by the telemetry endpoint.
//
// Get*() registers on first use and returns a reference that stays valid for the registry's
// lifetime; hot paths look the instrument up once and keep the reference. Updates are atomic.
//
//   Counter& accepted = metrics.GetCounter("otelcol_receiver_accepted_spans",
//                                          {{"receiver", "otlp"}, {"transport", "http"}},
//                                          "Spans successfully pushed into the pipeline.");
//   accepted.Add(batch.ItemCount());
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otlpd {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

class SelfMetrics {
 public:
  // `name` without the `_total` suffix; the Prometheus rendering adds it to counters.
  Counter& GetCounter(std::string_view name, const MetricLabels& labels,
                      std::string_view help = "");
  Gauge& GetGauge(std::string_view name, const MetricLabels& labels, std::string_view help = "");

  // Current value, or 0 when never registered. For tests and the health check.
  int64_t CounterValue(std::string_view name, const MetricLabels& labels) const;
  int64_t GaugeValue(std::string_view name, const MetricLabels& labels) const;

  // Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, then samples.
  std::string RenderPrometheus() const;

 private:
  struct Family {
    std::string help;
    bool is_counter = true;
    std::map<MetricLabels, std::unique_ptr<Counter>> counters;
    std::map<MetricLabels, std::unique_ptr<Gauge>> gauges;
  };
  Family& FamilyLocked(std::string_view name, std::string_view help, bool is_counter);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace otlpd
