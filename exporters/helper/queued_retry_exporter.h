// QueuedRetryExporter<B>: the exporter helper. Wraps one Sender (one send attempt) in the
// Collector's exporterhelper order: queue -> retry -> timeout -> send, and does the counting,
// logging and health reporting, so that every exporter behaves the same way.
//
//   Consume    encodes the batch ONCE (Sender::Encode) and queues the bytes; a full queue
//              refuses with UNAVAILABLE + retry_after (receivers answer 503 + Retry-After).
//              With `sending_queue.batch`, batches are merged first (Batcher); with the queue
//              disabled, Consume sends on the caller's thread and returns the final outcome.
//   workers    num_consumers threads pop requests and send each with retries: permanent errors
//              drop it at once; retryable ones wait max(jittered backoff, retry_after) and try
//              again until max_elapsed_time. A dropped request costs ONE log line naming the
//              exporter, the item count and the last error, and is counted.
//   Shutdown   stops accepting, lets the workers drain the queue until the deadline (retry
//              waits that cannot end before it give up at once), then cancels what is in
//              flight and reports what was not sent as dropped (reason "shutdown").
//
// With `sending_queue.storage` the queue is a PersistentQueue in a DurableLog that the storage
// extension opens at Start: Consume returns OK only once the log holds the request (serialised
// OTLP protobuf; the sender encodes it on the way out), a send that succeeded or failed for good
// acknowledges it, and what was not sent at Shutdown stays in the log (reported as kept, not
// dropped) and is delivered first by the next run. `sending_queue.batch` then merges records on
// the read side instead of holding data in memory. AcknowledgesDurably() says so upstream.
//
// Time (backoff, attempt deadlines, the Shutdown deadline) is measured on CreateSettings::clock;
// jitter comes from Options::random. Both are injectable, so tests never sleep.
//
//   auto exporter = std::make_unique<QueuedRetryExporter<TracesBatch>>(
//       settings, helper_cfg, std::make_unique<MySender>(...));
//   exporter->Start(host);
//   Status s = exporter->Consume(std::move(batch));   // OK = queued, not yet sent
//   exporter->Shutdown(deadline);
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "exporters/helper/batcher.h"
#include "exporters/helper/bounded_queue.h"
#include "exporters/helper/sending_queue.h"
#include "exporters/helper/cancel_token.h"
#include "exporters/helper/config.h"
#include "exporters/helper/exporter_metrics.h"
#include "exporters/helper/retry.h"
#include "exporters/helper/sender.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"

namespace otlpd::exporter::helper {

// The retry_after given with a refusal (full queue, shutting down): about the time a worker
// needs to free a slot, and the smallest hint an HTTP Retry-After (whole seconds) can carry.
inline constexpr std::chrono::milliseconds kRefusalRetryAfter{1000};

template <class B>
class QueuedRetryExporter final : public Exporter<B> {
 public:
  struct Options {
    RandomSource random;  // jitter in [0, 1); DefaultRandomSource() when empty
  };

  // Starts no thread (Start does). CreateSettings::metrics, health and logger may be null (tests).
  QueuedRetryExporter(const CreateSettings& settings, const Config& cfg,
                      std::unique_ptr<Sender<B>> sender, Options options = {});
  // Shuts down at once if Shutdown was never called.
  ~QueuedRetryExporter() override;

  // Starts the sender (auth, clients), opens the durable log when `sending_queue.storage` is
  // set (FAILED_PRECONDITION naming the extension when it is missing or does not store), then
  // starts the workers and the batcher.
  Status Start(Host& host) override;
  // OK: queued (or, without a queue, sent). UNAVAILABLE + retry_after: queue full or shutting
  // down. Encoding errors are returned as they are (permanent).
  Status Consume(B batch) override;
  // UNAVAILABLE while the queue is full or the exporter is stopping.
  Status Admit() const override;
  // True with `sending_queue.storage`: an OK from Consume means the data is in the durable log.
  bool AcknowledgesDurably() const override;
  // `deadline` is measured on CreateSettings::clock. DEADLINE_EXCEEDED when data was dropped.
  Status Shutdown(Deadline deadline) override;

  int64_t QueueSizeForTest() const { return queue_ ? queue_->size() : 0; }
  Sender<B>& sender() { return *sender_; }

 private:
  struct Outcome {
    Status status;
    int attempts = 0;
    std::optional<DropReason> reason;  // set when status is not OK
  };

  Outcome Deliver(const EncodedRequest& request);
  // Waits `wait` before the next attempt. False when the request must be given up because the
  // exporter is shutting down.
  bool WaitBeforeRetry(Clock::Duration wait);
  void AccountSuccess(const EncodedRequest& request, const SendResult& result);
  void Drop(int64_t items, const Outcome& outcome);
  // What the queue holds for a batch: the wire request, or (persistent queue) the serialised
  // OTLP protobuf, which the sender encodes when the record is sent.
  StatusOr<EncodedRequest> EncodeForQueue(B batch);
  // Pushes, waiting for room when block_on_overflow says so; counts enqueue failures.
  PushOutcome Push(EncodedRequest& request);
  Status RefusalFor(const PushOutcome& outcome) const;
  Status OpenPersistentQueue(Host& host);
  // Marks an entry done in the queue (acknowledges it in a durable log); logs a failure.
  void Finish(const QueueEntry& entry);
  Status SendNow(B batch, int64_t items);
  void EnqueueBatch(B batch);
  void WorkerLoop();

  const ComponentId id_;
  const std::string id_string_;
  const Config cfg_;
  std::unique_ptr<Sender<B>> sender_;
  Clock& clock_;
  HealthBoard* const health_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<SelfMetrics> own_metrics_;  // only when the settings carry none
  ExporterMetrics metrics_;
  RandomSource random_;

  CancelToken cancel_;  // fires when Shutdown's deadline has passed
  // Null when sending_queue.enabled is false, and until Start with `storage`.
  std::unique_ptr<SendingQueue> queue_;
  std::unique_ptr<Batcher<B>> batcher_;  // null without sending_queue.batch, or with storage

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // Shutdown began: Consume refuses
  bool shut_down_ = false;
  Clock::TimePoint drain_deadline_ = Clock::TimePoint::max();
  int active_workers_ = 0;
  int active_sync_ = 0;  // Consume calls sending on the caller's thread (queue disabled)
  int64_t shutdown_dropped_items_ = 0;
  int64_t shutdown_dropped_requests_ = 0;
  std::vector<std::thread> workers_;
};

extern template class QueuedRetryExporter<TracesBatch>;
extern template class QueuedRetryExporter<MetricsBatch>;
extern template class QueuedRetryExporter<LogsBatch>;

}  // namespace otlpd::exporter::helper
