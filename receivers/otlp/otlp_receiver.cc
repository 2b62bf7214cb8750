#include "receivers/otlp/otlp_receiver.h"

#include "pipeline/logging.h"

namespace otlpd::receiver::otlp {

OtlpReceiver::OtlpReceiver(const CreateSettings& settings, const OtlpReceiverConfig& cfg,
                           ReceiverConsumers next)
    : id_(settings.id.ToString()),
      logger_(settings.logger ? settings.logger : GetLogger("receiver/" + id_)),
      cfg_(cfg) {
  SelfMetrics* metrics = settings.metrics;
  if (metrics == nullptr) {
    own_metrics_ = std::make_unique<SelfMetrics>();
    metrics = own_metrics_.get();
  }
  if (cfg_.grpc) grpc_ = std::make_unique<GrpcServer>(*cfg_.grpc, next, *metrics, id_, logger_);
  if (cfg_.http) http_ = std::make_unique<HttpServer>(*cfg_.http, next, *metrics, id_, logger_);
}

OtlpReceiver::~OtlpReceiver() { Shutdown(std::chrono::steady_clock::now()).IgnoreError(); }

Status OtlpReceiver::Start(Host&) {
  if (grpc_) {
    Status s = grpc_->Start();
    if (!s.ok()) {
      return UnavailableError(id_ + ": cannot listen on " + cfg_.grpc->endpoint + " (grpc): " +
                              s.message());
    }
  }
  if (http_) {
    Status s = http_->Start();
    if (!s.ok()) {
      // All or nothing: a half-started receiver would look healthy while losing a protocol.
      if (grpc_) grpc_->Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(1));
      return UnavailableError(id_ + ": cannot listen on " + cfg_.http->endpoint + " (http): " +
                              s.message());
    }
  }
  return OkStatus();
}

Status OtlpReceiver::Shutdown(Deadline deadline) {
  // HTTP first: its Shutdown waits for requests in flight, while gRPC's cancels its own calls
  // at the deadline; both stop accepting before they wait.
  if (http_) http_->Shutdown(deadline);
  if (grpc_) grpc_->Shutdown(deadline);
  return OkStatus();
}

}  // namespace otlpd::receiver::otlp
