#include "exporters/helper/queued_retry_exporter.h"

#include <algorithm>
#include <utility>

#include "exporters/helper/persistent_queue.h"
#include "pipeline/logging.h"
#include "pipeline/storage.h"

namespace otlpd::exporter::helper {
namespace {

std::string_view SizerUnit(QueueSizer sizer) {
  return sizer == QueueSizer::kItems ? "items" : "requests";
}

std::string Plural(int n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

template <class B>
QueuedRetryExporter<B>::QueuedRetryExporter(const CreateSettings& settings, const Config& cfg,
                                            std::unique_ptr<Sender<B>> sender, Options options)
    : id_(settings.id),
      id_string_(settings.id.ToString()),
      cfg_(cfg),
      sender_(std::move(sender)),
      clock_(settings.clock != nullptr ? *settings.clock : RealClock::Get()),
      health_(settings.health),
      logger_(settings.logger ? settings.logger : GetLogger("exporter/" + id_string_)),
      own_metrics_(settings.metrics == nullptr ? std::make_unique<SelfMetrics>() : nullptr),
      metrics_(settings.metrics != nullptr ? *settings.metrics : *own_metrics_, settings.id,
               kSignalOf<B>),
      random_(options.random ? std::move(options.random) : DefaultRandomSource()) {
  if (cfg_.queue.enabled) {
    // A persistent queue needs its log, which only Start can open.
    if (!cfg_.queue.storage) {
      queue_ = std::make_unique<BoundedQueue>(cfg_.queue.queue_size, cfg_.queue.sizer,
                                              &metrics_.queue_size);
    }
    metrics_.queue_capacity.Set(cfg_.queue.queue_size);
    // With storage, data goes to the log before anything is merged: batching happens when the
    // records are read back (PersistentQueue), so nothing acknowledged waits in memory.
    if (cfg_.queue.batch && !cfg_.queue.storage) {
      batcher_ = std::make_unique<Batcher<B>>(*cfg_.queue.batch, clock_,
                                              [this](B b) { EnqueueBatch(std::move(b)); });
    }
  }
}

template <class B>
QueuedRetryExporter<B>::~QueuedRetryExporter() {
  Shutdown(clock_.Now()).IgnoreError();
}

template <class B>
Status QueuedRetryExporter<B>::OpenPersistentQueue(Host& host) {
  const std::string ext_id = cfg_.queue.storage->ToString();
  Extension* ext = host.GetExtension(*cfg_.queue.storage);
  if (ext == nullptr) {
    return FailedPreconditionError("exporter " + id_string_ + ": sending_queue::storage: "
                                   "extension \"" + ext_id + "\" is not configured (or not "
                                   "listed in service::extensions)");
  }
  auto* storage = dynamic_cast<StorageProvider*>(ext);
  if (storage == nullptr) {
    return FailedPreconditionError("exporter " + id_string_ + ": sending_queue::storage: "
                                   "extension \"" + ext_id + "\" is not a storage extension");
  }
  const std::string name = DurableLogName(id_, kSignalOf<B>);
  StatusOr<std::unique_ptr<DurableLog>> log = storage->OpenLog(name);
  if (!log.ok()) {
    return log.status().Annotate("exporter " + id_string_ + ": sending_queue::storage " + ext_id +
                                 ": log " + name);
  }
  auto queue = std::make_unique<PersistentQueue>(
      std::move(*log), cfg_.queue.queue_size, cfg_.queue.sizer, MergeLimitsFor(cfg_.queue),
      [this](std::string protobuf, int64_t items) {
        return sender_->EncodeSerialized(std::move(protobuf), items);
      },
      clock_, &metrics_.queue_size);
  if (queue->recovered_records() > 0) {
    logger_->info("exporter {}: recovered {} from the previous run in {} ({}); sending them "
                  "first",
                  id_string_, Plural(static_cast<int>(queue->recovered_records()), "request"),
                  ext_id, name);
  }
  queue_ = std::move(queue);
  return OkStatus();
}

template <class B>
Status QueuedRetryExporter<B>::Start(Host& host) {
  if (Status s = sender_->Start(host); !s.ok()) return s;
  std::lock_guard lock(mu_);
  if (stopping_) return FailedPreconditionError("exporter was shut down before it started");
  if (cfg_.queue.enabled && cfg_.queue.storage && !queue_) {
    if (Status s = OpenPersistentQueue(host); !s.ok()) return s;
  }
  if (queue_) {
    for (int64_t i = 0; i < cfg_.queue.num_consumers; ++i) {
      ++active_workers_;
      workers_.emplace_back([this] { WorkerLoop(); });
    }
  }
  if (batcher_) batcher_->Start();
  return OkStatus();
}

template <class B>
Status QueuedRetryExporter<B>::Admit() const {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      return UnavailableError("exporter " + id_string_ + " is shutting down", kRefusalRetryAfter);
    }
  }
  if (queue_ && !cfg_.queue.block_on_overflow && queue_->WouldRefuse(1)) {
    return UnavailableError("sending queue of exporter " + id_string_ + " is full",
                            kRefusalRetryAfter);
  }
  return OkStatus();
}

template <class B>
bool QueuedRetryExporter<B>::AcknowledgesDurably() const {
  return cfg_.queue.enabled && cfg_.queue.storage.has_value();
}

template <class B>
Status QueuedRetryExporter<B>::Consume(B batch) {
  const int64_t items = batch.ItemCount();
  if (items == 0) return OkStatus();  // nothing to export; a request would carry no data
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      metrics_.enqueue_failed.Add(items);
      return UnavailableError("exporter " + id_string_ + " is shutting down", kRefusalRetryAfter);
    }
    if (cfg_.queue.enabled && !queue_) {
      // Only a persistent queue is made at Start; sending on this thread would skip the log.
      metrics_.enqueue_failed.Add(items);
      return UnavailableError("exporter " + id_string_ + " has not started", kRefusalRetryAfter);
    }
    if (!queue_) ++active_sync_;
  }
  if (!queue_) return SendNow(std::move(batch), items);

  // Refuse before paying for encoding when the answer is already known.
  if (!cfg_.queue.block_on_overflow && queue_->WouldRefuse(items)) {
    metrics_.enqueue_failed.Add(items);
    return RefusalFor({PushResult::kFull, OkStatus()});
  }
  if (batcher_) {
    batcher_->Add(std::move(batch));
    return OkStatus();
  }
  StatusOr<EncodedRequest> encoded = EncodeForQueue(std::move(batch));
  if (!encoded.ok()) {
    metrics_.send_failed.Add(items);
    return encoded.status();
  }
  const PushOutcome pushed = Push(*encoded);
  return pushed.result == PushResult::kOk ? OkStatus() : RefusalFor(pushed);
}

