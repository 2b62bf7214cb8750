// The resource processor: applies its actions to the resource attributes of every
// ResourceSpans / ResourceMetrics / ResourceLogs of a request (creating an empty resource where
// the request had none), then passes the request on. An encoded batch stays encoded: only its
// resources are decoded and re-framed (encoded_resources.h); a decoded one is edited in place.
//
//   ResourceProcessor<TracesBatch> p(cfg.attributes, next);
//   Status s = p.Consume(std::move(batch));
#pragma once

#include <string>
#include <utility>

#include "pipeline/component.h"
#include "processors/attributes/actions.h"
#include "processors/resource/encoded_resources.h"

namespace otlpd::processor::resource {

template <class B>
class ResourceProcessor final : public Processor<B> {
 public:
  ResourceProcessor(attributes::ActionList actions, Consumer<B>& next)
      : actions_(std::move(actions)), next_(next) {}

  Status Consume(B batch) override {
    if (!batch.is_encoded() || !ApplyToEncoded(batch)) ApplyToResources(batch);
    return next_.Consume(std::move(batch));
  }
  Status Admit() const override { return next_.Admit(); }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

 private:
  void ApplyToResources(B& batch) const;
  // False when the bytes did not parse; the batch is then untouched.
  bool ApplyToEncoded(B& batch) const {
    std::string out;
    switch (ApplyToEncodedResources(batch.encoded(), actions_, batch.metadata(), &out)) {
      case EncodedEdit::kUnchanged: return true;
      case EncodedEdit::kChanged: batch.set_encoded(std::move(out), batch.ItemCount()); return true;
      case EncodedEdit::kMalformed: return false;
    }
    return false;
  }

  const attributes::ActionList actions_;
  Consumer<B>& next_;
};

// One definition per signal, in resource_processor.cc.
template <>
void ResourceProcessor<TracesBatch>::ApplyToResources(TracesBatch& batch) const;
template <>
void ResourceProcessor<MetricsBatch>::ApplyToResources(MetricsBatch& batch) const;
template <>
void ResourceProcessor<LogsBatch>::ApplyToResources(LogsBatch& batch) const;

}  // namespace otlpd::processor::resource
