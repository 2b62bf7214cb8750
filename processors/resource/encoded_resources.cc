#include "processors/resource/encoded_resources.h"

#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "pipeline/wire_fields.h"

namespace otlpd::processor::resource {
namespace {

using opentelemetry::proto::resource::v1::Resource;

// Field numbers shared by the three signals' requests and ResourceX messages.
constexpr uint32_t kResourceListField = 1;  // Export*ServiceRequest.resource_{spans,metrics,logs}
constexpr uint32_t kResourceField = 1;      // ResourceX.resource

struct Scratch {
  Resource resource;
  std::string joined;    // several `resource` occurrences, concatenated (protobuf merges them)
  std::string encoded;   // the edited resource
};

Scratch& ThreadScratch() {
  // Reused per thread: receivers call the processor from many threads at once.
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

EncodedEdit ApplyToEncodedResources(std::string_view request, const attributes::ActionList& actions,
                                    const ClientMetadata& metadata, std::string* out) {
  Scratch& s = ThreadScratch();
  size_t copied = 0;  // request bytes before this offset are already in *out (once changed)
  bool changed = false;

  WireFieldReader top(request);
  WireField rx;
  while (top.Next(&rx)) {
    if (rx.number != kResourceListField || !rx.length_delimited) continue;  // kept verbatim

    // Gather the resource (maybe absent, maybe split over several occurrences).
    std::string_view single;
    int occurrences = 0;
    bool resource_first = false;
    size_t others_size = 0;
    s.joined.clear();
    {
      WireFieldReader fields(rx.payload);
      WireField f;
      bool first = true;
      while (fields.Next(&f)) {
        if (f.number == kResourceField && f.length_delimited) {
          if (occurrences++ == 0) single = f.payload;
          s.joined.append(f.payload);
          resource_first = first;
        } else {
          others_size += f.whole.size();
        }
        first = false;
      }
      if (fields.failed()) return EncodedEdit::kMalformed;
    }
    if (!s.resource.ParseFromString(s.joined)) return EncodedEdit::kMalformed;
    actions.Apply(s.resource.mutable_attributes(), metadata);
    s.encoded.clear();
    s.resource.SerializeToString(&s.encoded);

    // Unchanged when the resource, written once and first, re-encodes to the same bytes.
    if (occurrences == 1 && resource_first && s.encoded == single) continue;

    if (!changed) {
      out->clear();
      out->reserve(request.size() + 64);
      changed = true;
    }
    const size_t rx_start = static_cast<size_t>(rx.whole.data() - request.data());
    out->append(request.substr(copied, rx_start - copied));
    AppendLengthDelimitedHeader(kResourceListField,
                                LengthDelimitedSize(kResourceField, s.encoded.size()) + others_size,
                                out);
    AppendLengthDelimitedHeader(kResourceField, s.encoded.size(), out);
    out->append(s.encoded);
    WireFieldReader fields(rx.payload);
    WireField f;
    while (fields.Next(&f)) {
      if (!(f.number == kResourceField && f.length_delimited)) out->append(f.whole);
    }
    copied = rx_start + rx.whole.size();
  }
  if (top.failed()) return EncodedEdit::kMalformed;
  if (!changed) return EncodedEdit::kUnchanged;
  out->append(request.substr(copied));
  return EncodedEdit::kChanged;
}

}  // namespace otlpd::processor::resource
