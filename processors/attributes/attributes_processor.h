// The attributes processor: applies the configured actions to the attributes of every span,
// log record and metric data point that include / exclude select (all of them when neither is
// set). Span events, resources and scopes are left alone (the resource processor handles
// resource attributes).
//
//   AttributesTracesProcessor p(cfg, next);
//   Status s = p.Consume(std::move(batch));   // mutates in place, then passes on
#pragma once

#include "pipeline/component.h"
#include "processors/attributes/config.h"

namespace otlpd::processor::attributes {

// include / exclude as one question: should this item be processed?
class Selection {
 public:
  explicit Selection(const AttributesConfig& cfg) : include_(cfg.include), exclude_(cfg.exclude) {}
  template <class Match>
  bool Selected(const Match& matches) const {
    if (include_ && !matches(*include_)) return false;
    if (exclude_ && matches(*exclude_)) return false;
    return true;
  }

 private:
  std::optional<MatchProperties> include_;
  std::optional<MatchProperties> exclude_;
};

class AttributesTracesProcessor final : public TracesProcessor {
 public:
  AttributesTracesProcessor(const AttributesConfig& cfg, TracesConsumer& next)
      : actions_(cfg.actions), selection_(cfg), next_(next) {}
  Status Consume(TracesBatch batch) override;
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  const ActionList actions_;
  const Selection selection_;
  TracesConsumer& next_;
};

class AttributesMetricsProcessor final : public MetricsProcessor {
 public:
  AttributesMetricsProcessor(const AttributesConfig& cfg, MetricsConsumer& next)
      : actions_(cfg.actions), selection_(cfg), next_(next) {}
  Status Consume(MetricsBatch batch) override;
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  const ActionList actions_;
  const Selection selection_;
  MetricsConsumer& next_;
};

class AttributesLogsProcessor final : public LogsProcessor {
 public:
  AttributesLogsProcessor(const AttributesConfig& cfg, LogsConsumer& next)
      : actions_(cfg.actions), selection_(cfg), next_(next) {}
  Status Consume(LogsBatch batch) override;
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  const ActionList actions_;
  const Selection selection_;
  LogsConsumer& next_;
};

}  // namespace otlpd::processor::attributes
