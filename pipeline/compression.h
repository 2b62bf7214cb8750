// Compression: the content codings otlpd speaks on the wire (gzip, deflate, zstd), decoded with a
// hard cap on the decoded size and encoded for exporters.
//
// Decompress streams and stops as soon as the output passes `max_out`, so a gzip bomb that would
// inflate to 1 GB costs about `max_out` bytes of memory and the time to produce them, never the
// whole 1 GB. Receivers pass their body limit as `max_out`: the limit then holds for the raw body
// (the HTTP parser) and again for the decoded one (here).
//
//   std::optional<Compression> c = ParseContentEncoding(request["Content-Encoding"]);
//   if (!c) return InvalidArgumentError("unsupported Content-Encoding");
//   StatusOr<std::string> body = Decompress(*c, raw_body, max_request_body_size);
//   StatusOr<std::string> wire = Compress(Compression::kGzip, encoded, /*level=*/0);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/status.h"

namespace otlpd {

enum class Compression { kNone, kGzip, kDeflate, kZstd };

// A Content-Encoding (or grpc-encoding) value: "identity" or empty -> kNone, "gzip" and "x-gzip"
// -> kGzip, "deflate" -> kDeflate, "zstd" -> kZstd; case-insensitive, surrounding white space
// ignored. nullopt for anything else (including lists such as "gzip, zstd": nobody sends them
// for OTLP, and decoding them in a loop would multiply the bomb problem).
std::optional<Compression> ParseContentEncoding(std::string_view value);

// The Content-Encoding token for `c` ("identity", "gzip", "deflate", "zstd").
std::string_view CompressionName(Compression c);

// Decodes `in`. kGzip expects the gzip wrapper (several members in a row are accepted, as Go's
// reader does); kDeflate expects the zlib wrapper, which is what HTTP "deflate" means, and falls
// back to raw deflate because some clients send that; kZstd accepts one or more frames. kNone
// returns a copy (callers that own the body should not call it for kNone).
//
// Errors, all INVALID_ARGUMENT because the input is the client's fault:
//   "decompressed body exceeds N bytes"  - the output passed max_out. Output memory never
//                                          exceeds max_out + 1 bytes while decoding (plus the
//                                          codec's state: 32 KiB for zlib, a zstd window of at
//                                          most max(8 MiB, max_out)), so a refused bomb costs at
//                                          most that;
//   "invalid gzip data: ..." / "invalid deflate data: ..." / "invalid zstd data: ..."
//                                        - corrupt or truncated input.
StatusOr<std::string> Decompress(Compression c, std::string_view in, size_t max_out);

// Encodes `in` in one shot (gzip and deflate with libdeflate, zstd with libzstd). `level` 0 means
// the codec's default (gzip/deflate 6, zstd 3); otherwise gzip/deflate take 1..12 and zstd its
// own range (negative levels are zstd's fast modes). An out-of-range level is INVALID_ARGUMENT.
// Compressor state is cached per thread, so exporters can call this on every request.
StatusOr<std::string> Compress(Compression c, std::string_view in, int level);

}  // namespace otlpd
