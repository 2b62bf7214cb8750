#include "extensions/file_storage/segment_log.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <vector>

#include "extensions/file_storage/ack_file.h"
#include "extensions/file_storage/segment_format.h"
#include "extensions/file_storage/segment_scan.h"

namespace otlpd::extension::file_storage {
namespace {

// The ack file is rewritten after this many acknowledgements or this much time, whichever
// comes first (and on Close, and whenever a segment is deleted): a crash re-delivers at most
// about this much.
constexpr uint64_t kAcksPerPersist = 1024;
constexpr auto kPersistInterval = std::chrono::seconds(1);
// The retry hint of a full log: acknowledgements free space at the pace of the exporter.
constexpr auto kFullRetryAfter = std::chrono::seconds(1);

Status MakeDirectory(const std::string& path, mode_t permissions) {
  if (mkdir(path.c_str(), permissions) == 0 || errno == EEXIST) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return ErrnoStatus("checking " + path);
    if (!S_ISDIR(st.st_mode)) return UnavailableError("file_storage: " + path + " is not a directory");
    return OkStatus();
  }
  return ErrnoStatus("creating directory " + path);
}

}  // namespace

SegmentLog::SegmentLog(SegmentLogOptions options)
    : options_(std::move(options)),
      max_record_bytes_(std::min<uint64_t>(
          std::numeric_limits<uint32_t>::max(),
          options_.max_size_bytes > kSegmentHeaderSize + kRecordHeaderSize
              ? options_.max_size_bytes - kSegmentHeaderSize - kRecordHeaderSize
              : 0)) {}

SegmentLog::~SegmentLog() {
  bool closed;
  {
    std::lock_guard lock(mu_);
    closed = closed_;
  }
  if (!closed) Close().IgnoreError();  // errors were logged by Close
}

StatusOr<std::unique_ptr<SegmentLog>> SegmentLog::Open(SegmentLogOptions options) {
  std::unique_ptr<SegmentLog> log(new SegmentLog(std::move(options)));
  if (Status s = log->Recover(); !s.ok()) {
    std::lock_guard lock(log->mu_);
    log->closed_ = true;  // nothing to persist: the destructor must not write an ack file
    return s;
  }
  return log;
}

Status SegmentLog::Recover() {
  const std::string& dir = options_.directory;
  if (Status s = MakeDirectory(dir, options_.dir_permissions); !s.ok()) return s;
  const uint64_t acked_below = ReadAckFile(dir, *options_.logger);
  persisted_low_water_ = acked_below;

  std::vector<uint64_t> firsts;
  {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return ErrnoStatus("listing " + dir);
    while (dirent* e = readdir(d)) {
      uint64_t first = 0;
      if (ParseSegmentFileName(e->d_name, &first)) firsts.push_back(first);
    }
    closedir(d);
  }
  std::sort(firsts.begin(), firsts.end());

  // Sequences must increase across the whole log, whatever the files say: a record that goes
  // backwards is damage, which keeps the pending index sorted.
  uint64_t min_sequence = 0;
  for (size_t i = 0; i < firsts.size(); ++i) {
    const std::string path = dir + "/" + SegmentFileName(firsts[i]);
    if (Status s = RecoverSegment(firsts[i], path, i + 1 == firsts.size(), acked_below, &min_sequence);
        !s.ok()) {
      return s;
    }
  }
  next_sequence_ = std::max(acked_below, min_sequence);
  for (const auto& [first, seg] : segments_) next_sequence_ = std::max(next_sequence_, seg.end_sequence);

  // Append to the last segment when it is healthy and has room; otherwise start a new one.
  const bool reuse_last = !segments_.empty() && segments_.rbegin()->second.writable &&
                          segments_.rbegin()->second.size < options_.segment_size_bytes;
  if (!reuse_last) {
    if (Status s = StartSegmentLocked(); !s.ok()) return s;
  }
  CompactLocked();
  options_.logger->info("file_storage log {} opened: {} pending records, {} bytes on disk, next sequence {}",
                        dir, pending_.Count(), disk_bytes_, next_sequence_);
  return OkStatus();
}

