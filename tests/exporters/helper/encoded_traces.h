// NonCanonicalTraces(n): an encoded batch (wire bytes, as a receiver hands it over) of the n
// spans of MakeTraces(n), laid out as no protobuf serialiser would write them: the resource's
// scope_spans come before its resource. It decodes to MakeTraces(n), but decoding and
// re-serialising it gives other bytes, so a test that finds these exact bytes downstream knows
// nothing decoded and re-encoded the batch on the way.
//
//   TracesBatch b = NonCanonicalTraces(3);
//   const std::string sent = b.encoded();
//   exporter->Consume(std::move(b));   ... EXPECT_EQ(body, sent);
#pragma once

#include <string>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "tests/support/telemetry_builders.h"

namespace otlpd::testing {

inline TracesBatch NonCanonicalTraces(int n, const std::string& service = "test-service") {
  using google::protobuf::internal::WireFormatLite;
  const TraceRequest req = MakeTraces(n, service).request();
  opentelemetry::proto::trace::v1::ResourceSpans scopes_only;
  *scopes_only.mutable_scope_spans() = req.resource_spans(0).scope_spans();
  opentelemetry::proto::trace::v1::ResourceSpans resource_only;
  *resource_only.mutable_resource() = req.resource_spans(0).resource();
  const std::string resource_spans =
      scopes_only.SerializeAsString() + resource_only.SerializeAsString();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.WriteTag(WireFormatLite::MakeTag(TraceRequest::kResourceSpansFieldNumber,
                                         WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(resource_spans.size()));
    out.WriteString(resource_spans);
  }
  return TracesBatch::FromEncoded(std::move(bytes), n);
}

}  // namespace otlpd::testing
