// PersistentQueue: the sending queue in a DurableLog (`sending_queue.storage`), a SendingQueue
// like BoundedQueue, so the exporter's workers and Shutdown treat both alike.
//
// Push appends the request to the log and returns only once the log holds it, so a client
// answered OK has its data on disk (as far as the storage's fsync policy promises). A record is
// one version byte, the item count (8 bytes, little endian) and the request as serialised OTLP
// protobuf, uncompressed: the record stays sendable if encoding or compression change between
// runs, and consecutive records concatenate into one valid request (repeated fields merge), which
// is how Pop batches on the read side. Pop turns records into a request through `encode` (the
// sender's EncodeSerialized). Done acknowledges every record of an entry. What is not Done when
// the exporter stops stays in the log, and the next run hands it out first.
//
// Capacity: queue_size in sizer units over pending records (appended, not yet acknowledged),
// plus the log's own disk limit (its Append refuses with UNAVAILABLE). Records recovered from a
// previous run count as requests from the start, and as items once a worker has read them (their
// item counts are inside the records).
//
//   PersistentQueue q(std::move(log), 1000, QueueSizer::kRequests, merge, encode, clock, &gauge);
//   PushOutcome r = q.Push(request, clock, std::nullopt);   // request.payload = OTLP protobuf
//   while (std::optional<QueueEntry> e = q.Pop()) { Send(e->request); q.Done(*e); }
//   q.Close(); ...; q.Abort(); Leftover kept = q.Release();   // closes the log
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporters/helper/queue_config.h"
#include "exporters/helper/sending_queue.h"
#include "pipeline/clock.h"
#include "pipeline/component_id.h"
#include "pipeline/self_metrics.h"
#include "pipeline/signal.h"
#include "pipeline/storage.h"

namespace otlpd::exporter::helper {

// How Pop merges consecutive records into one send.
struct MergeLimits {
  // Keep adding records while the entry holds fewer items than this.
  int64_t min_items = 8192;
  // Never let a merged entry exceed this many items (0: no limit). A single larger record is
  // sent alone, as it is.
  int64_t max_items = 0;
  // Never let a merged entry's protobuf exceed this many bytes: gRPC servers refuse messages
  // over 4 MiB by default, and a merge must not turn acceptable records into a refused request.
  int64_t max_bytes = 4 * 1024 * 1024 - 64 * 1024;
  // How long Pop waits for more records while below min_items (`sending_queue.batch`'s
  // flush_timeout); zero: send what is there at once.
  Clock::Duration flush_timeout = Clock::Duration::zero();
};

// The name of the durable log of one exporter and signal: "otlp_http-backend-traces" for
// otlp_http/backend. '/' (and anything else a log name may not hold) becomes '-'.
std::string DurableLogName(const ComponentId& exporter, Signal signal);

// The merge limits a QueueConfig asks for: `sending_queue.batch` when present, otherwise merge
// what is already waiting (up to 8192 items) without waiting for more.
MergeLimits MergeLimitsFor(const QueueConfig& cfg);

class PersistentQueue final : public SendingQueue {
 public:
  // Turns the protobuf of one or more merged records (and their item count) into the request
  // the sender sends. An error is permanent: the entry is dropped.
  using Encoder = std::function<StatusOr<EncodedRequest>(std::string protobuf, int64_t items)>;

  // Takes the open log. `size_gauge` (may be null) follows size() and must outlive the queue.
  PersistentQueue(std::unique_ptr<DurableLog> log, int64_t capacity, QueueSizer sizer,
                  MergeLimits merge, Encoder encode, Clock& clock, Gauge* size_gauge);
  ~PersistentQueue() override;

  // `request.payload` must be the serialised OTLP protobuf. kOk only once the log holds it.
  PushOutcome Push(EncodedRequest& request, Clock& clock,
                   std::optional<Clock::TimePoint> wait_until) override;
  bool WouldRefuse(int64_t items) const override;
  // One record, or several consecutive ones merged (MergeLimits). Records of the previous run
  // come first. A record that cannot be decoded comes alone, with `error` set; so does a read
  // the log failed (a damaged record, which the log has already dropped: `records` is empty).
  // Once the log reports itself closed (FAILED_PRECONDITION), Pop returns nullopt.
  std::optional<QueueEntry> Pop() override;
  // Acknowledges the entry's records in the log.
  Status Done(const QueueEntry& entry) override;
  void Close() override;
  void Abort() override;
  // Closes the log; what was not Done stays in it (kept = true).
  Leftover Release() override;
  bool durable() const override { return true; }
  int64_t size() const override;
  int64_t capacity() const override { return capacity_; }

  // Records the log held from the previous run when the queue was made.
  int64_t recovered_records() const { return recovered_records_; }

  // The record framing, exposed for tests: version, item count, protobuf.
  static std::string EncodeRecord(std::string_view protobuf, int64_t items);

 private:
  struct Record {
    uint64_t sequence = 0;
    int64_t items = 0;
    std::string protobuf;
    Status error;  // the record's bytes are not a record of ours
  };

  static Record DecodeRecord(StoredRecord stored);
  int64_t Cost(int64_t items) const;
  bool FitsLocked(int64_t cost) const { return size_ == 0 || size_ + cost <= capacity_; }
  void SetSizeLocked(int64_t size);
  // The record kept back by the last merge, or the log's next one; nullopt when none is ready.
  StatusOr<std::optional<Record>> NextRecord();
  // Accounts a record read from the log that was recovered from the previous run.
  void CountRecoveredLocked(const Record& r);
  QueueEntry MakeEntry(std::vector<Record>& records);

  const std::unique_ptr<DurableLog> log_;
  const int64_t capacity_;
  const QueueSizer sizer_;
  const MergeLimits merge_;
  const Encoder encode_;
  Clock& clock_;
  Gauge* const size_gauge_;
  const int64_t recovered_records_;

  // One worker at a time reads and merges records, so that a merge takes consecutive records
  // and `carry_` has one owner. Taken before mu_, never while holding it.
  std::mutex read_mu_;
  std::optional<Record> carry_;  // read from the log but over the merge limits: next Pop's first
  Status read_error_;            // a failed read met while merging: the next Pop reports it

  mutable std::mutex mu_;
  std::condition_variable appended_;  // a record was appended, or Close/Abort
  std::condition_variable not_full_;  // a Done freed room, or Close/Abort
  int64_t size_ = 0;                  // sizer units of pending records, reserved before Append
  int64_t known_items_ = 0;           // items of pending records whose count we know
  int64_t recovered_unread_ = 0;      // records of the previous run not read yet
  uint64_t appends_ = 0;              // grows with every append: Pop's wake-up generation
  bool closed_ = false;
  bool aborted_ = false;
  bool released_ = false;
  Status broken_;  // the log is closed under us: nothing more can be read from it
};

}  // namespace otlpd::exporter::helper