Status SegmentLog::RecoverSegment(uint64_t first_sequence, const std::string& path, bool is_last,
                                  uint64_t acked_below, uint64_t* min_sequence) {
  FileDescriptor fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("opening " + path);
  const uint64_t scan_from = std::max(first_sequence, *min_sequence);
  StatusOr<SegmentScan> scan = ScanSegment(fd.get(), path, scan_from, max_record_bytes_);
  if (!scan.ok()) return scan.status();

  Segment seg;
  seg.first_sequence = first_sequence;
  seg.size = scan->file_size;
  seg.end_sequence = scan->records.empty() ? scan_from : scan->records.back().sequence + 1;
  bool writable = true;
  if (scan->damage == SegmentDamage::kTornTail && is_last) {
    // What a crash in the middle of an append leaves: cut it off so appends continue after the
    // last complete record. A header that never got written completely is written again.
    options_.logger->warn("{}: torn tail at offset {} ({}): truncated to the last complete record",
                          path, scan->damage_offset, scan->damage_reason);
    uint64_t keep = scan->valid_end;
    if (ftruncate(fd.get(), static_cast<off_t>(keep)) != 0) return ErrnoStatus("truncating " + path);
    if (keep < kSegmentHeaderSize) {
      if (Status s = WriteAll(fd.get(), EncodeSegmentHeader(), 0); !s.ok()) return s.Annotate(path);
      keep = kSegmentHeaderSize;
    }
    if (options_.fsync != FsyncPolicy::kNever && fdatasync(fd.get()) != 0) {
      return ErrnoStatus("syncing " + path);
    }
    seg.size = keep;
  } else if (scan->damage != SegmentDamage::kNone) {
    options_.logger->error(
        "{}: damaged at offset {} ({}): the rest of this segment is skipped; {} records before it "
        "are kept",
        path, scan->damage_offset, scan->damage_reason, scan->records.size());
    writable = false;  // appending after damage would make the new records unreachable
  }

  auto file = std::make_shared<SegmentFile>(path, std::move(fd));
  for (const ScannedRecord& r : scan->records) {
    if (r.sequence >= acked_below) pending_.Add(PendingRecord{r.sequence, file, r.offset, r.length, false});
  }
  seg.file = file;
  seg.writable = writable;
  *min_sequence = seg.end_sequence;
  disk_bytes_ += seg.size;
  segments_[first_sequence] = std::move(seg);
  return OkStatus();
}

