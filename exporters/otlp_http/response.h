// Reading an OTLP/HTTP backend's answer: the Retry-After header, the google.rpc.Status message
// of an error body, and the partial_success of a 2xx body, in protobuf or JSON as the
// Content-Type says.
//
//   std::optional<std::chrono::milliseconds> wait = ParseRetryAfter("120", clock.WallNow());
//   std::string why = ErrorMessageFromBody("application/x-protobuf", body);
//   StatusOr<PartialSuccess> p = ParsePartialSuccess(Signal::kTraces, content_type, body);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/signal.h"
#include "pipeline/status.h"

namespace otlpd::exporter::otlp_http {

// Retry-After as delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"),
// relative to `now`. A date in the past gives 0. nullopt when empty or unparsable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// True for application/json (with or without parameters); anything else is read as protobuf.
bool IsJsonContentType(std::string_view content_type);

// The message of an error answer: a google.rpc.Status (protobuf or JSON) gives its `message`;
// otherwise the body itself, as printable text cut to 256 characters. May be empty.
std::string ErrorMessageFromBody(std::string_view content_type, std::string_view body);

struct PartialSuccess {
  int64_t rejected = 0;  // rejected_spans / rejected_data_points / rejected_log_records
  std::string message;   // error_message (also a warning when nothing was rejected)
};

// The partial_success of an Export*ServiceResponse body of `signal`. An empty body is full
// success. INVALID_ARGUMENT when the body does not parse.
StatusOr<PartialSuccess> ParsePartialSuccess(Signal signal, std::string_view content_type,
                                             std::string_view body);

}  // namespace otlpd::exporter::otlp_http
