// FanOut<B>: hands one batch to several consumers (the exporters of a pipeline, or the pipelines
// sharing a receiver). The first N-1 get clones, the last gets the original: one copy fewer
// than cloning for everyone.
//
// Status: OK only if every consumer accepted. Otherwise the first retryable error is returned
// (so the client retries; consumers that had accepted may then see duplicates, which is the
// at-least-once side of never losing data), else the first error.
//
//   FanOut<TracesBatch> fan({&exporter_a, &exporter_b});
//   Status s = fan.Consume(std::move(batch));
#pragma once

#include <cassert>
#include <utility>
#include <vector>

#include "pipeline/consumer.h"

namespace otlpd {

template <class B>
class FanOut final : public Consumer<B> {
 public:
  explicit FanOut(std::vector<Consumer<B>*> consumers) : consumers_(std::move(consumers)) {
    assert(!consumers_.empty());
  }

  Status Consume(B batch) override {
    Status result;
    auto merge = [&result](Status s) {
      if (s.ok()) return;
      if (result.ok() || (IsRetryable(s) && !IsRetryable(result))) result = std::move(s);
    };
    for (size_t i = 0; i + 1 < consumers_.size(); ++i) merge(consumers_[i]->Consume(batch.Clone()));
    merge(consumers_.back()->Consume(std::move(batch)));
    return result;
  }

  // Admitted only if every branch would admit.
  Status Admit() const override {
    for (const Consumer<B>* c : consumers_) {
      Status s = c->Admit();
      if (!s.ok()) return s;
    }
    return OkStatus();
  }

  // OK from a fan-out is durable only if every branch's OK is.
  bool AcknowledgesDurably() const override {
    for (const Consumer<B>* c : consumers_) {
      if (!c->AcknowledgesDurably()) return false;
    }
    return true;
  }

 private:
  std::vector<Consumer<B>*> consumers_;
};

}  // namespace otlpd
