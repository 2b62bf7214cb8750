// RequestSender: one connection's way of sending a pre-encoded OTLP request and learning how it
// ended. One per worker thread; not thread-safe.
//
//   std::unique_ptr<RequestSender> s = MakeSender(options);   // gRPC or HTTP, per --protocol
//   SendOutcome r = s->Send(encoded);
//   if (!r.ok) ++errors[r.code];                               // "grpc UNAVAILABLE", "http 503"
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "cmd/otlpgen/options.h"
#include "cmd/otlpgen/request_shapes.h"

namespace otlpd::otlpgen {

struct SendOutcome {
  bool ok = false;
  // For failures: "grpc UNAVAILABLE", "http 503", "transport: Couldn't connect to server".
  std::string code;
};

class RequestSender {
 public:
  virtual ~RequestSender() = default;
  // Sends one request and waits for its answer (at most the --timeout).
  virtual SendOutcome Send(const EncodedRequest& request) = 0;
};

// The sender for options.protocol and options.signal. Opens its own connection (gRPC channel or
// curl handle with keep-alive), so that N workers are N connections.
std::unique_ptr<RequestSender> MakeSender(const GenOptions& options);

// The URL an HTTP sender posts to: endpoint (with "http://" added when it has no scheme, and
// without a trailing '/') + "/v1/traces|metrics|logs".
std::string HttpUrl(const std::string& endpoint, Signal signal);

}  // namespace otlpd::otlpgen
