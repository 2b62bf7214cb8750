// HttpServer: the OTLP/HTTP half of the otlp receiver, on Boost.Beast over a small Asio thread
// pool. HTTP/1.1 with keep-alive and pipelining, optional TLS and CORS.
//
// Per request: route by path (unknown or unserved signal: 404), POST only (405; OPTIONS is the
// CORS preflight when cors is configured), Content-Type protobuf or JSON (415), then - before
// a byte of the body is read - Content-Encoding (400) and the pipeline's Admit() (503 +
// Retry-After, connection closed). The body is limited to max_request_body_size raw and again
// decoded; errors answer a google.rpc.Status in the request's encoding (plain text when the
// Content-Type is neither protobuf nor JSON), success the empty Export*ServiceResponse.
//
// Connections: at most max_connections (more are closed at once and counted); request headers
// must arrive within read_header_timeout (slow-loris guard); an idle keep-alive connection is
// closed after kIdleTimeout; a body must arrive within kBodyTimeout.
//
//   HttpServer server(cfg.http.value(), next, metrics, "otlp", logger);
//   if (Status s = server.Start(); !s.ok()) return s;   // message: the reason only
//   int port = server.port();
//   server.Shutdown(deadline);                           // idempotent; safe without Start
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/self_metrics.h"
#include "receivers/otlp/config.h"

namespace otlpd::receiver::otlp {

class HttpServer {
 public:
  // How long a keep-alive connection may sit between requests, and how long a body may take
  // to arrive once its headers did. Not configurable (yet): generous bounds, not tuning knobs.
  static constexpr std::chrono::seconds kIdleTimeout{60};
  static constexpr std::chrono::seconds kBodyTimeout{60};

  // References outlive the server.
  HttpServer(const HttpServerConfig& cfg, ReceiverConsumers next, SelfMetrics& metrics,
             const std::string& receiver_id, std::shared_ptr<spdlog::logger> logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads TLS material, binds, and starts the I/O threads. The error says why ("address
  // already in use", "cannot load tls cert_file ...").
  Status Start();
  // The bound port; 0 before Start.
  int port() const { return port_.load(); }
  // Stops accepting, closes idle connections, lets requests in flight finish until `deadline`
  // (their connections close after the answer), then stops the I/O threads and joins them. A
  // request blocked in the pipeline past the deadline delays the join until it returns.
  void Shutdown(Deadline deadline);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<int> port_{0};
};

}  // namespace otlpd::receiver::otlp
