// SpanBackend: a loopback OTLP/HTTP traces backend that counts every span it accepts by span ID,
// for tests that must prove exact delivery: the set of span IDs a client was answered OK for is
// a subset of the set received here, and how many arrived more than once. It can be taken down
// (connection refused) and brought back on the same port, made to refuse (503) or made slower
// than the exporter's timeout, and it can insist on a Bearer token like a real backend.
//
//   SpanBackend backend;
//   ASSERT_TRUE(backend.Start().ok());
//   backend.SetDelay(3s);            // slower than the exporter's timeout: nothing is accepted
//   backend.Down();                  // connection refused
//   ASSERT_TRUE(backend.Up().ok());  // back on the same port
//   EXPECT_TRUE(backend.WaitForAll(client.Acked(), 10s));
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "pipeline/compression.h"
#include "tests/support/fake_http_server.h"

namespace otlpd::testing {

// A span ID as the load client writes it: the 8 bytes read big-endian.
inline uint64_t SpanIdValue(const std::string& bytes) {
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

class SpanBackend {
 public:
  struct Options {
    bool tls = false;
    // Answer 401 unless `Authorization: Bearer <something>` is present.
    bool require_bearer = false;
  };

  SpanBackend() : SpanBackend(Options{}) {}
  explicit SpanBackend(Options options) : options_(options) {}
  // The server's handler touches the members below: stop its threads before they go away.
  ~SpanBackend() { Down(); }
  SpanBackend(const SpanBackend&) = delete;
  SpanBackend& operator=(const SpanBackend&) = delete;

  // Binds 127.0.0.1:0 the first time, the same port afterwards.
  Status Start() { return Up(); }
  Status Up() {
    std::lock_guard lock(server_mu_);
    if (server_) return OkStatus();
    server_ = std::make_unique<FakeHttpServer>(FakeHttpServer::Options{
        .tls = options_.tls, .port = port_, .threads = 4, .certificate = certificate_});
    server_->SetHandler([this](const RecordedRequest& r) { return Answer(r); });
    Status s = server_->Start();
    if (!s.ok()) {
      server_.reset();
      return s;
    }
    port_ = server_->port();
    certificate_ = server_->certificate();
    return OkStatus();
  }
  // Closes the port and every connection: clients get "connection refused" until Up().
  void Down() {
    std::lock_guard lock(server_mu_);
    if (server_) server_->Stop();
    server_.reset();
  }

  std::string Url() const {
    return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }

  // Every request is answered `status` (e.g. 503) after reading it, recording nothing; 0 ends it.
  void SetRefusal(int status, std::string retry_after = "") {
    std::lock_guard lock(mu_);
    refusal_ = status;
    refusal_retry_after_ = std::move(retry_after);
  }
  // Every request is answered only after `delay` (0 ends it), with a 504, and records nothing:
  // a backend slower than the exporter's timeout, which gave up on it long before.
  void SetDelay(std::chrono::milliseconds delay) {
    std::lock_guard lock(mu_);
    delay_ = delay;
  }

  // Distinct span IDs accepted, and how many acceptances were repeats of one already seen.
  size_t Distinct() const {
    std::lock_guard lock(mu_);
    return counts_.size();
  }
  size_t Duplicates() const {
    std::lock_guard lock(mu_);
    return duplicates_;
  }
  // Requests seen, answered in any way.
  size_t Requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // Anything a request got wrong (no token, undecodable body), one line each.
  std::vector<std::string> Problems() const {
    std::lock_guard lock(mu_);
    return problems_;
  }
  // The IDs of `ids` not (yet) received.
  std::vector<uint64_t> Missing(const std::vector<uint64_t>& ids) const {
    std::lock_guard lock(mu_);
    std::vector<uint64_t> missing;
    for (uint64_t id : ids) {
      if (!counts_.count(id)) missing.push_back(id);
    }
    return missing;
  }
  // True once every ID in `ids` was received; false after `timeout`.
  bool WaitForAll(const std::vector<uint64_t>& ids, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    size_t present = 0;  // ids[0, present) were seen; spans are never forgotten
    return cv_.wait_for(lock, timeout, [&] {
      while (present < ids.size() && counts_.count(ids[present])) ++present;
      return present == ids.size();
    });
  }
  // True once at least `n` requests arrived; false after `timeout`.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_ >= n; });
  }
  // True once at least `n` distinct spans arrived; false after `timeout`.
  bool WaitForDistinct(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return counts_.size() >= n; });
  }

 private:
  CannedResponse Answer(const RecordedRequest& r) {
    std::lock_guard lock(mu_);
    ++requests_;
    cv_.notify_all();
    if (delay_ > std::chrono::milliseconds::zero()) return {.status = 504, .delay = delay_};
    if (refusal_ != 0) {
      CannedResponse refused{.status = refusal_};
      if (!refusal_retry_after_.empty()) refused.headers = {{"Retry-After", refusal_retry_after_}};
      return refused;
    }
    if (options_.require_bearer && r.Header("authorization").rfind("Bearer ", 0) != 0) {
      problems_.push_back(r.target + ": authorization '" + r.Header("authorization") + "'");
      return {.status = 401};
    }
    std::string body = r.body;
    const std::string encoding = r.Header("content-encoding");
    if (encoding == "gzip" || encoding == "zstd") {
      StatusOr<std::string> plain = Decompress(
          encoding == "gzip" ? Compression::kGzip : Compression::kZstd, r.body, 256 << 20);
      if (!plain.ok()) {
        problems_.push_back(r.target + ": " + plain.status().ToString());
        return {.status = 400};
      }
      body = std::move(*plain);
    }
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
    if (r.target != "/v1/traces" || !req.ParseFromString(body)) {
      problems_.push_back(r.target + ": not an OTLP protobuf traces request");
      return {.status = 400};
    }
    for (const auto& rs : req.resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& span : ss.spans()) {
          if (++counts_[SpanIdValue(span.span_id())] > 1) ++duplicates_;
        }
      }
    }
    cv_.notify_all();
    return {.status = 200, .headers = {{"Content-Type", "application/x-protobuf"}}};
  }

  const Options options_;
  std::mutex server_mu_;  // guards server_ (Up/Down from the test thread)
  std::unique_ptr<FakeHttpServer> server_;
  uint16_t port_ = 0;
  std::shared_ptr<const TestCertificate> certificate_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  int refusal_ = 0;
  std::string refusal_retry_after_;
  std::chrono::milliseconds delay_{0};
  std::map<uint64_t, int> counts_;
  size_t duplicates_ = 0;
  size_t requests_ = 0;
  std::vector<std::string> problems_;
};

}  // namespace otlpd::testing