template <class B>
StatusOr<EncodedRequest> QueuedRetryExporter<B>::EncodeForQueue(B batch) {
  if (!queue_->durable()) return sender_->Encode(std::move(batch));
  // The record payload is OTLP protobuf: an encoded batch is stored as it came, never decoded.
  return EncodeProtobuf(batch);
}

template <class B>
PushOutcome QueuedRetryExporter<B>::Push(EncodedRequest& request) {
  const int64_t items = request.items;
  PushOutcome result;
  if (cfg_.queue.block_on_overflow) {
    // Block for room, but not forever: a client waiting on us has a deadline of its own, and
    // the exporter's timeout is the natural bound of "one request's worth" of waiting.
    const Clock::Duration limit = cfg_.timeout > config::Duration::zero()
                                      ? std::chrono::duration_cast<Clock::Duration>(cfg_.timeout)
                                      : std::chrono::duration_cast<Clock::Duration>(
                                            std::chrono::seconds(30));
    result = queue_->Push(request, clock_, clock_.Now() + limit);
  } else {
    result = queue_->Push(request, clock_, std::nullopt);
  }
  if (result.result != PushResult::kOk) metrics_.enqueue_failed.Add(items);
  return result;
}

template <class B>
Status QueuedRetryExporter<B>::RefusalFor(const PushOutcome& outcome) const {
  if (outcome.result == PushResult::kStorageError) {
    // The log's own refusal (size limit, full disk): retryable, so the client sends again later.
    const Status& e = outcome.error;
    return UnavailableError("sending queue of exporter " + id_string_ +
                                " cannot store the request: " + std::string(e.message()),
                            e.retry_after().value_or(kRefusalRetryAfter));
  }
  if (outcome.result == PushResult::kFull) {
    return UnavailableError("sending queue of exporter " + id_string_ + " is full (" +
                                std::to_string(queue_->capacity()) + " " +
                                std::string(SizerUnit(cfg_.queue.sizer)) + ")",
                            kRefusalRetryAfter);
  }
  return UnavailableError("exporter " + id_string_ + " is shutting down", kRefusalRetryAfter);
}

