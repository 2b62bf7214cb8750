// Batcher<B>: exporter-side batching (`sending_queue.batch`). Merges incoming requests and hands
// out a batch when it holds min_size items or its oldest item has waited flush_timeout; batches
// larger than max_size are split exactly. Sizes count items. Encoded batches are merged and
// split on their bytes (pipeline/encoded_split.h) and stay encoded; only when everything added
// was decoded are the objects merged (AppendRequest).
//
// In otlpd the batcher sits in front of the queue, so the queue keeps holding encoded bytes and
// its sizer counts finished batches. Client metadata does not survive merging (exporters send
// none of it).
//
//   Batcher<TracesBatch> batcher(cfg.batch, clock, [&](TracesBatch b) { EncodeAndQueue(b); });
//   batcher.Start();                        // the flush thread (timeouts)
//   batcher.Add(std::move(batch));          // may flush on this thread when min_size is reached
//   batcher.Shutdown();                     // flushes what is pending, joins the thread
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "exporters/helper/queue_config.h"
#include "pipeline/clock.h"
#include "pipeline/telemetry.h"

namespace otlpd::exporter::helper {

template <class B>
class Batcher {
 public:
  // Receives each finished batch, outside the batcher's lock: on the thread that called Add (a
  // size flush), on the flush thread (a timeout flush) or in Shutdown.
  using Flush = std::function<void(B batch)>;

  Batcher(const QueueBatchConfig& cfg, Clock& clock, Flush flush);
  ~Batcher();

  void Start();
  // Takes the batch. Holds at most min_size - 1 items plus one request between calls: anything
  // at or above min_size is flushed before Add returns.
  void Add(B batch);
  // Flushes everything pending (in max_size pieces) and joins the flush thread. Idempotent.
  void Shutdown();

  int64_t PendingItemsForTest() const;

 private:
  // Moves out of `pending_` every batch due now; `all` takes the remainder too.
  void TakeLocked(bool all, std::vector<B>& out);
  void Loop();

  const QueueBatchConfig cfg_;
  Clock& clock_;
  const Flush flush_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  B pending_;
  int64_t items_ = 0;
  Clock::TimePoint flush_at_{};  // valid while items_ > 0
  bool stopping_ = false;
  std::thread thread_;
};

extern template class Batcher<TracesBatch>;
extern template class Batcher<MetricsBatch>;
extern template class Batcher<LogsBatch>;

}  // namespace otlpd::exporter::helper
