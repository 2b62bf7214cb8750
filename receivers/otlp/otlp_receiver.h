// OtlpReceiver: the `otlp` receiver component - OTLP over gRPC and/or HTTP into the pipelines
// that list it. Construction opens nothing; Start binds every configured protocol (all or none:
// if HTTP cannot bind, gRPC is stopped again); Shutdown stops both.
//
//   OtlpReceiver r(settings, cfg, {.traces = &traces_next, .logs = &logs_next});
//   if (Status s = r.Start(host); !s.ok()) return s;  // "otlp: cannot listen on 127.0.0.1:4317 (grpc): address already in use"
//   int port = r.grpc_port();                          // the bound port (endpoint port 0 = any)
//   r.Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/self_metrics.h"
#include "receivers/otlp/config.h"
#include "receivers/otlp/grpc_server.h"
#include "receivers/otlp/http_server.h"

namespace otlpd::receiver::otlp {

class OtlpReceiver final : public Receiver {
 public:
  // Consumers in `next` that are null are not served (HTTP 404, gRPC UNIMPLEMENTED). The
  // consumers and settings.metrics outlive the receiver; with settings.metrics null (tests that
  // do not care) the receiver keeps its own.
  OtlpReceiver(const CreateSettings& settings, const OtlpReceiverConfig& cfg,
               ReceiverConsumers next);
  ~OtlpReceiver() override;

  Status Start(Host& host) override;
  Status Shutdown(Deadline deadline) override;

  // Bound ports, 0 when the protocol is not configured or not started.
  int grpc_port() const { return grpc_ ? grpc_->port() : 0; }
  int http_port() const { return http_ ? http_->port() : 0; }

 private:
  std::string id_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<SelfMetrics> own_metrics_;
  OtlpReceiverConfig cfg_;
  std::unique_ptr<GrpcServer> grpc_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace otlpd::receiver::otlp