template <class B>
void QueuedRetryExporter<B>::EnqueueBatch(B batch) {
  const int64_t items = batch.ItemCount();
  StatusOr<EncodedRequest> encoded = EncodeForQueue(std::move(batch));
  if (!encoded.ok()) {
    Drop(items, Outcome{encoded.status(), 0, DropReason::kPermanent});
    return;
  }
  // The client was answered when its data entered the batch: from here a refusal is a drop.
  // (Only the in-memory queue batches here; a persistent queue batches on its read side.)
  const PushOutcome pushed = Push(*encoded);
  if (pushed.result == PushResult::kOk) return;
  Drop(items, Outcome{RefusalFor(pushed), 0,
                      pushed.result == PushResult::kClosed ? DropReason::kShutdown
                                                           : DropReason::kQueueFull});
}

template <class B>
Status QueuedRetryExporter<B>::SendNow(B batch, int64_t items) {
  Status result;
  StatusOr<EncodedRequest> encoded = sender_->Encode(std::move(batch));
  if (!encoded.ok()) {
    metrics_.send_failed.Add(items);
    result = encoded.status();
  } else {
    Outcome outcome = Deliver(*encoded);
    if (!outcome.status.ok()) {
      // The caller gets the error (and may retry): counted as failed, not as dropped here.
      metrics_.send_failed.Add(items);
      result = outcome.status;
    }
  }
  {
    std::lock_guard lock(mu_);
    --active_sync_;
  }
  cv_.notify_all();
  return result;
}

template <class B>
void QueuedRetryExporter<B>::WorkerLoop() {
  while (std::optional<QueueEntry> entry = queue_->Pop()) {
    if (!entry->error.ok()) {
      if (entry->records.empty()) {
        // The storage lost a record it could not read back; how many items it held is unknown.
        logger_->error("exporter {}: {}", id_string_, entry->error.ToString());
        continue;
      }
      // Stored data that can no longer be made into a request: retrying cannot help.
      Drop(entry->request.items, Outcome{entry->error, 0, DropReason::kPermanent});
      Finish(*entry);
      continue;
    }
    Outcome outcome = Deliver(entry->request);
    if (!outcome.status.ok()) {
      // Stopped by Shutdown: a durable entry stays in its log for the next run, unacknowledged,
      // and so does the rest: trying each remaining record once more would only delay the stop.
      if (outcome.reason == DropReason::kShutdown && queue_->durable()) break;
      Drop(entry->request.items, outcome);
    }
    Finish(*entry);
  }
  {
    std::lock_guard lock(mu_);
    --active_workers_;
  }
  cv_.notify_all();
}

