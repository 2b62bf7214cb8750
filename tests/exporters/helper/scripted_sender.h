// ScriptedSender: a helper::Sender for tests of the exporter helper. Encodes by serialising the
// request (and counts Encode calls), answers each attempt from a script of results (then a
// default), records every attempt (fake time, payload, deadline), and can hold attempts at a
// gate until the test opens it or the exporter cancels them.
//
//   auto sender = std::make_unique<ScriptedSender>();
//   sender->Script({UnavailableError("down"), UnavailableError("down"), OkStatus()});
//   ScriptedSender* s = sender.get();
//   QueuedRetryExporter<TracesBatch> exporter(settings, cfg, std::move(sender));
//   ASSERT_TRUE(s->WaitForAttempts(3, 5s));
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "exporters/helper/sender.h"
#include "pipeline/telemetry.h"

namespace otlpd::testing {

class ScriptedSender final : public exporter::helper::Sender<TracesBatch> {
 public:
  struct Attempt {
    Clock::TimePoint at;
    Clock::TimePoint deadline;
    std::string payload;
    int number = 0;
  };

  Status Start(Host&) override {
    std::lock_guard l(mu_);
    ++starts_;
    return start_status_;
  }

  StatusOr<exporter::helper::EncodedRequest> Encode(TracesBatch batch) override {
    std::lock_guard l(mu_);
    ++encodes_;
    if (!encode_status_.ok()) return encode_status_;
    exporter::helper::EncodedRequest r;
    r.items = batch.ItemCount();
    batch.request().SerializeToString(&r.payload);
    return r;
  }

  exporter::helper::SendResult Send(const exporter::helper::EncodedRequest& request,
                                    const exporter::helper::AttemptContext& ctx) override {
    // Registered before the lock is taken: the callback takes the lock itself.
    auto wake = ctx.cancel->OnCancel([this] {
      std::lock_guard l(mu_);
      cv_.notify_all();
    });
    std::unique_lock l(mu_);
    attempts_.push_back({ctx.clock->Now(), ctx.deadline, request.payload, ctx.attempt});
    cv_.notify_all();
    // No deadline of its own: the exporter's cancellation (Shutdown) or the test opens it.
    cv_.wait(l, [&] { return gate_open_ || ctx.cancel->cancelled(); });
    if (!gate_open_) {
      return exporter::helper::SendResult(Status(StatusCode::kCancelled, "cancelled"));
    }
    if (!script_.empty()) {
      exporter::helper::SendResult r = script_.front();
      script_.pop_front();
      return r;
    }
    return default_result_;
  }

  void Script(std::vector<exporter::helper::SendResult> results) {
    std::lock_guard l(mu_);
    for (auto& r : results) script_.push_back(std::move(r));
  }
  void SetDefault(exporter::helper::SendResult r) {
    std::lock_guard l(mu_);
    default_result_ = std::move(r);
  }
  void SetStartStatus(Status s) {
    std::lock_guard l(mu_);
    start_status_ = std::move(s);
  }
  void SetEncodeStatus(Status s) {
    std::lock_guard l(mu_);
    encode_status_ = std::move(s);
  }
  void CloseGate() {
    std::lock_guard l(mu_);
    gate_open_ = false;
  }
  void OpenGate() {
    std::lock_guard l(mu_);
    gate_open_ = true;
    cv_.notify_all();
  }

  bool WaitForAttempts(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, timeout, [&] { return attempts_.size() >= n; });
  }
  std::vector<Attempt> Attempts() const {
    std::lock_guard l(mu_);
    return attempts_;
  }
  int encodes() const {
    std::lock_guard l(mu_);
    return encodes_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<exporter::helper::SendResult> script_;
  exporter::helper::SendResult default_result_;
  Status start_status_;
  Status encode_status_;
  bool gate_open_ = true;
  std::vector<Attempt> attempts_;
  int encodes_ = 0;
  int starts_ = 0;
};

}  // namespace otlpd::testing
