// The resource processor's work on an encoded request (any signal): decodes only the small
// Resource of each ResourceSpans / ResourceMetrics / ResourceLogs, applies the actions to it (the
// same ActionList the decoded path uses), and re-frames that one resource; scopes, spans, metrics
// and log records are copied byte for byte, never decoded.
//
// The result decodes to exactly what the decoded path produces: every resource comes out
// present (an absent one is created, as mutable_resource() does), written once as the first
// field of its ResourceX.
//
//   std::string out;
//   switch (ApplyToEncodedResources(batch.encoded(), actions, batch.metadata(), &out)) {
//     case EncodedEdit::kChanged: batch.set_encoded(std::move(out), batch.ItemCount()); break;
//     case EncodedEdit::kUnchanged: break;                 // the bytes already are the result
//     case EncodedEdit::kMalformed: /* decoded path */ break;
//   }
#pragma once

#include <string>
#include <string_view>

#include "processors/attributes/actions.h"

namespace otlpd::processor::resource {

enum class EncodedEdit {
  kUnchanged,  // the request already is the result; `out` is untouched
  kChanged,    // `out` holds the new request
  kMalformed,  // the bytes did not parse (a bug, as receivers check them): nothing was done
};

// `request` is a serialised Export{Trace,Metrics,Logs}ServiceRequest: all three keep their
// ResourceX in field 1 and the resource in field 1 of each ResourceX.
EncodedEdit ApplyToEncodedResources(std::string_view request, const attributes::ActionList& actions,
                                    const ClientMetadata& metadata, std::string* out);

}  // namespace otlpd::processor::resource