template <class B>
void QueuedRetryExporter<B>::Finish(const QueueEntry& entry) {
  if (Status s = queue_->Done(entry); !s.ok()) {
    // The data was sent (or dropped for good) but may be handed out again after a restart.
    logger_->error("exporter {}: cannot acknowledge a sent request in the sending queue's "
                   "storage; it may be sent again after a restart: {}",
                   id_string_, s.ToString());
  }
}

template <class B>
typename QueuedRetryExporter<B>::Outcome QueuedRetryExporter<B>::Deliver(
    const EncodedRequest& request) {
  Backoff backoff(cfg_.retry, random_);
  const Clock::TimePoint start = clock_.Now();
  Status last;
  for (int attempt = 1;; ++attempt) {
    if (cancel_.cancelled()) {
      if (last.ok()) last = Status(StatusCode::kCancelled, "exporter is shutting down");
      return {last, attempt - 1, DropReason::kShutdown};
    }
    AttemptContext ctx;
    ctx.clock = &clock_;
    ctx.cancel = &cancel_;
    ctx.attempt = attempt;
    if (cfg_.timeout > config::Duration::zero()) {
      ctx.deadline = clock_.Now() + std::chrono::duration_cast<Clock::Duration>(cfg_.timeout);
    }
    SendResult result = sender_->Send(request, ctx);
    if (health_ != nullptr) {
      health_->RecordExportAttempt(id_string_, result.status.ok(), clock_.Now());
    }
    if (result.status.ok()) {
      AccountSuccess(request, result);
      return {OkStatus(), attempt, std::nullopt};
    }
    last = std::move(result.status);
    if (cancel_.cancelled()) return {last, attempt, DropReason::kShutdown};
    if (!IsRetryable(last)) return {last, attempt, DropReason::kPermanent};
    if (!cfg_.retry.enabled) return {last, attempt, DropReason::kRetriesExhausted};

    Clock::Duration wait = backoff.Next();
    if (last.retry_after()) {
      wait = std::max(wait, std::chrono::duration_cast<Clock::Duration>(*last.retry_after()));
    }
    // As the Collector does: give up when the next attempt would start after max_elapsed_time.
    if (cfg_.retry.max_elapsed_time > config::Duration::zero() &&
        (clock_.Now() - start) + wait > cfg_.retry.max_elapsed_time) {
      return {last, attempt, DropReason::kRetriesExhausted};
    }
    if (!WaitBeforeRetry(wait)) return {last, attempt, DropReason::kShutdown};
  }
}

template <class B>
bool QueuedRetryExporter<B>::WaitBeforeRetry(Clock::Duration wait) {
  std::unique_lock lock(mu_);
  const Clock::TimePoint until = clock_.Now() + wait;
  // While Shutdown drains, a wait that ends after its deadline can only end in a drop: give up
  // now, so that Shutdown can return early. Shutdown notifies cv_ when draining begins.
  auto hopeless = [&] { return stopping_ && until >= drain_deadline_; };
  clock_.WaitUntil(cv_, lock, until, [&] { return cancel_.cancelled() || hopeless(); });
  return !cancel_.cancelled() && !hopeless();
}

template <class B>
void QueuedRetryExporter<B>::AccountSuccess(const EncodedRequest& request,
                                            const SendResult& result) {
  const int64_t rejected = std::clamp<int64_t>(result.rejected_items, 0, request.items);
  metrics_.sent.Add(request.items - rejected);
  const std::string_view unit = ItemLogUnit(kSignalOf<B>);
  if (rejected > 0) {
    metrics_.send_failed.Add(rejected);
    metrics_.dropped(DropReason::kPermanent).Add(rejected);
    logger_->warn("exporter {}: partial success: the backend rejected {} of {} {}: {}",
                  id_string_, rejected, request.items, unit,
                  result.partial_message.empty() ? "(no message)" : result.partial_message);
  } else if (!result.partial_message.empty()) {
    logger_->warn("exporter {}: the backend accepted {} {} with a warning: {}", id_string_,
                  request.items, unit, result.partial_message);
  }
}

