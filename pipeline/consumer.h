// Consumer<B>: the one interface through which telemetry flows from stage to stage.
//
// Ownership: Consume() takes the batch; the caller's object is empty after the call. OK means
// "accepted" (queued or passed on), not "exported". Consume may be called concurrently from any
// receiver thread. A non-OK status travels back to the client, so pick the code deliberately:
// UNAVAILABLE (+ retry_after) for a refusal the client should retry (memory, full queue),
// INVALID_ARGUMENT for data that can never be accepted, INTERNAL for a permanent fault.
//
//   class Counter : public TracesConsumer {
//     Status Consume(TracesBatch batch) override { n += batch.ItemCount(); return OkStatus(); }
//   };
#pragma once

#include "pipeline/status.h"
#include "pipeline/telemetry.h"

namespace otlpd {

template <class B>
class Consumer {
 public:
  virtual ~Consumer() = default;

  virtual Status Consume(B batch) = 0;

  // A cheap question a receiver asks BEFORE reading or decoding a request: would the pipeline
  // refuse data right now? A memory_limiter above its soft limit answers UNAVAILABLE; stages
  // that never refuse pass the question downstream. Must be lock-free or nearly so: it runs for
  // every request. The answer is advisory; Consume still decides.
  virtual Status Admit() const { return OkStatus(); }

  // True when an OK from Consume means the data is already in durable storage (an exporter with
  // a persistent sending queue), so that a crash after the answer loses nothing. Stages that
  // pass data on synchronously forward the question to their next consumer; a fan-out answers
  // true only if every branch does. The batch processor asks it at Start and, when true, writes
  // through instead of holding data the client was told is safe. Answered from configuration:
  // constant for the component's life.
  virtual bool AcknowledgesDurably() const { return false; }
};

using TracesConsumer = Consumer<TracesBatch>;
using MetricsConsumer = Consumer<MetricsBatch>;
using LogsConsumer = Consumer<LogsBatch>;

}  // namespace otlpd
