// Sender<B>: the one thing an exporter author writes. The helper (QueuedRetryExporter) wraps it
// in the Collector's exporterhelper order: queue -> retry -> timeout -> send.
//
// Encode() turns a batch into wire bytes ONCE (serialised and compressed); those bytes are what
// the queue holds (less memory than message objects) and what every retry sends again. Send()
// makes exactly one attempt and says how it went; it never retries, sleeps or counts: the
// helper does that.
//
//   class MySender : public Sender<TracesBatch> {
//     Status Start(Host& host) override;                            // find auth, open clients
//     StatusOr<EncodedRequest> Encode(TracesBatch batch) override;  // proto + gzip
//     SendResult Send(const EncodedRequest& r, const AttemptContext& ctx) override;
//   };
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "exporters/helper/cancel_token.h"
#include "pipeline/clock.h"
#include "pipeline/component.h"
#include "pipeline/signal.h"
#include "pipeline/status.h"
#include "pipeline/telemetry.h"

namespace otlpd::exporter::helper {

// The signal a batch type carries: kSignalOf<TracesBatch> == Signal::kTraces.
template <class B>
inline constexpr Signal kSignalOf = Signal::kTraces;
template <>
inline constexpr Signal kSignalOf<MetricsBatch> = Signal::kMetrics;
template <>
inline constexpr Signal kSignalOf<LogsBatch> = Signal::kLogs;

// One request on its way to the backend.
struct EncodedRequest {
  std::string payload;  // the body exactly as it goes on the wire
  int64_t items = 0;    // spans, metric data points or log records in it
};

// What one attempt may use and must honour.
struct AttemptContext {
  // The per-attempt timeout, on `clock`; max() when the exporter's `timeout` is 0.
  Clock::TimePoint deadline = Clock::TimePoint::max();
  Clock* clock = nullptr;
  // Cancelled when the exporter's Shutdown deadline has passed: stop at once.
  CancelToken* cancel = nullptr;
  int attempt = 1;  // 1 for the first attempt of a request

  // Time left until `deadline`, at least 1ms; nullopt when there is no deadline.
  std::optional<std::chrono::milliseconds> Remaining() const {
    if (deadline == Clock::TimePoint::max()) return std::nullopt;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock->Now());
    return std::max(left, std::chrono::milliseconds(1));
  }
};

// The outcome of one attempt. `status` decides what happens next, through IsRetryable() and
// its retry_after (the server's Retry-After / RetryInfo).
struct SendResult {
  SendResult() = default;
  SendResult(Status s) : status(std::move(s)) {}  // NOLINT: implicit, `return {status};`
  SendResult(Status s, int64_t rejected, std::string message)
      : status(std::move(s)), rejected_items(rejected), partial_message(std::move(message)) {}

  Status status;
  // With an OK status: items the backend accepted the request but refused for good (OTLP
  // partial success), and its explanation. A non-empty message with 0 items is a warning.
  int64_t rejected_items = 0;
  std::string partial_message;
};

// The batch's request as OTLP protobuf, for a sender or queue that sends or stores exactly that:
// the receiver's bytes themselves when the batch is encoded (moved out, never decoded, so the
// output is byte-identical to what the client sent), else the request serialised. INTERNAL when
// serialising fails.
template <class B>
StatusOr<std::string> TakeProtobuf(B& batch) {
  if (batch.is_encoded()) return batch.TakeEncoded();
  std::string out;
  if (!batch.request().SerializeToString(&out)) {
    return InternalError("cannot serialise the export request");
  }
  return out;
}

// TakeProtobuf with the item count: the EncodedRequest of a sender or queue whose payload is
// plain (uncompressed) OTLP protobuf.
template <class B>
StatusOr<EncodedRequest> EncodeProtobuf(B& batch) {
  const int64_t items = batch.ItemCount();
  StatusOr<std::string> payload = TakeProtobuf(batch);
  if (!payload.ok()) return payload.status();
  return EncodedRequest{std::move(*payload), items};
}

template <class B>
class Sender {
 public:
  virtual ~Sender() = default;

  // Once, before any Encode or Send. An error aborts the service start; name what failed.
  virtual Status Start(Host& host) = 0;

  // Called concurrently from the threads that call Consume (or the batching flush thread). An
  // error is permanent: the data cannot be encoded, and retrying would not change that.
  virtual StatusOr<EncodedRequest> Encode(B batch) = 0;

  // Encodes a request that was kept as serialised OTLP protobuf: what the persistent queue
  // stores, because it stays sendable when encoding or compression change between runs and
  // because consecutive records concatenate into one valid, merged request. Called by the queue
  // workers. The default parses the protobuf and calls Encode; a sender whose wire format is
  // that protobuf (maybe compressed) overrides it to skip the parse. INVALID_ARGUMENT when the
  // bytes do not parse (permanent: the record is dropped).
  virtual StatusOr<EncodedRequest> EncodeSerialized(std::string protobuf, int64_t items) {
    using Request = std::remove_cvref_t<decltype(std::declval<const B&>().request())>;
    auto request = std::make_unique<Request>();
    if (!request->ParseFromString(protobuf)) {
      return InvalidArgumentError("a stored request of " + std::to_string(items) +
                                  " items does not parse as OTLP protobuf");
    }
    return Encode(B(std::move(request)));
  }

  // One attempt, called concurrently by the queue workers. Must return by ctx.deadline (or soon
  // after ctx.cancel fires).
  virtual SendResult Send(const EncodedRequest& request, const AttemptContext& ctx) = 0;

  // Once, after every worker has stopped: close connections.
  virtual void Shutdown() {}
};

}  // namespace otlpd::exporter::helper
