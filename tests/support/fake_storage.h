// FakeStorage: an in-memory storage extension (StorageProvider + Extension) for tests of the
// persistent sending queue. Its logs keep their records across Close and OpenLog, so a test can
// "restart" an exporter on the same storage and see the previous run's unacknowledged records
// handed out first, as the DurableLog contract (pipeline/storage.h) promises. It can refuse
// appends (disk full) and fail reads (a damaged log).
//
//   FakeStorage storage;
//   host.extensions[ComponentId("file_storage")] = &storage;
//   ... run an exporter with sending_queue.storage: file_storage, shut it down ...
//   EXPECT_EQ(storage.Pending("otlp_http-t-traces"), 1);   // kept for the next run
//   storage.RefuseAppends(UnavailableError("disk full", 1s));
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/component.h"
#include "pipeline/storage.h"

namespace otlpd::testing {

class FakeStorage final : public Extension, public StorageProvider {
 public:
  StatusOr<std::unique_ptr<DurableLog>> OpenLog(std::string_view name) override {
    std::lock_guard l(state_->mu);
    if (!state_->open_error.ok()) return state_->open_error;
    Log& log = state_->logs[std::string(name)];
    if (log.open) return FailedPreconditionError("log " + std::string(name) + " is already open");
    log.open = true;
    ++log.opens;
    return std::unique_ptr<DurableLog>(new FakeLog(state_, std::string(name)));
  }

  // Makes the next appends fail with `s` (OK again to accept).
  void RefuseAppends(Status s) {
    std::lock_guard l(state_->mu);
    state_->append_error = std::move(s);
  }
  void FailReads(Status s) {
    std::lock_guard l(state_->mu);
    state_->read_error = std::move(s);
  }
  void FailOpen(Status s) {
    std::lock_guard l(state_->mu);
    state_->open_error = std::move(s);
  }
  // Adds a record as if a previous run had appended it and not acknowledged it.
  void Seed(const std::string& name, std::string data) {
    std::lock_guard l(state_->mu);
    Log& log = state_->logs[name];
    log.records.push_back({state_->next_sequence++, std::move(data)});
  }

  // Records appended to `name` and not yet acknowledged.
  int64_t Pending(const std::string& name) const {
    std::lock_guard l(state_->mu);
    auto it = state_->logs.find(name);
    return it == state_->logs.end() ? 0 : static_cast<int64_t>(it->second.records.size());
  }
  // The data of those records, oldest first.
  std::vector<std::string> PendingData(const std::string& name) const {
    std::lock_guard l(state_->mu);
    std::vector<std::string> out;
    auto it = state_->logs.find(name);
    if (it == state_->logs.end()) return out;
    for (const StoredRecord& r : it->second.records) out.push_back(r.data);
    return out;
  }
  int64_t Appends(const std::string& name) const {
    std::lock_guard l(state_->mu);
    auto it = state_->logs.find(name);
    return it == state_->logs.end() ? 0 : it->second.appends;
  }
  bool IsOpen(const std::string& name) const {
    std::lock_guard l(state_->mu);
    auto it = state_->logs.find(name);
    return it != state_->logs.end() && it->second.open;
  }
  std::vector<std::string> LogNames() const {
    std::lock_guard l(state_->mu);
    std::vector<std::string> out;
    for (const auto& [name, log] : state_->logs) out.push_back(name);
    return out;
  }

 private:
  struct Log {
    std::vector<StoredRecord> records;  // pending (not acknowledged), in append order
    bool open = false;
    int opens = 0;
    int64_t appends = 0;
  };
  struct State {
    mutable std::mutex mu;
    std::map<std::string, Log> logs;
    uint64_t next_sequence = 1;
    Status append_error;
    Status read_error;
    Status open_error;
  };

  class FakeLog final : public DurableLog {
   public:
    FakeLog(std::shared_ptr<State> state, std::string name)
        : state_(std::move(state)), name_(std::move(name)) {}
    ~FakeLog() override { Close().IgnoreError(); }

    Status Append(std::string_view data) override {
      std::lock_guard l(state_->mu);
      if (closed_) return FailedPreconditionError("closed");
      if (!state_->append_error.ok()) return state_->append_error;
      Log& log = state_->logs[name_];
      log.records.push_back({state_->next_sequence++, std::string(data)});
      ++log.appends;
      return OkStatus();
    }

    StatusOr<std::optional<StoredRecord>> ReadNext() override {
      std::lock_guard l(state_->mu);
      if (closed_) return FailedPreconditionError("closed");
      if (!state_->read_error.ok()) return state_->read_error;
      for (const StoredRecord& r : state_->logs[name_].records) {
        if (r.sequence > last_handed_out_) {
          last_handed_out_ = r.sequence;
          return std::optional<StoredRecord>(r);
        }
      }
      return std::optional<StoredRecord>();
    }

    Status Ack(uint64_t sequence) override {
      std::lock_guard l(state_->mu);
      if (closed_) return FailedPreconditionError("closed");
      auto& records = state_->logs[name_].records;
      for (auto it = records.begin(); it != records.end(); ++it) {
        if (it->sequence == sequence) {
          records.erase(it);
          return OkStatus();
        }
      }
      return NotFoundError("no pending record " + std::to_string(sequence));
    }

    int64_t PendingRecords() const override {
      std::lock_guard l(state_->mu);
      auto it = state_->logs.find(name_);
      return it == state_->logs.end() ? 0 : static_cast<int64_t>(it->second.records.size());
    }
    int64_t DiskBytes() const override {
      std::lock_guard l(state_->mu);
      int64_t n = 0;
      auto it = state_->logs.find(name_);
      if (it != state_->logs.end()) {
        for (const StoredRecord& r : it->second.records) n += static_cast<int64_t>(r.data.size());
      }
      return n;
    }

    Status Close() override {
      std::lock_guard l(state_->mu);
      if (closed_) return FailedPreconditionError("closed");
      closed_ = true;
      state_->logs[name_].open = false;
      return OkStatus();
    }

   private:
    std::shared_ptr<State> state_;
    const std::string name_;
    uint64_t last_handed_out_ = 0;  // guarded by state_->mu
    bool closed_ = false;           // guarded by state_->mu
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace otlpd::testing