template <class B>
void QueuedRetryExporter<B>::Drop(int64_t items, const Outcome& outcome) {
  const DropReason reason = outcome.reason.value_or(DropReason::kPermanent);
  // Items refused by the queue were never sent: counted as enqueue failures, not send failures.
  if (reason != DropReason::kQueueFull) metrics_.send_failed.Add(items);
  metrics_.dropped(reason).Add(items);
  if (reason == DropReason::kShutdown) {
    // Reported by Shutdown in one line with everything else the deadline cut off.
    std::lock_guard lock(mu_);
    shutdown_dropped_items_ += items;
    ++shutdown_dropped_requests_;
    return;
  }
  std::string why;
  switch (reason) {
    case DropReason::kPermanent: why = "not retryable"; break;
    case DropReason::kRetriesExhausted: why = "no more retries"; break;
    case DropReason::kQueueFull: why = "queue full"; break;
    case DropReason::kShutdown: break;
  }
  logger_->error("exporter {}: dropped {} {} after {} ({}): {}", id_string_, items,
                 ItemLogUnit(kSignalOf<B>), Plural(outcome.attempts, "attempt"), why,
                 outcome.status.ToString());
}

template <class B>
Status QueuedRetryExporter<B>::Shutdown(Deadline deadline) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return OkStatus();
    shut_down_ = true;
    stopping_ = true;
    drain_deadline_ = deadline;
  }
  cv_.notify_all();  // retry waits that cannot end before the deadline give up now

  // Pending batches go into the queue first, so that the workers drain them like the rest.
  if (batcher_) batcher_->Shutdown();
  if (queue_) queue_->Close();
  {
    std::unique_lock lock(mu_);
    clock_.WaitUntil(cv_, lock, deadline,
                     [&] { return active_workers_ == 0 && active_sync_ == 0; });
  }
  // Past the deadline (or done): stop whatever is still sending.
  if (queue_) queue_->Abort();
  cancel_.Cancel();
  {
    std::lock_guard lock(mu_);  // pairs with the waits' predicate checks
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  {
    // Callers sending without a queue were cancelled above and return promptly.
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return active_sync_ == 0; });
  }

  int64_t dropped_items = 0;
  int64_t dropped_requests = 0;
  if (queue_) {
    const Leftover left = queue_->Release();
    if (!left.error.ok()) {
      logger_->error("exporter {}: closing the sending queue's storage failed: {}", id_string_,
                     left.error.ToString());
    }
    if (left.kept) {
      if (left.requests > 0) {
        logger_->info("exporter {}: shutdown: {} {} in {} stay queued on disk for the next run",
                      id_string_, left.items, ItemLogUnit(kSignalOf<B>),
                      Plural(static_cast<int>(left.requests), "request"));
      }
    } else {
      dropped_items = left.items;
      dropped_requests = left.requests;
      metrics_.send_failed.Add(dropped_items);
      metrics_.dropped(DropReason::kShutdown).Add(dropped_items);
    }
  }
  {
    std::lock_guard lock(mu_);
    dropped_items += shutdown_dropped_items_;
    dropped_requests += shutdown_dropped_requests_;
  }
  sender_->Shutdown();
  if (dropped_items == 0) return OkStatus();
  logger_->error("exporter {}: shutdown deadline reached; dropped {} {} in {} that could not be "
                 "sent",
                 id_string_, dropped_items, ItemLogUnit(kSignalOf<B>),
                 Plural(static_cast<int>(dropped_requests), "request"));
  return DeadlineExceededError("exporter " + id_string_ + " dropped " +
                               std::to_string(dropped_items) + " " +
                               std::string(ItemLogUnit(kSignalOf<B>)) + " at shutdown");
}

template class QueuedRetryExporter<TracesBatch>;
template class QueuedRetryExporter<MetricsBatch>;
template class QueuedRetryExporter<LogsBatch>;

}  // namespace otlpd::exporter::helper
