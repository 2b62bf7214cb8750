// SimpleHttpServer: a small HTTP/1.1 server (Boost.Beast) for the service's own read-only pages:
// the health_check extension and the Prometheus self-metrics endpoint. It answers GET and HEAD
// from a fixed map of path -> handler on one io thread. Not for telemetry traffic: the OTLP
// receiver has its own server with body limits, decompression and back-pressure.
//
//   SimpleHttpServer server({.endpoint = "localhost:13133", .logger = log},
//                           {{"/", [] { return HttpResponse{200, "application/json", "{}"}; }}});
//   if (Status s = server.Start(); !s.ok()) return s;  // names the address that failed to bind
//   int port = server.port();                           // the bound port (useful with port 0)
//   server.Stop();                                      // closes every connection, joins the thread
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "pipeline/status.h"

namespace otlpd {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Runs on the server's io thread, one request at a time: keep it short and non-blocking (it
// stalls every other connection while it runs). An exception becomes a 500.
using HttpHandler = std::function<HttpResponse()>;

// Path -> handler. A path ending in '/' also serves everything below it, the longest match
// winning (the rule of Go's http.ServeMux, which the Collector's endpoints use: the health
// check's default path "/" answers on any path). The query string is ignored for matching.
using HttpHandlers = std::map<std::string, HttpHandler>;

class SimpleHttpServer {
 public:
  struct Options {
    // "host:port": "localhost:8888", "0.0.0.0:13133", ":13133" (all IPv4 interfaces),
    // "[::1]:8888". Port 0 picks a free port (see port()).
    std::string endpoint;
    // Open connections allowed at once. Over the limit a new connection is accepted and closed
    // at once, so a flood of probes cannot use up file descriptors or memory.
    size_t max_connections = 32;
    // A client must deliver a complete request within this time of connecting (or of its
    // previous answer, for keep-alive); otherwise the connection is closed. Also bounds writes.
    std::chrono::milliseconds request_timeout{10'000};
    // Where accept errors and the listening address are logged; nullptr: the "http_server" logger.
    std::shared_ptr<spdlog::logger> logger;
  };

  SimpleHttpServer(Options options, HttpHandlers handlers);
  // Stops the server if still running.
  ~SimpleHttpServer();
  SimpleHttpServer(const SimpleHttpServer&) = delete;
  SimpleHttpServer& operator=(const SimpleHttpServer&) = delete;

  // Binds and starts the io thread. Call once. INVALID_ARGUMENT for an endpoint that does not
  // parse, UNAVAILABLE when the address cannot be resolved or bound; both messages name the
  // endpoint.
  Status Start();
  // Closes the listener and every connection, then joins the io thread. Idempotent; safe when
  // Start was never called or failed. Returns promptly: nothing it waits for can block.
  void Stop();

  // The bound port once Start succeeded (0 before).
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits "host:port" ("[v6]:port" for IPv6; an empty host means every interface). The port must
// be a number in [0, 65535]. INVALID_ARGUMENT otherwise, naming the endpoint.
struct HostPort {
  std::string host;
  int port = 0;
};
StatusOr<HostPort> ParseHostPort(const std::string& endpoint);

}  // namespace otlpd
