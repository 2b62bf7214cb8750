// LoadClient: an OTLP traces client for the fault-injection suite. Its threads send requests of
// spans with IDs unique across the whole test (over gRPC, or OTLP/HTTP protobuf) and record
// exactly which spans otlpd acknowledged OK, so a test can check that every acknowledged span
// reached the backend after crashes, refusals and restarts.
//
// Like a well-behaved SDK it retries the same request (same span IDs) on a refusal or a transport
// error, after a short pause, until it is acknowledged or the client is stopped; a request still
// unacknowledged at Stop() is simply not in Acked(). The target can be changed while it runs
// (otlpd restarted on new ports): the next attempt goes to the new one.
//
//   LoadClient client({.grpc_target = otlpd.GrpcTarget()});
//   client.Start();
//   ASSERT_TRUE(client.WaitForAcked(1000, 10s));
//   client.Stop();
//   EXPECT_TRUE(backend.WaitForAll(client.Acked(), 10s));
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace otlpd::testing {

// The outcome of one export attempt, in the caller's transport's terms.
struct ExportOutcome {
  bool ok = false;
  // gRPC status code, or the HTTP status (0: no HTTP answer at all, a transport error).
  int code = 0;
  // The server's retry hint: gRPC RetryInfo or HTTP Retry-After, in milliseconds; -1 when absent.
  long retry_after_ms = -1;
  std::string message;
};

class LoadClient {
 public:
  enum class Transport { kGrpc, kHttp };
  struct Options {
    Transport transport = Transport::kGrpc;
    std::string grpc_target{};  // "127.0.0.1:port"
    std::string http_url{};     // "http://127.0.0.1:port" (the client appends /v1/traces)
    int threads = 2;
    int spans_per_request = 20;
    // Pause after each acknowledged request, per thread; 0 sends back to back.
    std::chrono::milliseconds pace{2};
    // Pause before retrying a refused or failed request. Shorter than otlpd's Retry-After on
    // purpose: the suite must end within seconds; the hint is still recorded.
    std::chrono::milliseconds retry_pause{50};
    std::chrono::milliseconds attempt_timeout{3000};
    // Retry until acknowledged (true) or give a failed request up at once (false).
    bool retry = true;
  };

  explicit LoadClient(Options options);
  ~LoadClient();  // Stop()s
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

  void Start();
  // Ends every thread after its current attempt (bounded by attempt_timeout) and joins it.
  void Stop();
  // Where the next attempts go (otlpd restarted on new ports).
  void SetTarget(const std::string& grpc_target, const std::string& http_url);

  // One request of `spans` fresh spans on the caller's thread, no retry; acknowledged spans are
  // recorded like the threads' ones.
  ExportOutcome SendOnce(int spans);

  // Every span ID acknowledged OK so far, in acknowledgement order.
  std::vector<uint64_t> Acked() const;
  size_t AckedCount() const;
  // Span IDs handed to an attempt at least once (acknowledged or not).
  uint64_t SpansAttempted() const { return next_id_.load() - first_id_; }
  // Failed attempts by code (gRPC code or HTTP status, 0 = transport error).
  std::map<int, int> Failures() const;
  // Failed attempts that carried a retry hint.
  int FailuresWithRetryHint() const;
  // True once at least `n` spans were acknowledged; false after `timeout`.
  bool WaitForAcked(size_t n, std::chrono::milliseconds timeout) const;
  // True once at least `n` attempts failed; false after `timeout`.
  bool WaitForFailures(int n, std::chrono::milliseconds timeout) const;

 private:
  struct Request {
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest proto;
    std::vector<uint64_t> ids;
  };
  Request MakeRequest(int spans);
  ExportOutcome Attempt(const Request& request);
  void Record(const Request& request, const ExportOutcome& outcome);
  void Run();
  // Waits `d` or until Stop(); true when stopping.
  bool PauseOrStop(std::chrono::milliseconds d);

  const Options options_;
  // Span IDs start at a per-process value so two runs of one test never share an ID.
  const uint64_t first_id_;
  std::atomic<uint64_t> next_id_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool stopping_ = false;
  std::string grpc_target_;
  std::string http_url_;
  std::shared_ptr<grpc::Channel> channel_;  // shared by the threads; dropped after a failure
  std::vector<uint64_t> acked_;
  std::map<int, int> failures_;
  int failures_total_ = 0;
  int failures_with_hint_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace otlpd::testing
