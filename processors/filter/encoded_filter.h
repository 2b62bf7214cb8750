// The filter processor's work on encoded traces and logs: decides item by item (span, log
// record) from projections, and copies the surviving items' bytes without decoding them whole.
//
// Traces and logs requests have the same shape on the wire: resource_{spans,logs} (1) ->
// resource (1), scope_{spans,logs} (2) -> scope (1), spans / log_records (2). At construction
// the filter reads the parsed conditions of the resource, scope and item contexts and notes what
// they read: whether any path names the resource or the scope (then those small messages are
// decoded, once per ResourceX / ScopeX, into reused objects), and which item fields (then only
// those fields' bytes are read into a reused Span / LogRecord, e.g. only `name` for the
// reference IsMatch(name, ...) filter). The ConditionGroups evaluate these projections exactly
// as they evaluate decoded telemetry, in the same order, with the same errors, so the result,
// the count and the error_mode outcome are those of the decoded path.
//
// Not usable (the processor then decodes) with spanevent conditions, which edit the spans
// themselves, or when a condition reads a field this projection does not know.
//
//   EncodedTracesFilter wire(conditions);            // once, with the processor
//   if (batch.is_encoded() && wire.usable()) {
//     ConditionErrors errors;
//     std::string out;
//     EncodedFilterResult r = wire.Run(batch.encoded(), &errors, &out);
//     if (r.changed) batch.set_encoded(std::move(out), batch.ItemCount() - r.filtered);
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "processors/filter/config.h"

namespace otlpd::processor::filter {

struct EncodedFilterResult {
  bool malformed = false;      // the bytes did not parse (a bug): nothing is valid, decode
  bool changed = false;        // something was dropped: `*out` holds the new request
  int64_t filtered = 0;        // items dropped
  int64_t resources_left = 0;  // ResourceX in the result; 0: nothing is left to send
};

// `Layout` is TracesLayout or LogsLayout (encoded_filter.cc): the item message, its context
// and how its fields map to the OTTL paths.
template <class Layout>
class EncodedFilter {
 public:
  // `conditions` (may be null: then not usable) must outlive this object.
  explicit EncodedFilter(const SignalConditions* conditions);

  bool usable() const { return usable_; }
  // Whether evaluations read the resource / the scope, and which item fields (bit n: field
  // number n of the Span / LogRecord). For tests.
  bool reads_resource() const { return read_resource_; }
  bool reads_scope() const { return read_scope_; }
  uint32_t item_field_mask() const { return item_fields_; }

  // Filters a serialised Export{Trace,Logs}ServiceRequest. Drops what the conditions select,
  // then the ScopeX and ResourceX left without items (also those that had none), as the decoded
  // path does. Stops at an error under error_mode propagate (errors->propagate): the rest of
  // the result is then meaningless. Thread-safe (scratch objects are per thread).
  EncodedFilterResult Run(std::string_view request, ConditionErrors* errors,
                          std::string* out) const;

 private:
  const SignalConditions* conditions_ = nullptr;
  bool usable_ = false;
  bool read_resource_ = false;
  bool read_scope_ = false;
  uint32_t item_fields_ = 0;
};

struct TracesLayout;
struct LogsLayout;
using EncodedTracesFilter = EncodedFilter<TracesLayout>;
using EncodedLogsFilter = EncodedFilter<LogsLayout>;

extern template class EncodedFilter<TracesLayout>;
extern template class EncodedFilter<LogsLayout>;

}  // namespace otlpd::processor::filter
