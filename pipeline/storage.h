// Storage: the seam between exporters and storage extensions (file_storage). An exporter whose
// config says `sending_queue: {storage: <extension id>}` finds the extension through
// Host::GetExtension at Start, casts it to StorageProvider (anything else is a start error) and
// opens one DurableLog for itself and its signal. The log is what makes the sending queue
// survive a crash: a record is in it before the client is answered, and leaves it only when it
// was delivered or dropped for good.
//
//   auto* storage = dynamic_cast<StorageProvider*>(host.GetExtension(id));
//   StatusOr<std::unique_ptr<DurableLog>> log = storage->OpenLog("otlp_http-backend-traces");
//   if (Status s = (*log)->Append(bytes); !s.ok()) return s;   // refuse upstream: retryable
//   auto rec = (*log)->ReadNext();     // a worker: the oldest record not yet handed out
//   ... send rec->data ... ; (*log)->Ack(rec->sequence);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/status.h"

namespace otlpd {

// One record read back from a log.
struct StoredRecord {
  uint64_t sequence = 0;  // increasing in append order; survives restarts
  std::string data;       // exactly the bytes given to Append
};

// An append-only, crash-safe log of records, owned by one exporter for one signal. Every method
// is thread-safe. Delivery is at-least-once: after a crash, every record that was appended and
// not acknowledged is handed out again (including ones that were being sent at the crash).
class DurableLog {
 public:
  virtual ~DurableLog() = default;

  // Appends one record and returns once it is as durable as the storage's fsync policy promises
  // (always/batch: on disk; never: written to the OS, so it survives the process but not the
  // machine). On error the record is NOT in the log: UNAVAILABLE with a retry_after when the
  // size limit is reached or the disk refuses (full, I/O error), so the caller refuses upstream.
  virtual Status Append(std::string_view data) = 0;

  // The oldest record not yet handed out by this instance, or nullopt when there is none. Never
  // blocks. After a restart the first records handed out are the unacknowledged ones of the
  // previous run. An error means the log is damaged beyond the torn tail recovery already cut
  // off; it names the file and offset.
  virtual StatusOr<std::optional<StoredRecord>> ReadNext() = 0;

  // The record is done with (delivered, or dropped for good): it will not be handed out again
  // after a restart, and its space can be reclaimed once every older record is done too. Acks
  // may arrive in any order.
  virtual Status Ack(uint64_t sequence) = 0;

  // Records appended and not yet acknowledged (handed out or not).
  virtual int64_t PendingRecords() const = 0;
  // Bytes the log occupies on disk now.
  virtual int64_t DiskBytes() const = 0;

  // Persists what recovery needs and closes the files. Records handed out and not acknowledged
  // stay pending: the next run hands them out again. Further calls fail with FAILED_PRECONDITION.
  virtual Status Close() = 0;
};

// Implemented by storage extensions (file_storage).
class StorageProvider {
 public:
  virtual ~StorageProvider() = default;

  // Opens the log `name` (letters, digits, '-', '_' and '.'), creating it or recovering it from
  // the previous run. A name can be open once at a time in a process; a second process on the
  // same directory is refused. Errors name the directory and what failed.
  virtual StatusOr<std::unique_ptr<DurableLog>> OpenLog(std::string_view name) = 0;
};

}  // namespace otlpd
