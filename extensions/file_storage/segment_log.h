// SegmentLog: the DurableLog of the file_storage extension. An append-only log of segment files
// under its own directory ("<directory>/<name>/"), named after the first sequence they hold
// (segment_format.h has the bytes), plus an "ack" file with the persisted low-water mark.
//
// Append writes one record (header + payload, one pwrite) at the end of the active segment and
// returns once it is as durable as the fsync policy says. A record that would pass
// segment_size starts a new segment; one that would pass max_size is refused (UNAVAILABLE with
// retry_after) until acknowledgements free space. ReadNext hands records out in order; Ack
// takes them back in any order. A segment whose records are all acknowledged, and that is not
// the one being written, is deleted at once.
//
// Recovery (Open): every segment is scanned and checksummed. A torn tail (what a crash during
// an append leaves, at the end of the LAST segment) is truncated away and logged once. Damage
// anywhere else is logged as an error with file and offset and the rest of THAT segment is
// skipped (its later records are lost), so the records of later segments still flow. Records
// below the persisted low-water mark are not handed out again; sequences continue above the
// highest one seen.
//
//   SegmentLogOptions options{.directory = dir + "/otlp-traces", .fsync = FsyncPolicy::kBatch};
//   StatusOr<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(options);
//   Status s = (*log)->Append("bytes");
//   auto rec = (*log)->ReadNext();  ... (*log)->Ack(rec->value()->sequence);
//   s = (*log)->Close();
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/logger.h>
#include <sys/types.h>

#include "extensions/file_storage/file_util.h"
#include "extensions/file_storage/group_commit.h"
#include "extensions/file_storage/pending_records.h"
#include "pipeline/storage.h"

namespace otlpd::extension::file_storage {

enum class FsyncPolicy {
  kAlways,  // fdatasync after every append, before Append returns
  kBatch,   // group commit: concurrent appends share one fdatasync (group_commit.h)
  kNever,   // write(2) only: survives the process dying, not the machine
};

struct SegmentLogOptions {
  std::string directory;  // the log's own directory; created (with dir_permissions) if missing
  FsyncPolicy fsync = FsyncPolicy::kBatch;
  uint64_t max_size_bytes = uint64_t{1024} << 20;     // all segments of this log together
  uint64_t segment_size_bytes = uint64_t{8} << 20;    // a segment is closed past this size
  // How long Append waits for another appender's group fsync before answering UNAVAILABLE.
  std::chrono::nanoseconds timeout = std::chrono::seconds(1);
  mode_t dir_permissions = 0750;
  std::shared_ptr<spdlog::logger> logger;  // required
  std::function<void()> on_close;          // called once by Close (frees the name in the provider)
  // Tests only: called (without locks held) when an appender starts a group commit (`batch`),
  // before it looks at what has been written, to line appenders up deterministically.
  std::function<void()> before_group_sync_for_test;
};

// One segment file, shared by the log and the pending records that live in it, so that a
// reader can still pread a record while a rollover or compaction goes on.
class SegmentFile {
 public:
  SegmentFile(std::string path, FileDescriptor fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }

 private:
  const std::string path_;
  FileDescriptor fd_;
};

class SegmentLog final : public DurableLog {
 public:
  // Creates or recovers the log. UNAVAILABLE naming the path when the directory or a segment
  // cannot be created or read.
  static StatusOr<std::unique_ptr<SegmentLog>> Open(SegmentLogOptions options);
  ~SegmentLog() override;

  Status Append(std::string_view data) override;
  StatusOr<std::optional<StoredRecord>> ReadNext() override;
  Status Ack(uint64_t sequence) override;
  int64_t PendingRecords() const override;
  int64_t DiskBytes() const override;
  Status Close() override;

  // fdatasync calls made on segment files so far (tests check that group commit shares them;
  // the benchmark reports them).
  int64_t FsyncCount() const { return fsync_count_.load(std::memory_order_relaxed); }
  // Segment files on disk now.
  int64_t SegmentCount() const;

 private:
  struct Segment {
    uint64_t first_sequence = 0;  // from the file name
    std::shared_ptr<SegmentFile> file;
    uint64_t size = 0;            // bytes on disk
    uint64_t end_sequence = 0;    // one past its last record (first_sequence when it has none)
    bool writable = true;         // false after damage: appending there would be unreachable
  };

  explicit SegmentLog(SegmentLogOptions options);
  Status Recover();
  Status RecoverSegment(uint64_t first_sequence, const std::string& path, bool is_last,
                        uint64_t acked_below, uint64_t* min_sequence);
  // Creates the segment that receives the next record. Caller holds mu_ (or is Open).
  Status StartSegmentLocked();
  // What a group commit leader syncs: the active segment, covering every write so far.
  GroupCommit::PendingSync CaptureSync();
  Status SyncFile(const SegmentFile& file);
  // Deletes segments that are fully acknowledged and not active. Caller holds mu_.
  void CompactLocked();
  // Truncates the active segment back to its header when every record in it is acknowledged
  // (compaction deletes only closed segments), so a log that filled up with delivered records
  // takes appends again. A no-op while any of its records is pending. Caller holds mu_.
  Status ReclaimAcknowledgedActiveLocked(Segment& active);
  // Writes the ack file if the low water mark moved far or long enough since the last write
  // (always when `force`). Called without mu_.
  Status MaybePersistAcks(bool force);

  const SegmentLogOptions options_;
  const uint64_t max_record_bytes_;
  GroupCommit group_commit_;
  std::atomic<int64_t> fsync_count_{0};

  mutable std::mutex mu_;
  std::map<uint64_t, Segment> segments_;  // by first sequence; the last one is active
  file_storage::PendingRecords pending_;
  uint64_t next_sequence_ = 0;
  uint64_t disk_bytes_ = 0;
  uint64_t written_ticket_ = 0;  // counts writes, for group commit
  Status broken_;                // set by a failed fsync: appends are refused from then on
  bool closed_ = false;
  uint64_t acks_since_persist_ = 0;

  std::mutex ack_file_mu_;  // serialises ack file writes; taken without mu_ held
  uint64_t persisted_low_water_ = 0;
  std::chrono::steady_clock::time_point last_persist_ = std::chrono::steady_clock::now();
};

}  // namespace otlpd::extension::file_storage
