// libFuzzer target for OTLP protobuf export requests and what a receiver and the pipeline do
// with one once it has decoded: count its items, re-encode it as OTLP/JSON (the debug exporter,
// JSON answers), and cut and merge it at item boundaries (pipeline/request_split.h, which the
// batch processor and exporter-side batching run on every request).
//
// How the targets divide the work: http_body_fuzzer feeds bytes through the HTTP body path
// (Content-Encoding, size cap, protobuf or JSON) and round-trips in the same encoding;
// otlp_json_fuzzer goes deep into the JSON text format; this one starts from protobuf bytes and
// covers the code after decoding, which the other two never reach.
//
// Input layout: byte 0 picks the signal, bytes 1-2 where to split; the rest is the protobuf
// body. Properties checked for every body that decodes and that a receiver accepts (IDs of the
// right length, pipeline/id_lengths.h):
//   - the OTLP/JSON encoding of the request decodes to an equal request (unknown fields aside);
//   - SplitRequest(r, n) returns exactly min(n, items) items and leaves the rest in r;
//   - appending the rest back onto the head gives the original item count, and the merged
//     request still encodes and decodes as protobuf.
//
//   build-fuzz/tests/fuzz/otlp_proto_fuzzer -max_total_time=60 tests/fuzz/corpus/otlp_proto
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include "pipeline/id_lengths.h"
#include "pipeline/otlp_json.h"
#include "pipeline/request_split.h"
#include "pipeline/telemetry.h"

namespace {

bool Equivalent(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  google::protobuf::util::DefaultFieldComparator fields;
  fields.set_treat_nan_as_equal(true);  // NaN survives the trip but is not equal to itself
  google::protobuf::util::MessageDifferencer diff;
  diff.set_field_comparator(&fields);
  diff.set_message_field_comparison(google::protobuf::util::MessageDifferencer::EQUIVALENT);
  return diff.Compare(a, b);
}

template <class Request>
void Check(int64_t split_at, std::string_view body) {
  Request request;
  if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) return;
  if (!otlpd::CheckIdLengths(request).ok()) return;  // receivers refuse it: 400 / INVALID_ARGUMENT
  const int64_t items = otlpd::CountItems(request);
  if (items < 0) std::abort();

  // JSON keeps no unknown fields; compare what both encodings know.
  request.DiscardUnknownFields();
  const otlpd::StatusOr<std::string> json = otlpd::PrintOtlpJson(request);
  if (!json.ok()) std::abort();
  Request from_json;
  if (!otlpd::ParseOtlpJson(*json, from_json).ok()) std::abort();
  if (!Equivalent(request, from_json)) std::abort();

  Request pending;
  if (otlpd::AppendRequest(pending, Request(request)) != items) std::abort();
  if (otlpd::CountItems(pending) != items) std::abort();
  Request head = otlpd::SplitRequest(pending, split_at);
  const int64_t in_head = std::min(split_at, items);
  if (otlpd::CountItems(head) != in_head) std::abort();
  if (otlpd::CountItems(pending) != items - in_head) std::abort();
  if (otlpd::AppendRequest(head, std::move(pending)) != items - in_head) std::abort();
  if (otlpd::CountItems(head) != items) std::abort();

  const std::string wire = head.SerializeAsString();
  Request reread;
  if (!reread.ParseFromString(wire) || otlpd::CountItems(reread) != items) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const int64_t split_at = int64_t{data[1]} << 8 | data[2];
  const std::string_view body(reinterpret_cast<const char*>(data + 3), size - 3);
  switch (data[0] % 3) {
    case 0: Check<otlpd::TraceRequest>(split_at, body); break;
    case 1: Check<otlpd::MetricsRequest>(split_at, body); break;
    default: Check<otlpd::LogsRequest>(split_at, body); break;
  }
  return 0;
}
