// libFuzzer target for pipeline/compression.h: the bounded decoders (gzip, deflate with its zlib /
// gzip / raw fallbacks, zstd) on arbitrary bytes with a small limit, and exact compress ->
// decompress round trips.
//
// Input layout: byte 0 picks the codec, byte 1 the mode (decode the rest / round-trip the rest),
// byte 2 the limit (0..4095 bytes, from bytes 2-3) or, when round-tripping, the level. Properties
// checked besides "no crash, no leak, no UB":
//   - a successful decode never returns more than the limit;
//   - a decode that succeeds under a limit gives the same bytes under a larger one (the limit
//     only ever refuses, it never changes what is decoded);
//   - Compress then Decompress gives back the input exactly, with the limit set to the input's
//     size; one byte less is refused as too large.
//
//   build-fuzz/tests/fuzz/compression_fuzzer -max_total_time=60 tests/fuzz/corpus/compression
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pipeline/compression.h"

namespace {

using otlpd::Compression;

constexpr Compression kCodecs[] = {Compression::kGzip, Compression::kDeflate, Compression::kZstd,
                                   Compression::kNone};

void CheckDecode(Compression codec, size_t limit, std::string_view in) {
  const otlpd::StatusOr<std::string> out = otlpd::Decompress(codec, in, limit);
  if (!out.ok()) return;
  if (out->size() > limit) std::abort();
  const otlpd::StatusOr<std::string> wider = otlpd::Decompress(codec, in, limit * 2 + 1);
  if (!wider.ok() || *wider != *out) std::abort();
}

// Levels kept to the fast end so that each input stays cheap; the formats do not depend on them.
int LevelFor(Compression codec, uint8_t selector) {
  switch (codec) {
    case Compression::kZstd: return static_cast<int>(selector % 8) - 3;  // -3..4 (0: default)
    default: return selector % 7;  // 0 (default) .. 6
  }
}

void CheckRoundTrip(Compression codec, uint8_t level_selector, std::string_view in) {
  const otlpd::StatusOr<std::string> packed =
      otlpd::Compress(codec, in, LevelFor(codec, level_selector));
  if (!packed.ok()) std::abort();  // every level we pick is valid, every input compressible
  const otlpd::StatusOr<std::string> back = otlpd::Decompress(codec, *packed, in.size());
  if (!back.ok() || *back != in) std::abort();
  if (!in.empty() && otlpd::Decompress(codec, *packed, in.size() - 1).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const Compression codec = kCodecs[data[0] % 4];
  const std::string_view rest(reinterpret_cast<const char*>(data + 4), size - 4);
  if (data[1] % 2 == 0) {
    const size_t limit = (size_t{data[2]} << 8 | data[3]) % 4096;
    CheckDecode(codec, limit, rest);
  } else {
    CheckRoundTrip(codec, data[2], rest);
  }
  return 0;
}
