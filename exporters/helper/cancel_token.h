// CancelToken: tells work in flight that it must stop now. The exporter helper cancels its
// token when Shutdown's deadline passes; a send attempt registers a callback that interrupts its
// transport (curl_multi_wakeup, grpc::ClientContext::TryCancel) and checks cancelled() when it
// wakes.
//
//   CancelToken token;
//   auto registration = token.OnCancel([&] { context.TryCancel(); });
//   ... blocking call ...
//   if (token.cancelled()) return CancelledError(...);
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace otlpd::exporter::helper {

class CancelToken {
 public:
  // Unregisters its callback when destroyed; after that the callback is neither running nor
  // will it run.
  class Registration {
   public:
    Registration() = default;
    Registration(CancelToken* token, uint64_t id) : token_(token), id_(id) {}
    Registration(Registration&& other) noexcept
        : token_(std::exchange(other.token_, nullptr)), id_(other.id_) {}
    Registration& operator=(Registration&& other) noexcept;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration() { Reset(); }
    void Reset();

   private:
    CancelToken* token_ = nullptr;
    uint64_t id_ = 0;
  };

  // Marks the token cancelled and runs every registered callback once, on this thread.
  // Idempotent.
  void Cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // Runs `fn` at Cancel(), or at once when already cancelled. `fn` must be quick, thread-safe
  // and must not call back into the token.
  [[nodiscard]] Registration OnCancel(std::function<void()> fn);

 private:
  std::atomic<bool> cancelled_{false};
  // Held while callbacks run, so that a Registration's destructor waits for its callback.
  std::mutex mu_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::function<void()>> callbacks_;
};

}  // namespace otlpd::exporter::helper
