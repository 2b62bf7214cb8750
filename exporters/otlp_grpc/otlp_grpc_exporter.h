// The otlp_grpc exporter: OTLP over gRPC to a backend, through the exporter helper's queue,
// retry and timeout (exporters/helper).
//
// OtlpGrpcSender<B> is the one send attempt: a unary Export call on a generic stub, so the
// request is serialised once (Encode) and the same bytes go out on every retry; gzip is applied
// by the gRPC transport. Per-call metadata carries the configured headers and, last, the
// authenticator's. The outcome maps by code (equal numbers) with the server's RetryInfo as
// retry_after (grpc_status.h), so UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE,
// CANCELLED, DATA_LOSS and RESOURCE_EXHAUSTED-with-RetryInfo are retried. UNAUTHENTICATED with
// an authenticator invalidates its credentials and retries once at once.
//
//   auto exporter = CreateOtlpGrpcExporter<TracesBatch>(settings, cfg);
//   (*exporter)->Start(host);       // builds the channel, finds auth.authenticator
//   (*exporter)->Consume(std::move(batch));
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <grpcpp/channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <spdlog/logger.h>

#include "exporters/helper/queued_retry_exporter.h"
#include "exporters/helper/sender.h"
#include "exporters/otlp_grpc/config.h"
#include "pipeline/client_auth.h"
#include "pipeline/factory.h"

namespace otlpd::exporter::otlp_grpc {

// "/opentelemetry.proto.collector.trace.v1.TraceService/Export" and its metrics/logs twins.
std::string ExportMethod(Signal signal);

template <class B>
class OtlpGrpcSender final : public helper::Sender<B> {
 public:
  OtlpGrpcSender(const CreateSettings& settings, const Config& cfg);

  // Finds the authenticator (start error when missing, not an authenticator, or refusing a
  // plaintext channel), reads the TLS files (start error naming an unreadable one) and creates
  // the channel. Connecting happens lazily, on the first call.
  Status Start(Host& host) override;
  StatusOr<helper::EncodedRequest> Encode(B batch) override;
  // The stored protobuf is already the message body: no parse.
  StatusOr<helper::EncodedRequest> EncodeSerialized(std::string protobuf, int64_t items) override {
    return helper::EncodedRequest{std::move(protobuf), items};
  }
  helper::SendResult Send(const helper::EncodedRequest& request,
                          const helper::AttemptContext& ctx) override;
  void Shutdown() override;

 private:
  StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials() const;
  helper::SendResult Attempt(const helper::EncodedRequest& request,
                             const helper::AttemptContext& ctx);

  const Config cfg_;
  const std::string target_;
  const std::string method_;
  std::shared_ptr<spdlog::logger> logger_;
  ClientAuthenticator* auth_ = nullptr;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;  // thread-safe: shared by every worker
};

// The exporter for signal B: the sender wrapped in the helper.
template <class B>
StatusOr<std::unique_ptr<Exporter<B>>> CreateOtlpGrpcExporter(
    const CreateSettings& settings, const Config& cfg,
    typename helper::QueuedRetryExporter<B>::Options options = {});

extern template class OtlpGrpcSender<TracesBatch>;
extern template class OtlpGrpcSender<MetricsBatch>;
extern template class OtlpGrpcSender<LogsBatch>;

}  // namespace otlpd::exporter::otlp_grpc
