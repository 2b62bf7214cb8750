// Trace and span ID lengths in decoded OTLP requests: a trace ID is 16 bytes, a span ID 8, and
// an empty one means "none". Protobuf declares them as plain `bytes`, so the protobuf decoder
// accepts any length; the Go Collector's decoder does not (pdata's TraceID / SpanID refuse
// another length: "unmarshal: invalid SpanID length"), and neither does OTLP/JSON, whose hex
// form has a fixed width. Receivers check this after decoding protobuf so that a request is
// accepted or refused the same way on every transport and encoding, and so that everything in
// the pipeline can be written as OTLP/JSON again.
//
// Checked: spans (trace_id, span_id, parent_span_id), span links (trace_id, span_id), log
// records (trace_id, span_id), and the exemplars of every metric data point type.
//
//   Status s = CheckIdLengths(request);   // INVALID_ARGUMENT naming the field and its length
//   if (!s.ok()) return s;                // HTTP 400 / gRPC INVALID_ARGUMENT, nothing accepted
#pragma once
#include "pipeline/status.h"
#include "pipeline/telemetry.h"

namespace otlpd {

Status CheckIdLengths(const TraceRequest& request);
Status CheckIdLengths(const MetricsRequest& request);
Status CheckIdLengths(const LogsRequest& request);

}  // namespace otlpd
