// FakeTraceServer: an in-process grpc++ server implementing the OTLP TraceService, bound to
// 127.0.0.1:0 (or a given port), plain or TLS, recording every request with its metadata and
// answering from a script: a status code with message, an optional RetryInfo delay (sent as
// google.rpc.Status details in the trailer), a partial success, an optional delay.
//
//   FakeTraceServer server;
//   ASSERT_TRUE(server.Start());
//   server.Enqueue({.code = grpc::StatusCode::UNAVAILABLE, .message = "busy"});
//   // exporter endpoint: server.Target(), tls.insecure: true
//   ASSERT_TRUE(server.WaitForRequests(2, 5s));
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "tests/support/fake_http_server.h"

namespace otlpd::testing {

class FakeTraceServer final
    : public opentelemetry::proto::collector::trace::v1::TraceService::Service {
 public:
  using Request = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
  using Response = opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;

  struct Answer {
    grpc::StatusCode code = grpc::StatusCode::OK;
    std::string message{};
    std::optional<std::chrono::milliseconds> retry_delay{};  // RetryInfo in the details
    int64_t rejected = 0;                                     // partial success (with OK)
    std::string partial_message{};
    std::chrono::milliseconds delay{0};  // answer later (ends early if the call is cancelled)
  };
  struct Received {
    Request request;
    std::multimap<std::string, std::string> metadata;  // lower-case keys
  };

  ~FakeTraceServer() override { Stop(); }

  // Binds 127.0.0.1:<port> (0: any); `cert` set means TLS with that certificate.
  bool Start(uint16_t port = 0, std::shared_ptr<const TestCertificate> cert = nullptr) {
    std::shared_ptr<grpc::ServerCredentials> creds = grpc::InsecureServerCredentials();
    if (cert) {
      grpc::SslServerCredentialsOptions options;
      options.pem_key_cert_pairs.push_back({cert->key_pem(), cert->cert_pem()});
      creds = grpc::SslServerCredentials(options);
    }
    grpc::ServerBuilder builder;
    int bound = 0;
    builder.AddListeningPort("127.0.0.1:" + std::to_string(port), creds, &bound);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
    port_ = static_cast<uint16_t>(bound);
    return server_ != nullptr && bound != 0;
  }
  void Stop() {
    {
      std::lock_guard l(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (server_) {
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
      server_->Wait();
      server_.reset();
    }
  }
  uint16_t port() const { return port_; }
  std::string Target() const { return "127.0.0.1:" + std::to_string(port_); }

  void Enqueue(Answer a) {
    std::lock_guard l(mu_);
    script_.push_back(std::move(a));
  }
  void SetDefault(Answer a) {
    std::lock_guard l(mu_);
    default_ = std::move(a);
  }
  // Answers by the `authorization` metadata: UNAUTHENTICATED unless it equals `accepted`.
  void RequireAuthorization(std::string accepted) {
    std::lock_guard l(mu_);
    accepted_authorization_ = std::move(accepted);
  }

  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, timeout, [&] { return received_.size() >= n; });
  }
  std::vector<Received> Requests() const {
    std::lock_guard l(mu_);
    return received_;
  }
  size_t RequestCount() const {
    std::lock_guard l(mu_);
    return received_.size();
  }

  grpc::Status Export(grpc::ServerContext* context, const Request* request,
                      Response* response) override {
    Answer answer;
    {
      std::lock_guard l(mu_);
      Received r;
      r.request = *request;
      for (const auto& [k, v] : context->client_metadata()) {
        r.metadata.emplace(std::string(k.data(), k.size()), std::string(v.data(), v.size()));
      }
      const auto auth = r.metadata.find("authorization");
      const bool refused = accepted_authorization_ &&
                           (auth == r.metadata.end() || auth->second != *accepted_authorization_);
      received_.push_back(std::move(r));
      if (refused) {
        answer.code = grpc::StatusCode::UNAUTHENTICATED;
        answer.message = "bad token";
      } else if (!script_.empty()) {
        answer = script_.front();
        script_.pop_front();
      } else {
        answer = default_;
      }
    }
    cv_.notify_all();
    if (answer.delay > std::chrono::milliseconds::zero()) {
      // A scripted slow backend: the handler thread waits, re-checking every few milliseconds
      // whether the client gave up, so a cancelled call frees it at once.
      std::unique_lock l(mu_);
      const auto until = std::chrono::steady_clock::now() + answer.delay;
      while (!stopping_ && !context->IsCancelled() && std::chrono::steady_clock::now() < until) {
        cv_.wait_for(l, std::chrono::milliseconds(5));
      }
    }
    if (answer.code != grpc::StatusCode::OK) {
      if (!answer.retry_delay) return grpc::Status(answer.code, answer.message);
      google::rpc::Status details;
      details.set_code(static_cast<int>(answer.code));
      details.set_message(answer.message);
      google::rpc::RetryInfo info;
      info.mutable_retry_delay()->set_seconds(answer.retry_delay->count() / 1000);
      info.mutable_retry_delay()->set_nanos(
          static_cast<int32_t>((answer.retry_delay->count() % 1000) * 1'000'000));
      details.add_details()->PackFrom(info);
      return grpc::Status(answer.code, answer.message, details.SerializeAsString());
    }
    if (answer.rejected > 0 || !answer.partial_message.empty()) {
      response->mutable_partial_success()->set_rejected_spans(answer.rejected);
      response->mutable_partial_success()->set_error_message(answer.partial_message);
    }
    return grpc::Status::OK;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Answer> script_;
  Answer default_;
  std::optional<std::string> accepted_authorization_;
  std::vector<Received> received_;
  bool stopping_ = false;
  std::unique_ptr<grpc::Server> server_;
  uint16_t port_ = 0;
};

}  // namespace otlpd::testing
