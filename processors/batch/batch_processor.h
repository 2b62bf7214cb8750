// BatchProcessor<B>: the batch processor (YAML type "batch"). Collects requests into batches of
// about send_batch_size items, one batch per distinct combination of the configured client
// metadata values, and sends a batch when it reaches send_batch_size or its oldest item has
// waited `timeout`. Larger batches are split into exactly send_batch_max_size items. Encoded
// batches are appended and split on their bytes (pipeline/encoded_split.h), never decoded.
//
//   processor::batch::Config cfg;                  // send_batch_size 8192, timeout 200ms
//   BatchProcessor<TracesBatch> batch(settings, cfg, exporter);
//   batch.Start(host);                             // starts the one flush thread
//   Status s = batch.Consume(std::move(traces));   // OK: accepted into the pending batch
//   batch.Shutdown(deadline);                      // flushes everything, joins the thread
//
// Threads: Consume is called concurrently by receivers; a size-triggered send runs on the
// calling thread, a timeout-triggered one on the flush thread. Errors of an asynchronous send
// cannot reach any client: they are logged once per batch and counted.
//
// Write-through: when `next` acknowledges durably (every exporter behind it has a persistent
// sending queue, Consumer::AcknowledgesDurably), holding data here would lose what the client
// was answered OK for in a crash. Start then switches the processor to write-through: Consume
// forwards at once (in send_batch_max_size pieces) and returns next's verdict, which is the
// durable append's; the batching happens when the persistent queue's records are read back.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/clock.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/self_metrics.h"
#include "processors/batch/config.h"

namespace otlpd::processor::batch {

template <class B>
class BatchProcessor final : public Processor<B> {
 public:
  // `next` must outlive the processor. Starts no thread (Start does).
  BatchProcessor(const CreateSettings& settings, const Config& cfg, Consumer<B>& next);
  ~BatchProcessor() override;

  Status Start(Host& host) override;
  // Moves the data into the pending batch of its metadata combination and returns OK, or
  // forwards it at once (and returns next's status) when buffering is off or after Shutdown.
  // INTERNAL (permanent, as in the Collector) when the data would open a new metadata
  // combination beyond metadata_cardinality_limit.
  Status Consume(B batch) override;
  Status Admit() const override { return next_.Admit(); }
  // Write-through exactly when next acknowledges durably, so the answer is next's.
  bool AcknowledgesDurably() const override { return next_.AcknowledgesDurably(); }
  bool WriteThroughForTest() const { return write_through_.load(); }
  // Stops the flush thread, then sends every pending batch while `deadline` (measured on the
  // settings' clock) allows; what is left is dropped, logged and counted, and the answer is
  // DEADLINE_EXCEEDED.
  Status Shutdown(Deadline deadline) override;

  // Distinct metadata combinations that currently have a batcher.
  size_t ShardCountForTest() const;

 private:
  // The pending batch of one metadata value combination.
  struct Shard {
    B pending;
    int64_t items = 0;
    Clock::TimePoint flush_at;  // when `pending` is due by timeout; valid while items > 0
    std::shared_ptr<const ClientMetadata> metadata;  // only the configured keys
  };
  struct Chunk {
    B batch;
    int64_t items;
  };
  enum class Trigger { kSize, kTimeout };

  std::string ShardKey(const ClientMetadata& metadata) const;
  std::shared_ptr<const ClientMetadata> ShardMetadata(const ClientMetadata& metadata) const;
  // Moves chunks out of `shard` while it holds at least `threshold` items.
  void TakeChunksLocked(Shard& shard, int64_t threshold, std::vector<Chunk>& out);
  // Sends every chunk to next, outside the lock; failures are logged and counted.
  void Send(std::vector<Chunk>& chunks, Trigger trigger);
  // Forwards a batch without buffering, in send_batch_max_size chunks; next's verdict returns.
  Status Forward(B batch);
  void FlushLoop();

  const ComponentId id_;
  const Config cfg_;
  Consumer<B>& next_;
  Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<SelfMetrics> own_metrics_;  // only when the settings carry none (tests)
  SelfMetrics& metrics_;

  Counter& size_trigger_;
  Counter& timeout_trigger_;
  Gauge& send_size_count_;
  Gauge& send_size_sum_;
  Gauge& cardinality_;
  Counter& send_failed_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Bounded by metadata_cardinality_limit (Consume refuses a new combination beyond it); each
  // shard holds less than send_batch_size items plus one request (see Consume).
  std::map<std::string, std::unique_ptr<Shard>> shards_;
  // Set at Start when next acknowledges durably: Consume forwards instead of buffering.
  std::atomic<bool> write_through_{false};
  bool stopping_ = false;  // the flush thread must exit
  bool stopped_ = false;   // Shutdown ran: nothing may be buffered any more
  // The deadline the flush thread sleeps towards, or min() while it is not sleeping; Consume
  // wakes it only for an earlier deadline.
  Clock::TimePoint flush_wait_until_ = Clock::TimePoint::min();
  uint64_t wake_generation_ = 0;
  std::thread flush_thread_;
};

extern template class BatchProcessor<TracesBatch>;
extern template class BatchProcessor<MetricsBatch>;
extern template class BatchProcessor<LogsBatch>;

}  // namespace otlpd::processor::batch
