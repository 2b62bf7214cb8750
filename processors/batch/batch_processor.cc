#include "processors/batch/batch_processor.h"

#include <algorithm>
#include <utility>

#include "pipeline/logging.h"
#include "pipeline/encoded_split.h"

namespace otlpd::processor::batch {
namespace {

// What one item is called, per signal: in self-metric names (as the Collector's exporter metrics
// spell them) and in log lines.
template <class B>
struct ItemNames;
template <>
struct ItemNames<TracesBatch> {
  static constexpr const char* kMetric = "spans";
  static constexpr const char* kText = "spans";
};
template <>
struct ItemNames<MetricsBatch> {
  static constexpr const char* kMetric = "metric_points";
  static constexpr const char* kText = "data points";
};
template <>
struct ItemNames<LogsBatch> {
  static constexpr const char* kMetric = "log_records";
  static constexpr const char* kText = "log records";
};

SelfMetrics& PickMetrics(const CreateSettings& settings, std::unique_ptr<SelfMetrics>& own) {
  if (settings.metrics != nullptr) return *settings.metrics;
  own = std::make_unique<SelfMetrics>();
  return *own;
}

// The thread sleeps this long at most when nothing is pending; any new batch wakes it earlier.
constexpr auto kIdleWait = std::chrono::hours(1);

}  // namespace

template <class B>
BatchProcessor<B>::BatchProcessor(const CreateSettings& settings, const Config& cfg,
                                  Consumer<B>& next)
    : id_(settings.id),
      cfg_(cfg),
      next_(next),
      clock_(settings.clock != nullptr ? *settings.clock : RealClock::Get()),
      logger_(settings.logger ? settings.logger : GetLogger("processor/" + id_.ToString())),
      metrics_(PickMetrics(settings, own_metrics_)),
      size_trigger_(metrics_.GetCounter("otelcol_processor_batch_batch_size_trigger_send",
                                    {{"processor", id_.ToString()}},
                                    "Number of times the batch was sent due to a size trigger")),
      timeout_trigger_(metrics_.GetCounter("otelcol_processor_batch_timeout_trigger_send",
                                       {{"processor", id_.ToString()}},
                                       "Number of times the batch was sent due to a timeout "
                                       "trigger")),
      // The Collector exports the batch size as a histogram, whose Prometheus series are
      // <name>_count and <name>_sum. SelfMetrics has no histograms, and a counter would gain a
      // _total suffix; these two ever-growing values are therefore kept under exactly the
      // series names a Collector dashboard queries (rate(_sum) / rate(_count) = mean size).
      send_size_count_(metrics_.GetGauge("otelcol_processor_batch_batch_send_size_count",
                                     {{"processor", id_.ToString()}},
                                     "Number of batches sent (count of the batch size "
                                     "histogram)")),
      send_size_sum_(metrics_.GetGauge("otelcol_processor_batch_batch_send_size_sum",
                                   {{"processor", id_.ToString()}},
                                   "Number of units in the batches sent (sum of the batch size "
                                   "histogram)")),
      cardinality_(metrics_.GetGauge("otelcol_processor_batch_metadata_cardinality",
                                 {{"processor", id_.ToString()}},
                                 "Number of distinct metadata value combinations being "
                                 "processed")),
      send_failed_(metrics_.GetCounter(std::string("otelcol_processor_batch_send_failed_") +
                                       ItemNames<B>::kMetric,
                                   {{"processor", id_.ToString()}},
                                   "Items the batch processor could not hand to the next "
                                   "component; they are lost.")) {}

template <class B>
BatchProcessor<B>::~BatchProcessor() {
  // Shutdown normally ran already; this only guarantees no thread outlives the object.
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (flush_thread_.joinable()) flush_thread_.join();
  int64_t pending = 0;
  for (const auto& [key, shard] : shards_) pending += shard->items;
  if (pending > 0) {
    send_failed_.Add(pending);
    logger_->warn("{}: destroyed without Shutdown, dropping {} batched {}", id_.ToString(),
                  pending, ItemNames<B>::kText);
  }
}

template <class B>
Status BatchProcessor<B>::Start(Host& host) {
  (void)host;
  if (next_.AcknowledgesDurably()) {
    // Downstream components started first, so the answer is final now.
    write_through_ = true;
    if (!cfg_.PassThrough()) {
      logger_->info("{}: every exporter behind it has a persistent sending queue: writing "
                    "through, so no acknowledged data waits in memory; batching moves to the "
                    "queue's read side (sending_queue::batch)",
                    id_.ToString());
    }
    return OkStatus();
  }
  if (!cfg_.PassThrough()) flush_thread_ = std::thread([this] { FlushLoop(); });
  return OkStatus();
}

template <class B>
std::string BatchProcessor<B>::ShardKey(const ClientMetadata& metadata) const {
  // Length-prefixed so that no two value lists encode alike; an absent key and a key with an
  // empty value are different combinations, as in the Collector.
  std::string key;
  for (const std::string& k : cfg_.metadata_keys) {
    auto it = metadata.find(k);
    if (it == metadata.end()) {
      key += "-;";
      continue;
    }
    key += std::to_string(it->second.size());
    key += ':';
    for (const std::string& v : it->second) {
      key += std::to_string(v.size());
      key += ':';
      key += v;
    }
    key += ';';
  }
  return key;
}

template <class B>
std::shared_ptr<const ClientMetadata> BatchProcessor<B>::ShardMetadata(
    const ClientMetadata& metadata) const {
  if (cfg_.metadata_keys.empty()) return nullptr;
  auto out = std::make_shared<ClientMetadata>();
  for (const std::string& k : cfg_.metadata_keys) {
    auto it = metadata.find(k);
    if (it != metadata.end()) out->emplace(k, it->second);
  }
  return out;
}

template <class B>
void BatchProcessor<B>::TakeChunksLocked(Shard& shard, int64_t threshold,
                                         std::vector<Chunk>& out) {
  const int64_t max = cfg_.send_batch_max_size;
  while (shard.items > 0 && shard.items >= threshold) {
    if (max > 0 && shard.items > max) {
      out.push_back({SplitBatchKeepingBytes(shard.pending, max), max});
      shard.items -= max;
    } else {
      out.push_back({std::move(shard.pending), shard.items});
      shard.pending = B();
      shard.items = 0;
    }
  }
}

template <class B>
void BatchProcessor<B>::Send(std::vector<Chunk>& chunks, Trigger trigger) {
  for (Chunk& chunk : chunks) {
    Status s = next_.Consume(std::move(chunk.batch));
    if (s.ok()) {
      // As in the Collector, only batches that were handed over count as sent.
      (trigger == Trigger::kSize ? size_trigger_ : timeout_trigger_).Add(1);
      send_size_count_.Add(1);
      send_size_sum_.Add(chunk.items);
      continue;
    }
    send_failed_.Add(chunk.items);
    logger_->warn("{}: dropping a batch of {} {}: the next component refused it: {}",
                  id_.ToString(), chunk.items, ItemNames<B>::kText, s.ToString());
  }
  chunks.clear();
}

template <class B>
Status BatchProcessor<B>::Forward(B batch) {
  std::vector<Chunk> chunks;
  {
    Shard direct{std::move(batch), 0, {}, nullptr};
    direct.items = direct.pending.ItemCount();
    TakeChunksLocked(direct, 1, chunks);  // touches only `direct`: no lock needed
  }
  // Nothing is buffered, so next's verdict can go back to the client. Every chunk is offered;
  // a retryable refusal wins over a permanent one so the client retries (FanOut's rule).
  Status result;
  for (Chunk& chunk : chunks) {
    Status s = next_.Consume(std::move(chunk.batch));
    if (s.ok()) {
      size_trigger_.Add(1);
      send_size_count_.Add(1);
      send_size_sum_.Add(chunk.items);
    } else if (result.ok() || (IsRetryable(s) && !IsRetryable(result))) {
      result = std::move(s);
    }
  }
  return result;
}

template <class B>
Status BatchProcessor<B>::Consume(B batch) {
  const int64_t n = batch.ItemCount();
  if (n == 0) return OkStatus();  // an empty request adds nothing to a batch
  if (cfg_.PassThrough() || write_through_.load(std::memory_order_relaxed)) {
    return Forward(std::move(batch));
  }

  const std::string key = ShardKey(batch.metadata());
  std::vector<Chunk> ready;
  {
    std::unique_lock lock(mu_);
    if (stopped_) {
      lock.unlock();
      return Forward(std::move(batch));
    }
    auto it = shards_.find(key);
    if (it == shards_.end()) {
      if (cfg_.metadata_cardinality_limit > 0 &&
          static_cast<int64_t>(shards_.size()) >= cfg_.metadata_cardinality_limit) {
        // The Collector answers with a permanent error here, which its receivers turn into
        // gRPC INTERNAL / HTTP 500: retrying the same metadata would fail the same way.
        return InternalError("too many batcher metadata-value combinations (limit " +
                             std::to_string(cfg_.metadata_cardinality_limit) + ")");
      }
      auto shard = std::make_unique<Shard>();
      shard->metadata = ShardMetadata(batch.metadata());
      it = shards_.emplace(key, std::move(shard)).first;
      cardinality_.Add(1);
    }
    Shard& shard = *it->second;
    const auto now = clock_.Now();
    if (shard.items == 0) {
      shard.pending = std::move(batch);
      shard.pending.set_metadata(shard.metadata);
      shard.flush_at = now + cfg_.timeout;
      if (shard.flush_at < flush_wait_until_) {
        ++wake_generation_;
        cv_.notify_one();
      }
    } else {
      AppendBatchKeepingBytes(shard.pending, std::move(batch));
    }
    shard.items += n;
    // Size trigger. The full chunks are sent right here, on the caller's thread, outside the
    // lock: a receiver that outpaces the next component is slowed down by its own sends
    // (back-pressure) instead of filling an unbounded queue, and a shard never holds more than
    // send_batch_size - 1 items plus the one request being added.
    if (shard.items >= cfg_.send_batch_size) {
      TakeChunksLocked(shard, cfg_.send_batch_size, ready);
      shard.flush_at = now + cfg_.timeout;  // the rest is the newest data: a full timeout again
    }
  }
  Send(ready, Trigger::kSize);
  return OkStatus();
}

template <class B>
void BatchProcessor<B>::FlushLoop() {
  std::unique_lock lock(mu_);
  std::vector<Chunk> ready;
  while (!stopping_) {
    const auto now = clock_.Now();
    auto next_due = now + kIdleWait;
    for (auto it = shards_.begin(); it != shards_.end();) {
      Shard& shard = *it->second;
      if (shard.items > 0 && shard.flush_at <= now) TakeChunksLocked(shard, 1, ready);
      if (shard.items == 0) {
        // An idle combination costs nothing to rebuild; dropping it keeps the cardinality limit
        // about combinations in use rather than every value ever seen.
        it = shards_.erase(it);
        cardinality_.Add(-1);
        continue;
      }
      next_due = std::min(next_due, shard.flush_at);
      ++it;
    }
    if (!ready.empty()) {
      lock.unlock();
      Send(ready, Trigger::kTimeout);
      lock.lock();
      continue;
    }
    const uint64_t seen = wake_generation_;
    flush_wait_until_ = next_due;
    clock_.WaitUntil(cv_, lock, next_due, [&] { return stopping_ || wake_generation_ != seen; });
    flush_wait_until_ = Clock::TimePoint::min();
  }
}

template <class B>
Status BatchProcessor<B>::Shutdown(Deadline deadline) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return OkStatus();
    stopping_ = true;
  }
  cv_.notify_all();
  // The flush thread finishes the send it may be in; downstream Consume only enqueues, so this
  // is short.
  if (flush_thread_.joinable()) flush_thread_.join();

  std::vector<Chunk> rest;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto& [key, shard] : shards_) TakeChunksLocked(*shard, 1, rest);
    cardinality_.Add(-static_cast<int64_t>(shards_.size()));
    shards_.clear();
  }
  int64_t dropped = 0;
  std::vector<Chunk> one;
  for (Chunk& chunk : rest) {
    if (clock_.Now() >= deadline) {
      dropped += chunk.items;
      continue;
    }
    one.push_back(std::move(chunk));
    Send(one, Trigger::kTimeout);  // the Collector counts the final flush as a timeout send
  }
  if (dropped == 0) return OkStatus();
  send_failed_.Add(dropped);
  logger_->warn("{}: dropping {} {} still batched at the shutdown deadline", id_.ToString(),
                dropped, ItemNames<B>::kText);
  return DeadlineExceededError("batch processor " + id_.ToString() + " dropped " +
                               std::to_string(dropped) + " " + ItemNames<B>::kText +
                               " at the shutdown deadline");
}

template <class B>
size_t BatchProcessor<B>::ShardCountForTest() const {
  std::lock_guard lock(mu_);
  return shards_.size();
}

template class BatchProcessor<TracesBatch>;
template class BatchProcessor<MetricsBatch>;
template class BatchProcessor<LogsBatch>;

}  // namespace otlpd::processor::batch
