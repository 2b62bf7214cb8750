// OTLP/HTTP bodies: the Content-Type that says how a request is encoded, decompressing a
// request body (protobuf bodies then go to the wire scan, undecoded), decoding one into its
// message (OTLP/JSON), and encoding answers in the request's encoding. Kept apart from the
// server so the fuzz target exercises exactly the receiver's decoding path.
//
//   std::optional<BodyEncoding> enc = ParseContentType(req["Content-Type"]);   // nullopt -> 415
//   Status s = DecompressBody(Compression::kGzip, max_size, body);   // protobuf: bytes to scan
//   auto request = std::make_unique<TraceRequest>();
//   Status s = DecodeRequestBody(*enc, Compression::kGzip, body, max_size, *request);  // 400 if !ok
//   std::string answer = EncodeBody(*enc, TraceResponse());
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "pipeline/compression.h"
#include "pipeline/status.h"

namespace otlpd::receiver::otlp {

enum class BodyEncoding { kProtobuf, kJson };

// "application/x-protobuf" or "application/json", case-insensitive, parameters such as
// "; charset=utf-8" ignored. nullopt for anything else.
std::optional<BodyEncoding> ParseContentType(std::string_view content_type);

// The Content-Type to answer with.
std::string_view ContentTypeOf(BodyEncoding encoding);

// Replaces `body` with its decompressed form (capped at `max_decoded` bytes); an uncompressed
// body is only checked against the cap and stays as it is, with no copy. INVALID_ARGUMENT (the
// client's fault) when too large or corrupt, with the words DecodeRequestBody uses.
Status DecompressBody(Compression compression, size_t max_decoded, std::string& body);

// Decompresses `raw` (the decoded size is capped at `max_decoded` bytes) and parses it into
// `out`. Protobuf without compression is parsed straight from `raw`, with no copy. Every error
// is INVALID_ARGUMENT (the client's fault): too large, corrupt compression, unparsable payload.
Status DecodeRequestBody(BodyEncoding encoding, Compression compression, std::string_view raw,
                         size_t max_decoded, google::protobuf::Message& out);

// `message` as protobuf bytes or OTLP/JSON text.
std::string EncodeBody(BodyEncoding encoding, const google::protobuf::Message& message);

}  // namespace otlpd::receiver::otlp
