// The filter processor's traces work on an encoded request: decides span by span from
// projections, and copies the surviving spans' bytes without ever decoding them whole.
//
// At construction it reads the parsed conditions of the resource, scope and span contexts and
// notes what they read: whether any path names the resource or the scope (then those small
// messages are decoded, once per ResourceSpans / ScopeSpans, into reused objects), and which
// span fields (then only those fields' bytes are parsed into a reused Span, e.g. only `name`
// for the reference IsMatch(name, ...) filter). The ConditionGroups evaluate these projections
// exactly as they evaluate decoded telemetry, in the same order, with the same errors, so the
// result, the count and the error_mode outcome are those of the decoded path.
//
// Not usable (the processor then decodes) when there are spanevent conditions, which edit the
// spans themselves, or a condition reads a span field this projection does not know.
//
//   EncodedTracesFilter wire(conditions);            // once, with the processor
//   if (batch.is_encoded() && wire.usable()) {
//     ConditionErrors errors;
//     std::string out;
//     EncodedTracesFilter::Result r = wire.Run(batch.encoded(), &errors, &out);
//     if (r.changed) batch.set_encoded(std::move(out), batch.ItemCount() - r.filtered);
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "processors/filter/config.h"

namespace otlpd::processor::filter {

class EncodedTracesFilter {
 public:
  // `conditions` (may be null: then not usable) must outlive this object.
  explicit EncodedTracesFilter(const SignalConditions* conditions);

  bool usable() const { return usable_; }
  // Whether evaluations read the resource / the scope, and which span fields (bit n: field
  // number n of opentelemetry.proto.trace.v1.Span). For tests and the README.
  bool reads_resource() const { return read_resource_; }
  bool reads_scope() const { return read_scope_; }
  uint32_t span_field_mask() const { return span_fields_; }

  struct Result {
    bool malformed = false;      // the bytes did not parse (a bug): nothing is valid, decode
    bool changed = false;        // something was dropped: `*out` holds the new request
    int64_t filtered = 0;        // spans dropped
    int64_t resources_left = 0;  // ResourceSpans in the result; 0: nothing is left to send
  };

  // Filters a serialised ExportTraceServiceRequest. Drops what the conditions select, then
  // the ScopeSpans and ResourceSpans left without spans (also those that had none), as the
  // decoded path does. Stops at an error under error_mode propagate (errors->propagate): the
  // rest of the result is then meaningless. Thread-safe (scratch objects are per thread).
  Result Run(std::string_view request, ConditionErrors* errors, std::string* out) const;

 private:
  const SignalConditions* conditions_ = nullptr;
  bool usable_ = false;
  bool read_resource_ = false;
  bool read_scope_ = false;
  uint32_t span_fields_ = 0;
};

}  // namespace otlpd::processor::filter
