// Error answers of the otlp receiver: a pipeline Status as the google.rpc.Status both transports
// send back (gRPC in grpc-status-details-bin, HTTP as the body), with RetryInfo for retryable
// refusals so that clients back off, and the matching Retry-After seconds for HTTP.
//
//   google::rpc::Status body = ToRpcStatus(UnavailableError("queue is full"));
//   body.details(0).UnpackTo(&retry_info);      // retry_delay = 1s (the default)
//   res.set("Retry-After", std::to_string(RetryAfterSeconds(status)));
#pragma once

#include <chrono>
#include <cstdint>

#include "google/rpc/status.pb.h"
#include "pipeline/status.h"

namespace otlpd::receiver::otlp {

// How long a refused client should wait: the status' retry_after, else 1s.
std::chrono::milliseconds RetryDelay(const Status& status);

// RetryDelay in whole seconds for an HTTP Retry-After header: rounded up, at least 1.
int64_t RetryAfterSeconds(const Status& status);

// code and message of `status`; for retryable statuses (IsRetryable) one detail, an Any holding
// google.rpc.RetryInfo{retry_delay = RetryDelay(status)}.
google::rpc::Status ToRpcStatus(const Status& status);

}  // namespace otlpd::receiver::otlp
