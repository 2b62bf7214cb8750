#include "exporters/helper/persistent_queue.h"

#include <algorithm>
#include <utility>

namespace otlpd::exporter::helper {
namespace {

// The first byte of every record: a later format can be told apart and read alongside.
constexpr char kRecordVersion = 1;
constexpr size_t kHeaderBytes = 1 + 8;

}  // namespace

std::string DurableLogName(const ComponentId& id, Signal signal) {
  std::string name = id.ToString();
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) c = '-';
  }
  return name + "-" + std::string(SignalName(signal));
}

MergeLimits MergeLimitsFor(const QueueConfig& cfg) {
  MergeLimits m;
  if (cfg.batch) {
    m.min_items = cfg.batch->min_size;
    m.max_items = cfg.batch->max_size;
    m.flush_timeout = std::chrono::duration_cast<Clock::Duration>(cfg.batch->flush_timeout);
  }
  return m;
}

std::string PersistentQueue::EncodeRecord(std::string_view protobuf, int64_t items) {
  std::string out;
  out.reserve(kHeaderBytes + protobuf.size());
  out.push_back(kRecordVersion);
  const auto n = static_cast<uint64_t>(items);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(protobuf);
  return out;
}

PersistentQueue::Record PersistentQueue::DecodeRecord(StoredRecord stored) {
  Record r;
  r.sequence = stored.sequence;
  const std::string& d = stored.data;
  if (d.size() < kHeaderBytes || d[0] != kRecordVersion) {
    r.error = InvalidArgumentError("stored record " + std::to_string(stored.sequence) +
                                   " is not a queued request (unknown format)");
    return r;
  }
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) {
    n |= static_cast<uint64_t>(static_cast<unsigned char>(d[1 + i])) << (8 * i);
  }
  r.items = static_cast<int64_t>(n);
  r.protobuf = std::move(stored.data);
  r.protobuf.erase(0, kHeaderBytes);
  return r;
}

PersistentQueue::PersistentQueue(std::unique_ptr<DurableLog> log, int64_t capacity,
                                 QueueSizer sizer, MergeLimits merge, Encoder encode,
                                 Clock& clock, Gauge* size_gauge)
    : log_(std::move(log)),
      capacity_(capacity),
      sizer_(sizer),
      merge_(merge),
      encode_(std::move(encode)),
      clock_(clock),
      size_gauge_(size_gauge),
      recovered_records_(log_->PendingRecords()) {
  std::lock_guard lock(mu_);
  recovered_unread_ = recovered_records_;
  // Recovered records are known as requests now, as items only once read (see the header).
  SetSizeLocked(sizer_ == QueueSizer::kRequests ? recovered_records_ : 0);
}

PersistentQueue::~PersistentQueue() {
  Abort();
  Release();
}

int64_t PersistentQueue::Cost(int64_t items) const {
  return sizer_ == QueueSizer::kItems ? items : 1;
}

void PersistentQueue::SetSizeLocked(int64_t size) {
  size_ = size;
  if (size_gauge_ != nullptr) size_gauge_->Set(size_);
}

PushOutcome PersistentQueue::Push(EncodedRequest& request, Clock& clock,
                                  std::optional<Clock::TimePoint> wait_until) {
  const int64_t cost = Cost(request.items);
  {
    std::unique_lock lock(mu_);
    if (wait_until) {
      clock.WaitUntil(not_full_, lock, *wait_until,
                      [&] { return closed_ || aborted_ || FitsLocked(cost); });
    }
    if (closed_ || aborted_) return {PushResult::kClosed, OkStatus()};
    if (!FitsLocked(cost)) return {PushResult::kFull, OkStatus()};
    // Reserved before the append, so that concurrent pushes cannot overshoot the capacity
    // while each waits for its own write.
    SetSizeLocked(size_ + cost);
    known_items_ += request.items;
  }
  // Outside the lock: the append may wait for an fsync, and workers must keep reading.
  Status appended = log_->Append(EncodeRecord(request.payload, request.items));
  {
    std::lock_guard lock(mu_);
    if (!appended.ok()) {
      SetSizeLocked(size_ - cost);
      known_items_ -= request.items;
      not_full_.notify_all();
      return {PushResult::kStorageError, std::move(appended)};
    }
    ++appends_;
  }
  appended_.notify_one();
  request = EncodedRequest();
  return {PushResult::kOk, OkStatus()};
}

bool PersistentQueue::WouldRefuse(int64_t items) const {
  std::lock_guard lock(mu_);
  return closed_ || aborted_ || !FitsLocked(Cost(items));
}

void PersistentQueue::CountRecoveredLocked(const Record& r) {
  if (recovered_unread_ <= 0) return;
  --recovered_unread_;
  known_items_ += r.items;
  if (sizer_ == QueueSizer::kItems) SetSizeLocked(size_ + r.items);
}

StatusOr<std::optional<PersistentQueue::Record>> PersistentQueue::NextRecord() {
  if (carry_) {
    std::optional<Record> r = std::move(carry_);
    carry_.reset();
    return r;
  }
  StatusOr<std::optional<StoredRecord>> stored = log_->ReadNext();
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<Record>();
  Record r = DecodeRecord(std::move(**stored));
  {
    std::lock_guard lock(mu_);
    CountRecoveredLocked(r);
  }
  return std::optional<Record>(std::move(r));
}