Status SegmentLog::StartSegmentLocked() {
  // Only a damaged segment without a single good record can already carry this name; sequences
  // need not be contiguous, so step past it.
  while (segments_.count(next_sequence_) != 0) ++next_sequence_;
  const std::string path = options_.directory + "/" + SegmentFileName(next_sequence_);
  FileDescriptor fd(open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("creating segment " + path);
  if (Status s = WriteAll(fd.get(), EncodeSegmentHeader(), 0); !s.ok()) {
    unlink(path.c_str());
    return s.Annotate(path);
  }
  if (options_.fsync != FsyncPolicy::kNever) {
    // The new file's name must survive a power loss as well as its records.
    if (Status s = SyncDirectory(options_.directory); !s.ok()) return s;
  }
  Segment seg;
  seg.first_sequence = next_sequence_;
  seg.file = std::make_shared<SegmentFile>(path, std::move(fd));
  seg.size = kSegmentHeaderSize;
  seg.end_sequence = next_sequence_;
  disk_bytes_ += seg.size;
  segments_[next_sequence_] = std::move(seg);
  return OkStatus();
}

Status SegmentLog::SyncFile(const SegmentFile& file) {
  if (fdatasync(file.fd()) != 0) return ErrnoStatus("syncing " + file.path());
  fsync_count_.fetch_add(1, std::memory_order_relaxed);
  return OkStatus();
}

GroupCommit::PendingSync SegmentLog::CaptureSync() {
  if (options_.before_group_sync_for_test) options_.before_group_sync_for_test();
  std::shared_ptr<SegmentFile> file;
  uint64_t covers;
  {
    std::lock_guard lock(mu_);
    covers = written_ticket_;  // older segments were synced when they were rolled over
    if (segments_.empty()) return {covers, [] { return OkStatus(); }};  // closed: Close synced
    file = segments_.rbegin()->second.file;
  }
  return {covers, [this, file] {
            Status s = SyncFile(*file);
            if (!s.ok()) {
              std::lock_guard lock(mu_);
              broken_ = s;
              options_.logger->error("{}; appends are refused from now on", s.message());
            }
            return s;
          }};
}

Status SegmentLog::Append(std::string_view data) {
  if (data.size() > max_record_bytes_) {
    return InvalidArgumentError("file_storage: record of " + std::to_string(data.size()) +
                                " bytes can never fit in a log of max_size_mib " +
                                std::to_string(options_.max_size_bytes >> 20));
  }
  const uint64_t record_bytes = kRecordHeaderSize + data.size();
  std::shared_ptr<SegmentFile> file;
  uint64_t ticket;
  {
    std::lock_guard lock(mu_);
    if (closed_) return FailedPreconditionError("file_storage: log " + options_.directory + " is closed");
    if (!broken_.ok()) return broken_;
    Segment* active = &segments_.rbegin()->second;
    if (disk_bytes_ + record_bytes > options_.max_size_bytes) {
      // Full, perhaps only of acknowledged records in the active segment, which compaction never
      // deletes: without this the log would refuse every append forever once it filled up.
      if (Status s = ReclaimAcknowledgedActiveLocked(*active); !s.ok()) return s;
    }
    const bool roll = !active->writable ||
                      (active->size > kSegmentHeaderSize &&
                       active->size + record_bytes > options_.segment_size_bytes);
    const uint64_t needed = record_bytes + (roll ? kSegmentHeaderSize : 0);
    if (disk_bytes_ + needed > options_.max_size_bytes) {
      return UnavailableError("file_storage: log " + options_.directory + " is full (" +
                                  std::to_string(disk_bytes_) + " of " +
                                  std::to_string(options_.max_size_bytes) +
                                  " bytes); space returns as records are acknowledged",
                              kFullRetryAfter);
    }
    if (roll) {
      // Everything written so far is made durable before the segment stops being the one that
      // group commits sync.
      if (options_.fsync != FsyncPolicy::kNever && active->writable) {
        if (Status s = SyncFile(*active->file); !s.ok()) {
          broken_ = s;
          return s;
        }
        group_commit_.MarkDurable(written_ticket_);
      }
      active->writable = false;
      if (Status s = StartSegmentLocked(); !s.ok()) return s;
      active = &segments_.rbegin()->second;
      CompactLocked();  // the previous segment may already be fully acknowledged
    }
    const uint64_t sequence = next_sequence_;
    if (sequence >= kMaxSequence) {
      return InternalError("file_storage: log " + options_.directory + " ran out of sequence numbers");
    }
    char header[kRecordHeaderSize];
    EncodeRecordHeader(sequence, data, header);
    iovec parts[2] = {{header, sizeof(header)}, {const_cast<char*>(data.data()), data.size()}};
    ssize_t n;
    int write_errno = 0;  // what the write said, whatever the reclaim attempt does to errno
    for (int attempt = 0; attempt < 2; ++attempt) {
      do {
        n = pwritev(active->file->fd(), parts, 2, static_cast<off_t>(active->size));
      } while (n < 0 && errno == EINTR);
      write_errno = errno;
      if (n == static_cast<ssize_t>(record_bytes) || attempt > 0) break;
      // The disk is full (not the size limit): if the active segment holds only acknowledged
      // records, giving their space back is enough to make room; try once more after that.
      if (ftruncate(active->file->fd(), static_cast<off_t>(active->size)) != 0) break;
      const uint64_t size_before = active->size;
      if (!ReclaimAcknowledgedActiveLocked(*active).ok() || active->size == size_before) break;
    }
    if (n != static_cast<ssize_t>(record_bytes)) {
      // Disk full or an I/O error: take back whatever part was written, so the record is not in
      // the log, and refuse upstream.
      errno = write_errno;
      Status s = n < 0 ? ErrnoStatus("appending to " + active->file->path())
                       : UnavailableError("file_storage: short write to " + active->file->path() +
                                              " (disk full?)",
                                          kFullRetryAfter);
      if (ftruncate(active->file->fd(), static_cast<off_t>(active->size)) != 0) {
        broken_ = ErrnoStatus("truncating " + active->file->path() + " after a failed append");
      }
      return s;
    }
    pending_.Add(PendingRecord{sequence, active->file, active->size, static_cast<uint32_t>(data.size()), false});
    active->size += record_bytes;
    active->end_sequence = sequence + 1;
    disk_bytes_ += record_bytes;
    next_sequence_ = sequence + 1;
    ticket = ++written_ticket_;
    file = active->file;
  }
  switch (options_.fsync) {
    case FsyncPolicy::kNever:
      return OkStatus();
    case FsyncPolicy::kAlways:
      if (Status s = SyncFile(*file); !s.ok()) {
        std::lock_guard lock(mu_);
        broken_ = s;
        return s;
      }
      return OkStatus();
    case FsyncPolicy::kBatch:
      return group_commit_.WaitDurable(ticket, std::chrono::steady_clock::now() + options_.timeout,
                                       [this] { return CaptureSync(); });
  }
  return OkStatus();
}

StatusOr<std::optional<StoredRecord>> SegmentLog::ReadNext() {
  std::shared_ptr<SegmentFile> file;
  uint64_t sequence, offset;
  uint32_t length;
  {
    std::lock_guard lock(mu_);
    if (closed_) return FailedPreconditionError("file_storage: log " + options_.directory + " is closed");
    const PendingRecord* next = pending_.TakeNextUnread();
    if (next == nullptr) return std::optional<StoredRecord>();
    file = next->file;
    sequence = next->sequence;
    offset = next->offset;
    length = next->length;
  }
  StatusOr<std::string> data = ReadRecordAt(file->fd(), file->path(), offset, sequence, length);
  if (!data.ok()) {
    // Damaged since it was written or recovered: it can never be delivered. It is dropped (as
    // if acknowledged) so the records behind it still flow; the error names file and offset.
    options_.logger->error("{}; the record is dropped", data.status().message());
    Ack(sequence).IgnoreError();
    return data.status();
  }
  return std::optional<StoredRecord>(StoredRecord{sequence, std::move(*data)});
}

Status SegmentLog::Ack(uint64_t sequence) {
  bool segment_deleted;
  {
    std::lock_guard lock(mu_);
    if (closed_) return FailedPreconditionError("file_storage: log " + options_.directory + " is closed");
    if (Status s = pending_.Ack(sequence); !s.ok()) return s;
    ++acks_since_persist_;
    const size_t before = segments_.size();
    CompactLocked();
    segment_deleted = segments_.size() != before;
  }
  return MaybePersistAcks(segment_deleted);
}

Status SegmentLog::ReclaimAcknowledgedActiveLocked(Segment& active) {
  if (!active.writable || active.size <= kSegmentHeaderSize ||
      pending_.LowWater(next_sequence_) < active.end_sequence) {
    return OkStatus();  // something in it is still pending: nothing to give back
  }
  // Every record in it was delivered or dropped for good, so a crash at any point here loses
  // nothing: recovery finds either the old (acknowledged, at worst delivered again) records or
  // an empty segment. Its name keeps its first sequence; later records carry higher ones, which
  // recovery accepts (sequences need only increase).
  if (ftruncate(active.file->fd(), static_cast<off_t>(kSegmentHeaderSize)) != 0) {
    return ErrnoStatus("truncating acknowledged segment " + active.file->path());
  }
  if (options_.fsync != FsyncPolicy::kNever) {
    // Ordered before the records written over it, so stale ones can never reappear behind them.
    if (Status s = SyncFile(*active.file); !s.ok()) {
      broken_ = s;
      return s;
    }
  }
  disk_bytes_ -= active.size - kSegmentHeaderSize;
  active.size = kSegmentHeaderSize;
  return OkStatus();
}

void SegmentLog::CompactLocked() {
  const uint64_t low_water = pending_.LowWater(next_sequence_);
  while (segments_.size() > 1) {
    auto it = segments_.begin();
    if (it->second.end_sequence > low_water) break;
    // Pending records hold the file open through shared_ptr; unlinking an open file is fine.
    if (unlink(it->second.file->path().c_str()) != 0 && errno != ENOENT) {
      options_.logger->warn("{}", ErrnoStatus("deleting acknowledged segment " + it->second.file->path()).message());
      break;
    }
    disk_bytes_ -= it->second.size;
    segments_.erase(it);
  }
}

Status SegmentLog::MaybePersistAcks(bool force) {
  uint64_t low_water;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (!force && acks_since_persist_ < kAcksPerPersist && now - last_persist_ < kPersistInterval) {
      return OkStatus();
    }
    low_water = pending_.LowWater(next_sequence_);
    acks_since_persist_ = 0;
    last_persist_ = now;
  }
  std::lock_guard lock(ack_file_mu_);
  // A concurrent Ack may have written a newer mark already; never move it back.
  if (low_water <= persisted_low_water_) return OkStatus();
  if (Status s = WriteAckFile(options_.directory, low_water, options_.fsync != FsyncPolicy::kNever); !s.ok()) {
    options_.logger->warn("{}: acknowledged records may be delivered again after a restart", s.message());
    return OkStatus();  // the ack itself took effect in memory; only its persistence lags
  }
  persisted_low_water_ = low_water;
  return OkStatus();
}

