// ExporterMetrics: the self-metrics of one exporter instance (one ID, one signal), named as the
// Collector names them so existing dashboards work, plus otlpd's count of items finally
// dropped, by reason.
//
//   otelcol_exporter_sent_<unit>{exporter}            items the backend accepted
//   otelcol_exporter_send_failed_<unit>{exporter}     items whose sending finally failed
//   otelcol_exporter_enqueue_failed_<unit>{exporter}  items refused because the queue was full
//   otelcol_exporter_dropped_<unit>{exporter,reason}  reason: permanent | retries_exhausted |
//                                                     shutdown | queue_full
//   otelcol_exporter_queue_size{exporter,data_type}   gauge, in units of the sizer
//   otelcol_exporter_queue_capacity{exporter,data_type}
// where <unit> is spans, metric_points or log_records. The queue gauges carry data_type
// (traces|metrics|logs) because one exporter ID has one queue per signal (as in the Collector).
//
//   ExporterMetrics m(metrics, id, Signal::kTraces);
//   m.sent.Add(batch.ItemCount());
#pragma once

#include <string_view>

#include "pipeline/component_id.h"
#include "pipeline/self_metrics.h"
#include "pipeline/signal.h"

namespace otlpd::exporter::helper {

// "spans", "metric_points", "log_records": the metric name suffix.
std::string_view ItemMetricUnit(Signal signal);
// "spans", "metric points", "log records": for log lines.
std::string_view ItemLogUnit(Signal signal);

enum class DropReason { kPermanent, kRetriesExhausted, kShutdown, kQueueFull };
std::string_view DropReasonName(DropReason reason);

class ExporterMetrics {
 public:
  ExporterMetrics(SelfMetrics& metrics, const ComponentId& id, Signal signal);

  Counter& dropped(DropReason reason);

  Counter& sent;
  Counter& send_failed;
  Counter& enqueue_failed;
  Gauge& queue_size;
  Gauge& queue_capacity;

 private:
  Counter& dropped_permanent_;
  Counter& dropped_retries_exhausted_;
  Counter& dropped_shutdown_;
  Counter& dropped_queue_full_;
};

}  // namespace otlpd::exporter::helper
