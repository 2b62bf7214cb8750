// Our Status for a gRPC call's outcome. Codes are numerically equal, so the retry decision stays
// with IsRetryable() in pipeline/status.h; what this adds is the server's RetryInfo (from the
// google.rpc.Status details in the `grpc-status-details-bin` trailer) as retry_after, which
// makes RESOURCE_EXHAUSTED retryable and sets the wait for any code.
//
//   grpc::Status s = ...;                       // from the completed call
//   Status ours = StatusFromGrpc(s, "export to collector:4317");
//   if (IsRetryable(ours)) { /* wait max(backoff, ours.retry_after()) */ }
#pragma once

#include <string_view>

#include <grpcpp/support/status.h>

#include "pipeline/status.h"

namespace otlpd::exporter::otlp_grpc {

// `context` goes in front of the server's message ("<context>: <message>").
Status StatusFromGrpc(const grpc::Status& status, std::string_view context);

}  // namespace otlpd::exporter::otlp_grpc