QueueEntry PersistentQueue::MakeEntry(std::vector<Record>& records) {
  QueueEntry e;
  int64_t items = 0;
  std::string protobuf;
  if (records.size() == 1) {
    protobuf = std::move(records[0].protobuf);
  } else {
    // Serialised OTLP export requests of one type concatenate into their merge.
    for (Record& r : records) protobuf += r.protobuf;
  }
  for (const Record& r : records) {
    items += r.items;
    e.records.push_back(r.sequence);
    e.cost += Cost(r.items);
  }
  if (records.size() == 1 && !records[0].error.ok()) {
    e.error = records[0].error;
    return e;
  }
  StatusOr<EncodedRequest> encoded = encode_(std::move(protobuf), items);
  if (encoded.ok()) {
    e.request = std::move(*encoded);
  } else {
    e.error = encoded.status();
  }
  e.request.items = items;
  return e;
}

std::optional<QueueEntry> PersistentQueue::Pop() {
  std::unique_lock reading(read_mu_);
  if (!read_error_.ok()) {
    // A read failure found while merging the previous entry: it is reported on its own.
    QueueEntry e;
    e.error = std::move(read_error_);
    read_error_ = OkStatus();
    return e;
  }
  std::vector<Record> taken;
  int64_t items = 0;
  int64_t bytes = 0;
  std::optional<Clock::TimePoint> flush_at;
  Status read_error;
  while (true) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      if (aborted_ || !broken_.ok()) return std::nullopt;
      seen = appends_;  // read before the log is, so that no append goes unnoticed
    }
    // Take what is ready, within the merge limits.
    bool limit_reached = false;
    while (taken.empty() || items < merge_.min_items) {
      StatusOr<std::optional<Record>> next = NextRecord();
      if (!next.ok()) {
        read_error = next.status();
        break;
      }
      if (!next->has_value()) break;
      Record r = std::move(**next);
      const int64_t size = static_cast<int64_t>(r.protobuf.size());
      // A record we cannot decode travels alone, so that its drop covers no good record.
      const bool alone = !r.error.ok();
      const bool over = (merge_.max_items > 0 && items + r.items > merge_.max_items) ||
                        bytes + size > merge_.max_bytes;
      if (!taken.empty() && (alone || over)) {
        carry_ = std::move(r);
        limit_reached = true;
        break;
      }
      items += r.items;
      bytes += size;
      taken.push_back(std::move(r));
      if (alone) {
        limit_reached = true;
        break;
      }
    }
    if (!read_error.ok() || limit_reached) break;
    if (!taken.empty() && items >= merge_.min_items) break;

    std::unique_lock lock(mu_);
    if (taken.empty()) {
      appended_.wait(lock, [&] { return aborted_ || closed_ || appends_ != seen; });
      if (aborted_) return std::nullopt;
      if (appends_ == seen) return std::nullopt;  // closed, and the log is drained
      continue;
    }
    // Below min_items: wait for more until the flush timeout, unless there is none to wait for.
    if (merge_.flush_timeout <= Clock::Duration::zero() || closed_) break;
    if (!flush_at) flush_at = clock_.Now() + merge_.flush_timeout;
    clock_.WaitUntil(appended_, lock, *flush_at,
                     [&] { return aborted_ || closed_ || appends_ != seen; });
    // Aborted: what was taken stays unacknowledged in the log, for the next run.
    if (aborted_) return std::nullopt;
    if (appends_ == seen) break;  // the flush timeout passed, or Close: send what there is
  }
  if (!read_error.ok()) {
    if (read_error.code() == StatusCode::kFailedPrecondition) {
      // The log is closed: nothing more can be read from it. The workers stop.
      {
        std::lock_guard lock(mu_);
        broken_ = read_error;
      }
      appended_.notify_all();
      read_error = read_error.Annotate("the sending queue's log cannot be read; sending stops");
    } else {
      // One record is damaged: the log has dropped it and hands out the next one on the next
      // read. Reported on its own, after what was taken before it.
      read_error = read_error.Annotate("a stored request could not be read and is lost");
    }
    if (taken.empty()) {
      QueueEntry e;
      e.error = std::move(read_error);
      return e;
    }
    read_error_ = std::move(read_error);
  }
  reading.unlock();  // encoding (compression) runs in parallel on the workers
  return MakeEntry(taken);
}

Status PersistentQueue::Done(const QueueEntry& entry) {
  Status result;
  for (uint64_t sequence : entry.records) {
    Status s = log_->Ack(sequence);
    if (!s.ok() && result.ok()) result = std::move(s);
  }
  {
    std::lock_guard lock(mu_);
    SetSizeLocked(std::max<int64_t>(0, size_ - entry.cost));
    known_items_ = std::max<int64_t>(0, known_items_ - entry.request.items);
  }
  not_full_.notify_all();
  return result;
}

void PersistentQueue::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  appended_.notify_all();
  not_full_.notify_all();
}

void PersistentQueue::Abort() {
  {
    std::lock_guard lock(mu_);
    aborted_ = true;
  }
  appended_.notify_all();
  not_full_.notify_all();
}

Leftover PersistentQueue::Release() {
  std::lock_guard lock(mu_);
  Leftover left;
  left.kept = true;
  if (released_) return left;
  released_ = true;
  left.items = known_items_;
  left.requests = log_->PendingRecords();
  left.error = log_->Close();
  return left;
}

int64_t PersistentQueue::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

}  // namespace otlpd::exporter::helper
