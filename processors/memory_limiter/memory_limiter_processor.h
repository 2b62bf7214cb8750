// The memory_limiter processor: refuses data while the shared MemoryLimiter says memory is above
// the soft limit, and otherwise passes batches on untouched. It drops nothing itself: a refused
// request goes back to the client as UNAVAILABLE (HTTP 503 / gRPC UNAVAILABLE, with a
// retry_after), and the client retries later.
//
// Admit() answers from the same flag, so receivers can refuse a request before reading and
// decoding its body.
//
//   MemoryLimiterProcessor<TracesBatch> p(limiter, next, refused_spans_counter);
//   p.Start(host);                    // starts (or joins) the shared sampler
//   Status s = p.Consume(std::move(batch));
#pragma once

#include <memory>

#include "pipeline/component.h"
#include "pipeline/self_metrics.h"
#include "processors/memory_limiter/memory_limiter.h"

namespace otlpd::processor::memory_limiter {

template <class B>
class MemoryLimiterProcessor final : public Processor<B> {
 public:
  // `refused` counts refused items (otelcol_processor_refused_<items>); it must outlive this.
  MemoryLimiterProcessor(std::shared_ptr<MemoryLimiter> limiter, Consumer<B>& next,
                         Counter& refused)
      : limiter_(std::move(limiter)), next_(next), refused_(refused) {}

  Status Start(Host& host) override {
    (void)host;
    limiter_->Start();
    started_ = true;
    return OkStatus();
  }

  Status Shutdown(Deadline deadline) override {
    (void)deadline;
    if (started_) limiter_->Stop();  // the sampler wakes at once: no wait beyond one check
    started_ = false;
    return OkStatus();
  }

  Status Consume(B batch) override {
    if (limiter_->refusing()) {
      refused_.Add(batch.ItemCount());
      return limiter_->Refusal();
    }
    return next_.Consume(std::move(batch));
  }

  Status Admit() const override {
    if (limiter_->refusing()) return limiter_->Refusal();
    return next_.Admit();
  }
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }

  const MemoryLimiter& limiter() const { return *limiter_; }

 private:
  std::shared_ptr<MemoryLimiter> limiter_;
  Consumer<B>& next_;
  Counter& refused_;
  bool started_ = false;
};

}  // namespace otlpd::processor::memory_limiter
