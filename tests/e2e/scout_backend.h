// ScoutBackend: a fake OTLP/HTTP backend for the reference (scout) pipeline end-to-end test. It is
// an HTTPS FakeHttpServer that insists on what the real backend insists on (gzip bodies, a
// Bearer token), decodes every accepted OTLP protobuf request and records each item by its
// test.id attribute, so a test can assert exact counts: nothing lost, nothing duplicated.
//
//   ScoutBackend backend;
//   ASSERT_TRUE(backend.Start().ok());
//   backend.Script("/v1/traces", {{.status = 503}});   // the first traces request fails
//   ... send data through otlpd with SCOUT_ENDPOINT=backend.Url() ...
//   EXPECT_EQ(backend.Count("run-0"), 1);
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "pipeline/compression.h"
#include "tests/support/fake_http_server.h"

namespace otlpd::testing {

class ScoutBackend {
 public:
  ScoutBackend() : server_(FakeHttpServer::Options{.tls = true}) {
    server_.SetHandler([this](const RecordedRequest& r) { return Answer(r); });
  }

  // The handler touches the members below; stop the server's threads before they go away.
  ~ScoutBackend() { server_.Stop(); }
  ScoutBackend(const ScoutBackend&) = delete;
  ScoutBackend& operator=(const ScoutBackend&) = delete;

  Status Start() { return server_.Start(); }
  void Stop() { server_.Stop(); }
  std::string Url() const { return server_.Url(); }
  FakeHttpServer& http() { return server_; }

  // The next requests to `path` get these answers, in order, before normal service resumes.
  // A scripted answer records nothing: the backend refused the data.
  void Script(const std::string& path, std::vector<CannedResponse> answers) {
    std::lock_guard lock(mu_);
    for (auto& a : answers) script_[path].push_back(std::move(a));
  }

  // How many times the item with this test.id was accepted (0 when never).
  int Count(const std::string& test_id) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(test_id);
    return it == counts_.end() ? 0 : it->second;
  }
  // Every accepted item's test.id with its count.
  std::map<std::string, int> Counts() const {
    std::lock_guard lock(mu_);
    return counts_;
  }
  // Accepted span names (one entry per span).
  std::multiset<std::string> SpanNames() const {
    std::lock_guard lock(mu_);
    return span_names_;
  }
  // One entry per accepted resource: its attributes as strings.
  std::vector<std::map<std::string, std::string>> Resources() const {
    std::lock_guard lock(mu_);
    return resources_;
  }
  // Anything a request got wrong (no gzip, no token, undecodable body), one line each.
  std::vector<std::string> Problems() const {
    std::lock_guard lock(mu_);
    return problems_;
  }
  // Requests answered per path, by any status.
  int Requests(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = requests_.find(path);
    return it == requests_.end() ? 0 : it->second;
  }
  // Blocks until at least `n` items were accepted in total, or `timeout` passes.
  bool WaitForItems(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return accepted_ >= n; });
  }
  size_t Accepted() const {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  // Blocks until `path` got at least `n` requests, or `timeout` passes.
  bool WaitForRequests(const std::string& path, int n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      auto it = requests_.find(path);
      return it != requests_.end() && it->second >= n;
    });
  }

 private:
  template <typename Attrs>
  static std::map<std::string, std::string> ToMap(const Attrs& attrs) {
    std::map<std::string, std::string> out;
    for (const auto& kv : attrs) out[kv.key()] = kv.value().string_value();
    return out;
  }
  template <typename Attrs>
  void Record(const Attrs& attrs) {
    const auto m = ToMap(attrs);
    auto it = m.find("test.id");
    ++counts_[it == m.end() ? std::string("<no test.id>") : it->second];
    ++accepted_;
  }

  CannedResponse Answer(const RecordedRequest& r) {
    std::lock_guard lock(mu_);
    const std::string path = r.target;
    ++requests_[path];
    cv_.notify_all();
    auto& queue = script_[path];
    if (!queue.empty()) {
      CannedResponse scripted = queue.front();
      queue.pop_front();
      return scripted;
    }
    if (r.Header("authorization").rfind("Bearer token-", 0) != 0) {
      problems_.push_back(path + ": authorization '" + r.Header("authorization") + "'");
      return {.status = 401};
    }
    if (r.Header("content-encoding") != "gzip") {
      problems_.push_back(path + ": content-encoding '" + r.Header("content-encoding") + "'");
      return {.status = 400};
    }
    StatusOr<std::string> body = Decompress(Compression::kGzip, r.body, 64 << 20);
    if (!body.ok()) {
      problems_.push_back(path + ": " + body.status().ToString());
      return {.status = 400};
    }
    bool parsed = false;
    if (path == "/v1/traces") {
      opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
      parsed = req.ParseFromString(*body);
      for (const auto& rs : req.resource_spans()) {
        resources_.push_back(ToMap(rs.resource().attributes()));
        for (const auto& ss : rs.scope_spans()) {
          for (const auto& span : ss.spans()) {
            span_names_.insert(span.name());
            Record(span.attributes());
          }
        }
      }
    } else if (path == "/v1/metrics") {
      opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest req;
      parsed = req.ParseFromString(*body);
      for (const auto& rm : req.resource_metrics()) {
        resources_.push_back(ToMap(rm.resource().attributes()));
        for (const auto& sm : rm.scope_metrics()) {
          for (const auto& metric : sm.metrics()) {
            // send.mjs makes counters: one sum data point per item.
            for (const auto& dp : metric.sum().data_points()) Record(dp.attributes());
            for (const auto& dp : metric.gauge().data_points()) Record(dp.attributes());
            for (const auto& dp : metric.histogram().data_points()) Record(dp.attributes());
          }
        }
      }
    } else if (path == "/v1/logs") {
      opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest req;
      parsed = req.ParseFromString(*body);
      for (const auto& rl : req.resource_logs()) {
        resources_.push_back(ToMap(rl.resource().attributes()));
        for (const auto& sl : rl.scope_logs()) {
          for (const auto& log : sl.log_records()) Record(log.attributes());
        }
      }
    }
    if (!parsed) {
      problems_.push_back(path + ": not an OTLP protobuf request");
      return {.status = 400};
    }
    cv_.notify_all();
    return {.status = 200, .headers = {{"Content-Type", "application/x-protobuf"}}};
  }

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  FakeHttpServer server_;
  std::map<std::string, std::deque<CannedResponse>> script_;
  std::map<std::string, int> counts_;
  std::map<std::string, int> requests_;
  std::multiset<std::string> span_names_;
  std::vector<std::map<std::string, std::string>> resources_;
  std::vector<std::string> problems_;
  size_t accepted_ = 0;
};

}  // namespace otlpd::testing
