// libFuzzer target for the OTLP/HTTP body decoding path: Content-Encoding (gzip, deflate,
// zstd, identity) with the decoded-size cap, then protobuf or OTLP/JSON into the request of one
// signal - exactly receivers/otlp/body_codec.h as the HTTP server calls it.
//
// Input layout: byte 0 picks the encoding (protobuf / JSON), byte 1 the compression, byte 2 the
// signal; the rest is the body. Besides "no crash, no leak, no UB" it checks two properties of a
// body that decodes: the result re-encodes in the same encoding, and that encoding decodes again
// to an equal message (the hex-ID rewrite must be its own inverse). For protobuf it also runs
// the receiver's real path (DecompressBody, then the wire scan that hands the bytes on
// undecoded) and checks that it agrees with decoding: accepted exactly when the body decodes
// and its IDs have the right lengths, with the same item count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include "pipeline/id_lengths.h"
#include "pipeline/otlp_wire.h"
#include "pipeline/telemetry.h"
#include "receivers/otlp/body_codec.h"

namespace {

using otlpd::Compression;
using otlpd::receiver::otlp::BodyEncoding;

// Small, so that each input is cheap; the cap logic is the same at any size.
constexpr size_t kMaxDecoded = 1 << 20;

template <class Request>
void Check(BodyEncoding encoding, Compression compression, std::string_view body) {
  Request request;
  const bool decoded =
      otlpd::receiver::otlp::DecodeRequestBody(encoding, compression, body, kMaxDecoded, request)
          .ok();
  if (encoding == BodyEncoding::kProtobuf) {
    std::string plain(body);
    if (otlpd::receiver::otlp::DecompressBody(compression, kMaxDecoded, plain).ok()) {
      const otlpd::StatusOr<int64_t> items = otlpd::ScanEncodedRequest<Request>(plain);
      const bool valid = decoded && otlpd::CheckIdLengths(request).ok();
      if (items.ok() != valid) std::abort();
      if (items.ok() && *items != otlpd::CountItems(request)) std::abort();
    } else if (decoded) {
      std::abort();  // both paths share the decompression and its limit
    }
  }
  if (!decoded) return;
  (void)otlpd::CountItems(request);
  const std::string again = otlpd::receiver::otlp::EncodeBody(encoding, request);
  Request back;
  if (!otlpd::receiver::otlp::DecodeRequestBody(encoding, Compression::kNone, again, SIZE_MAX,
                                                 back)
           .ok()) {
    std::abort();  // what we encode, we must be able to read
  }
  // JSON drops unknown fields and protobuf keeps them; compare what both sides know.
  google::protobuf::util::DefaultFieldComparator fields;
  fields.set_treat_nan_as_equal(true);  // NaN survives the trip but is not equal to itself
  google::protobuf::util::MessageDifferencer diff;
  diff.set_field_comparator(&fields);
  diff.set_message_field_comparison(google::protobuf::util::MessageDifferencer::EQUIVALENT);
  request.DiscardUnknownFields();
  back.DiscardUnknownFields();
  if (!diff.Compare(request, back)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const BodyEncoding encoding = data[0] % 2 == 0 ? BodyEncoding::kProtobuf : BodyEncoding::kJson;
  constexpr Compression kCompressions[] = {Compression::kNone, Compression::kGzip,
                                           Compression::kDeflate, Compression::kZstd};
  const Compression compression = kCompressions[data[1] % 4];
  const std::string_view body(reinterpret_cast<const char*>(data + 3), size - 3);
  switch (data[2] % 3) {
    case 0: Check<otlpd::TraceRequest>(encoding, compression, body); break;
    case 1: Check<otlpd::MetricsRequest>(encoding, compression, body); break;
    default: Check<otlpd::LogsRequest>(encoding, compression, body); break;
  }
  return 0;
}
