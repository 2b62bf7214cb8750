// ScanEncodedRequest: checks an Export{Trace,Metrics,Logs}ServiceRequest in protobuf wire format
// without building message objects, and counts its items. A receiver that scanned a body can
// hand the bytes on as an encoded batch (Batch::FromEncoded), and every later stage may trust
// them: they decode, and hold nothing the receiver would have refused after decoding.
//
// The scan accepts exactly what `Request::ParseFromString` accepts and CheckIdLengths
// (pipeline/id_lengths.h) passes, with the same refusals: bad tags and wire types, truncated
// fields, lengths past the end, invalid UTF-8 in `string` fields, nesting past protobuf's
// recursion limit (100), field number 0, unbalanced groups. Unknown fields (and known fields
// with a wire type protobuf does not expect there) are skipped as protobuf skips them. The
// count equals CountItems() of the decoded request, including a Metric whose `data` oneof
// appears several times on the wire (the last member wins; repeats of one member merge).
//
//   StatusOr<int64_t> items = ScanEncodedRequest<TraceRequest>(body);
//   if (!items.ok()) return items.status();              // INVALID_ARGUMENT
//   TracesBatch batch = TracesBatch::FromEncoded(std::move(body), *items);
#pragma once

#include <cstdint>
#include <string_view>

#include "pipeline/status.h"
#include "pipeline/telemetry.h"

namespace otlpd {

// The message of the INVALID_ARGUMENT for bytes protobuf would not parse: the same words the
// HTTP receiver has always answered. A bad ID length answers CheckIdLengths' message instead.
inline constexpr std::string_view kUnparsableProtobuf = "cannot parse the protobuf body";

// True for the scan's "does not parse" refusal (as opposed to an ID of the wrong length): gRPC
// answers that one INTERNAL, as it does for any message it cannot deserialise.
bool IsUnparsableProtobuf(const Status& status);

// Checks `bytes` as described above. Returns the item count (spans / metric data points / log
// records) or INVALID_ARGUMENT. Instantiated for TraceRequest, MetricsRequest, LogsRequest.
template <class Request>
StatusOr<int64_t> ScanEncodedRequest(std::string_view bytes);

extern template StatusOr<int64_t> ScanEncodedRequest<TraceRequest>(std::string_view);
extern template StatusOr<int64_t> ScanEncodedRequest<MetricsRequest>(std::string_view);
extern template StatusOr<int64_t> ScanEncodedRequest<LogsRequest>(std::string_view);

}  // namespace otlpd
