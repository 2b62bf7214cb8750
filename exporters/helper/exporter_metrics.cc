#include "exporters/helper/exporter_metrics.h"

#include <string>

namespace otlpd::exporter::helper {
namespace {

std::string Name(std::string_view prefix, Signal signal) {
  return std::string(prefix) + std::string(ItemMetricUnit(signal));
}

Counter& Dropped(SelfMetrics& m, const ComponentId& id, Signal signal, DropReason reason) {
  return m.GetCounter(
      Name("otelcol_exporter_dropped_", signal),
      {{"exporter", id.ToString()}, {"reason", std::string(DropReasonName(reason))}},
      "Items the exporter gave up on, by reason (otlpd).");
}

}  // namespace

std::string_view ItemMetricUnit(Signal signal) {
  switch (signal) {
    case Signal::kTraces:
      return "spans";
    case Signal::kMetrics:
      return "metric_points";
    case Signal::kLogs:
      return "log_records";
  }
  return "items";
}

std::string_view ItemLogUnit(Signal signal) {
  switch (signal) {
    case Signal::kTraces:
      return "spans";
    case Signal::kMetrics:
      return "metric points";
    case Signal::kLogs:
      return "log records";
  }
  return "items";
}

std::string_view DropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kPermanent:
      return "permanent";
    case DropReason::kRetriesExhausted:
      return "retries_exhausted";
    case DropReason::kShutdown:
      return "shutdown";
    case DropReason::kQueueFull:
      return "queue_full";
  }
  return "unknown";
}

ExporterMetrics::ExporterMetrics(SelfMetrics& m, const ComponentId& id, Signal signal)
    : sent(m.GetCounter(Name("otelcol_exporter_sent_", signal), {{"exporter", id.ToString()}},
                        "Items successfully sent to the destination.")),
      send_failed(m.GetCounter(Name("otelcol_exporter_send_failed_", signal),
                               {{"exporter", id.ToString()}},
                               "Items that failed to be sent to the destination.")),
      enqueue_failed(m.GetCounter(Name("otelcol_exporter_enqueue_failed_", signal),
                                  {{"exporter", id.ToString()}},
                                  "Items that failed to be added to the sending queue.")),
      queue_size(
          m.GetGauge("otelcol_exporter_queue_size",
                     {{"exporter", id.ToString()}, {"data_type", std::string(SignalName(signal))}},
                     "Current size of the sending queue (in units of its sizer).")),
      queue_capacity(
          m.GetGauge("otelcol_exporter_queue_capacity",
                     {{"exporter", id.ToString()}, {"data_type", std::string(SignalName(signal))}},
                     "Fixed capacity of the sending queue (in units of its sizer).")),
      dropped_permanent_(Dropped(m, id, signal, DropReason::kPermanent)),
      dropped_retries_exhausted_(Dropped(m, id, signal, DropReason::kRetriesExhausted)),
      dropped_shutdown_(Dropped(m, id, signal, DropReason::kShutdown)),
      dropped_queue_full_(Dropped(m, id, signal, DropReason::kQueueFull)) {}

Counter& ExporterMetrics::dropped(DropReason reason) {
  switch (reason) {
    case DropReason::kPermanent:
      return dropped_permanent_;
    case DropReason::kRetriesExhausted:
      return dropped_retries_exhausted_;
    case DropReason::kShutdown:
      return dropped_shutdown_;
    case DropReason::kQueueFull:
      return dropped_queue_full_;
  }
  return dropped_permanent_;
}

}  // namespace otlpd::exporter::helper