int64_t SegmentLog::PendingRecords() const {
  std::lock_guard lock(mu_);
  return pending_.Count();
}

int64_t SegmentLog::DiskBytes() const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(disk_bytes_);
}

int64_t SegmentLog::SegmentCount() const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(segments_.size());
}

Status SegmentLog::Close() {
  uint64_t low_water;
  std::shared_ptr<SegmentFile> active;
  {
    std::lock_guard lock(mu_);
    if (closed_) return FailedPreconditionError("file_storage: log " + options_.directory + " is already closed");
    closed_ = true;
    low_water = pending_.LowWater(next_sequence_);
    active = segments_.empty() ? nullptr : segments_.rbegin()->second.file;
  }
  Status result;
  if (active != nullptr && options_.fsync != FsyncPolicy::kNever) {
    if (Status s = SyncFile(*active); !s.ok()) result = s;
  }
  {
    std::lock_guard lock(ack_file_mu_);
    if (low_water != persisted_low_water_) {
      if (Status s = WriteAckFile(options_.directory, low_water, options_.fsync != FsyncPolicy::kNever);
          !s.ok()) {
        result = s;
      } else {
        persisted_low_water_ = low_water;
      }
    }
  }
  {
    // The files close as soon as no reader holds them.
    std::lock_guard lock(mu_);
    segments_.clear();
    pending_ = file_storage::PendingRecords();
  }
  if (!result.ok()) options_.logger->error("closing {}: {}", options_.directory, result.message());
  if (options_.on_close) options_.on_close();
  return result;
}

}  // namespace otlpd::extension::file_storage
