// libFuzzer target for the OTLP/JSON decoder and encoder (pipeline/otlp_json.h) on their own,
// without the HTTP body layer around them (http_body_fuzzer covers that layer, with the
// compression in front): the hex-ID rewrite, enum names and numbers, snake_case names, 64-bit
// integers as strings, unknown fields.
//
// Input layout: byte 0 picks the message (the three export requests, or a bare AnyValue so that
// nested values are reached without the request scaffolding); the rest is the JSON text.
// Properties checked besides "no crash, no leak, no UB", for every document that is accepted:
//   - its IDs have the lengths receivers demand of protobuf requests (pipeline/id_lengths.h);
//   - it prints (PrintOtlpJson never fails on a message ParseOtlpJson produced);
//   - what it prints parses again to an equal message (accepted -> encode -> decode equal);
//   - printing is stable: the second print is byte for byte the first.
//
//   build-fuzz/tests/fuzz/otlp_json_fuzzer -dict=tests/fuzz/otlp_json.dict \
//     -max_total_time=60 tests/fuzz/corpus/otlp_json
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include "pipeline/id_lengths.h"
#include "pipeline/otlp_json.h"
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

template <class Message>
void CheckIds(const Message& message) {
  if (!otlpd::CheckIdLengths(message).ok()) std::abort();
}
void CheckIds(const opentelemetry::proto::common::v1::AnyValue&) {}

template <class Message>
void Check(std::string_view json) {
  Message message;
  if (!otlpd::ParseOtlpJson(json, message).ok()) return;
  CheckIds(message);
  const otlpd::StatusOr<std::string> printed = otlpd::PrintOtlpJson(message);
  if (!printed.ok()) std::abort();
  Message back;
  if (!otlpd::ParseOtlpJson(*printed, back).ok()) std::abort();
  if (!Equivalent(message, back)) std::abort();
  const otlpd::StatusOr<std::string> again = otlpd::PrintOtlpJson(back);
  if (!again.ok() || *again != *printed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view json(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: Check<otlpd::TraceRequest>(json); break;
    case 1: Check<otlpd::MetricsRequest>(json); break;
    case 2: Check<otlpd::LogsRequest>(json); break;
    default: Check<opentelemetry::proto::common::v1::AnyValue>(json); break;
  }
  return 0;
}
