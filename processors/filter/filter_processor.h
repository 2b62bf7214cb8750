// The filter processor: drops spans, span events, metrics, data points and log records for which
// any configured OTTL condition holds, then removes the scopes and resources left empty.
//
// Order, as in the Collector: resource conditions, then scope, then the item (span, metric,
// log), then what is inside it (span events, data points); a dropped container is not looked
// into. A metric whose data points are all dropped is dropped too; a span whose events are all
// dropped stays. If nothing is left, the request is answered OK without calling `next`.
//
// An encoded traces or logs batch is filtered on its bytes when the conditions allow it
// (encoded_filter.h) and stays encoded; otherwise, and for metrics, the batch is decoded and
// filtered as objects. Both give the same result, counts and errors.
//
// Errors: see FilterConfig::error_mode. Counted: otelcol_processor_filter_spans.filtered,
// ..._datapoints.filtered and ..._logs.filtered, label filter=<component ID>.
//
//   FilterTracesProcessor p(settings, cfg.traces, next);
//   Status s = p.Consume(std::move(batch));   // OK also when every span was dropped
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <spdlog/logger.h>

#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "processors/filter/config.h"
#include "processors/filter/encoded_filter.h"

namespace otlpd::processor::filter {

// What the three signal processors share: conditions, logger, counter, error reporting.
class FilterCore {
 public:
  FilterCore(const CreateSettings& settings, std::shared_ptr<const SignalConditions> conditions,
             std::string_view counter_name, std::string_view counter_help);

  const SignalConditions* conditions() const { return conditions_.get(); }
  // Logs ignored errors (once per batch) and counts what was dropped. Returns the status the
  // request gets when an error under propagate stopped the filtering, else OK.
  Status Finish(const ConditionErrors& errors, int64_t filtered);

  // Filters an encoded batch with `wire` (usable()) and passes on what is left, as the decoded
  // path does. nullopt when the bytes did not parse (a bug: receivers check them); the batch is
  // then untouched and the caller takes the decoded path, which reports them.
  template <class Layout, class B>
  std::optional<Status> ConsumeEncoded(const EncodedFilter<Layout>& wire, B& batch,
                                       Consumer<B>& next) {
    ConditionErrors errors;
    std::string out;
    const EncodedFilterResult r = wire.Run(batch.encoded(), &errors, &out);
    if (r.malformed) return std::nullopt;
    if (Status s = Finish(errors, r.filtered); !s.ok()) return s;
    if (r.resources_left == 0) return OkStatus();
    if (r.changed) batch.set_encoded(std::move(out), batch.ItemCount() - r.filtered);
    return next.Consume(std::move(batch));
  }

 private:
  std::shared_ptr<const SignalConditions> conditions_;
  std::shared_ptr<spdlog::logger> logger_;
  std::string id_;
  Counter* filtered_ = nullptr;
  Counter own_counter_;  // when the settings carry no SelfMetrics (tests)
};

class FilterTracesProcessor final : public TracesProcessor {
 public:
  FilterTracesProcessor(const CreateSettings& settings,
                        std::shared_ptr<const SignalConditions> conditions, TracesConsumer& next);
  Status Consume(TracesBatch batch) override;
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  FilterCore core_;
  const EncodedTracesFilter encoded_;  // planned once from core_'s conditions
  TracesConsumer& next_;
};

class FilterMetricsProcessor final : public MetricsProcessor {
 public:
  FilterMetricsProcessor(const CreateSettings& settings,
                         std::shared_ptr<const SignalConditions> conditions, MetricsConsumer& next);
  Status Consume(MetricsBatch batch) override;
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  FilterCore core_;
  MetricsConsumer& next_;
};

class FilterLogsProcessor final : public LogsProcessor {
 public:
  FilterLogsProcessor(const CreateSettings& settings,
                      std::shared_ptr<const SignalConditions> conditions, LogsConsumer& next);
  Status Consume(LogsBatch batch) override;
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  FilterCore core_;
  const EncodedLogsFilter encoded_;  // planned once from core_'s conditions
  LogsConsumer& next_;
};

}  // namespace otlpd::processor::filter
