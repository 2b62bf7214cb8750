// GrpcServer: the OTLP/gRPC half of the otlp receiver - TraceService, MetricsService and
// LogsService Export on one listening port (grpc++ synchronous server, whose thread pool is made
// for handlers that block, as a pipeline's Consume may).
//
// Only signals with a consumer are registered; gRPC answers UNIMPLEMENTED for the others.
// Pipeline statuses travel back with their own code; retryable ones carry RetryInfo in
// grpc-status-details-bin. gzip and deflate message compression is gRPC's own.
//
//   GrpcServer server(cfg.grpc.value(), next, metrics, "otlp", logger);
//   if (Status s = server.Start(); !s.ok()) return s;   // message: the reason only
//   int port = server.port();
//   server.Shutdown(deadline);                           // idempotent; safe without Start
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/self_metrics.h"
#include "receivers/otlp/config.h"

namespace grpc {
class Server;
}

namespace otlpd::receiver::otlp {

class GrpcServer {
 public:
  // References outlive the server.
  GrpcServer(const GrpcServerConfig& cfg, ReceiverConsumers next, SelfMetrics& metrics,
             const std::string& receiver_id, std::shared_ptr<spdlog::logger> logger);
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Binds and starts serving. The error says why, e.g. "address already in use".
  Status Start();
  // The bound port; 0 before Start.
  int port() const { return port_; }
  // Stops accepting RPCs, lets running ones finish until `deadline`, then cancels them and
  // joins gRPC's threads. A handler blocked in the pipeline past the deadline delays the join
  // until the pipeline returns.
  void Shutdown(Deadline deadline);

 private:
  class Services;
  GrpcServerConfig cfg_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace otlpd::receiver::otlp
