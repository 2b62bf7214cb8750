#include "pipeline/compression.h"

#include <zlib.h>
#include <zstd.h>
#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace otlpd {
namespace {

// The first output buffer: big enough that typical bodies need no regrowth (OTLP protobuf
// compresses about 5-10x), small enough that a tiny bomb does not reserve max_out up front.
constexpr size_t kMinInitialOut = 16 * 1024;
constexpr size_t kGuessRatio = 8;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status TooBig(size_t max_out) {
  return InvalidArgumentError("decompressed body exceeds " + std::to_string(max_out) + " bytes");
}

Status Corrupt(std::string_view codec, std::string_view why) {
  return InvalidArgumentError("invalid " + std::string(codec) + " data: " + std::string(why));
}

// Decoded output, capped at max_out + 1 bytes (one byte more than allowed is how the decoders
// tell "exactly max_out" from "too much"). It grows by adding chunks instead of reallocating, so
// the peak allocation is the cap itself, not old + new buffer during a regrowth; the chunks are
// joined only once decoding succeeded. With a correct size hint there is a single chunk and no
// join at all.
class BoundedOutput {
 public:
  BoundedOutput(size_t max_out, size_t size_hint)
      : cap_(max_out == SIZE_MAX ? SIZE_MAX : max_out + 1),
        next_chunk_(std::max(size_hint, kMinInitialOut)) {}

  // Writable space at the end of the output; size 0 once the cap is reached.
  std::pair<char*, size_t> Space() {
    if (chunks_.empty() || used_ == chunks_.back().size()) {
      const size_t room = cap_ - allocated_;
      if (room == 0) return {nullptr, 0};
      const size_t n = std::min(room, next_chunk_);
      chunks_.emplace_back(n, '\0');
      allocated_ += n;
      used_ = 0;
      next_chunk_ = std::max(next_chunk_, allocated_);  // the output doubles with each chunk
    }
    return {chunks_.back().data() + used_, chunks_.back().size() - used_};
  }
  void Commit(size_t n) {
    used_ += n;
    produced_ += n;
  }
  // Copies `n` bytes to the end of the output; false once they would pass the cap.
  bool Append(const char* data, size_t n) {
    while (n > 0) {
      const auto [space, space_size] = Space();
      if (space_size == 0) return false;
      const size_t k = std::min(n, space_size);
      std::memcpy(space, data, k);
      Commit(k);
      data += k;
      n -= k;
    }
    return true;
  }
  size_t produced() const { return produced_; }

  std::string Take() {
    if (chunks_.empty()) return std::string();
    chunks_.back().resize(used_);
    if (chunks_.size() == 1) return std::move(chunks_.front());
    std::string out;
    out.reserve(produced_);
    for (std::string& c : chunks_) {
      out += c;
      std::string().swap(c);
    }
    return out;
  }

 private:
  size_t cap_;
  size_t next_chunk_;
  size_t allocated_ = 0;
  size_t used_ = 0;  // bytes written into the last chunk
  size_t produced_ = 0;
  std::vector<std::string> chunks_;
};

size_t SaturatingMul(size_t a, size_t b) { return (b != 0 && a > SIZE_MAX / b) ? SIZE_MAX : a * b; }

// zlib's inflate over the whole input. `window_bits` picks the wrapper (31 gzip, 15 zlib, -15
// raw, 47 auto). With `multi_member`, a complete gzip member followed by another gzip header
// keeps going (RFC 1952 allows concatenated members).
StatusOr<std::string> Inflate(std::string_view in, size_t max_out, int window_bits,
                              std::string_view codec, bool multi_member, size_t size_hint) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return InternalError("inflateInit2 failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);

  BoundedOutput out(max_out, size_hint);
  size_t consumed = 0;
  for (;;) {
    const auto [space, space_size] = out.Space();
    if (space_size == 0) return TooBig(max_out);
    // zlib counts in uInt: feed and drain at most UINT_MAX bytes per call.
    const size_t in_chunk = std::min<size_t>(in.size() - consumed, UINT_MAX);
    const size_t out_chunk = std::min<size_t>(space_size, UINT_MAX);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
    zs.avail_in = static_cast<uInt>(in_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(space);
    zs.avail_out = static_cast<uInt>(out_chunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    consumed += in_chunk - zs.avail_in;
    out.Commit(out_chunk - zs.avail_out);
    if (out.produced() > max_out) return TooBig(max_out);
    switch (rc) {
      case Z_OK:
        continue;
      case Z_STREAM_END: {
        if (consumed == in.size()) return out.Take();
        const std::string_view rest = in.substr(consumed);
        if (multi_member && rest.size() >= 2 && static_cast<unsigned char>(rest[0]) == 0x1f &&
            static_cast<unsigned char>(rest[1]) == 0x8b) {
          if (inflateReset(&zs) != Z_OK) return InternalError("inflateReset failed");
          continue;
        }
        return Corrupt(codec, "trailing bytes after the end of the stream");
      }
      case Z_BUF_ERROR:
        // No progress possible: the output is full (grow and go on), the next input chunk is
        // still to be fed, or the input ended before the stream did.
        if (zs.avail_out == 0 || (zs.avail_in == 0 && consumed < in.size())) continue;
        if (consumed == in.size()) return Corrupt(codec, "unexpected end of stream");
        return Corrupt(codec, "corrupt stream");
      case Z_MEM_ERROR:
        return InternalError("inflate: out of memory");
      default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
        return Corrupt(codec, zs.msg != nullptr ? zs.msg : "corrupt stream");
    }
  }
}

// gzip stores the decoded size modulo 2^32 in its last four bytes: a free but untrusted hint for
// the first allocation. Deflate cannot expand more than ~1032:1, so a larger claim is a lie (or
// a wrapped count) and is not believed: a tiny body must not reserve max_out bytes.
size_t GzipSizeHint(std::string_view in) {
  if (in.size() < 18) return SaturatingMul(in.size(), kGuessRatio);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
  const size_t isize = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<size_t>(p[3]) << 24);
  // +1 so that a correct hint needs no regrowth to see the end of the stream.
  return std::min(isize + 1, SaturatingMul(in.size(), 1032));
}

bool LooksLikeZlib(std::string_view in) {
  if (in.size() < 2) return false;
  const auto b0 = static_cast<unsigned char>(in[0]);
  const auto b1 = static_cast<unsigned char>(in[1]);
  return (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
}

bool LooksLikeGzip(std::string_view in) {
  return in.size() >= 2 && static_cast<unsigned char>(in[0]) == 0x1f &&
         static_cast<unsigned char>(in[1]) == 0x8b;
}

StatusOr<std::string> Unzstd(std::string_view in, size_t max_out) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!dctx) return InternalError("ZSTD_createDCtx failed");
  // The decoder allocates the window the frame asks for. Legitimate encoders use at most 8 MiB
  // (level 19 and klauspost's default); a larger window than the allowed output is never needed.
  // 27 is zstd's own default limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, not in the stable API).
  constexpr int kMaxWindowLog = 27;
  int window_log = 23;
  while (window_log < kMaxWindowLog && (size_t{1} << window_log) < max_out) {
    ++window_log;
  }
  ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, window_log);

  size_t hint = SaturatingMul(in.size(), kGuessRatio);
  const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR) {
    // Believed only up to a plausible ratio, for the same reason as GzipSizeHint.
    const size_t claimed = declared >= SIZE_MAX ? SIZE_MAX : static_cast<size_t>(declared) + 1;
    hint = std::min(claimed, SaturatingMul(in.size(), 256));
  }
  BoundedOutput out(max_out, hint);
  // libzstd checks a block more strictly when it decodes straight into the caller's buffer than
  // when the buffer is too small for the block and it goes through its own (fuzzing found frames
  // accepted under a 64-byte limit and refused as corrupt under 129). Decoding into a scratch
  // buffer that always holds a whole block makes the answer the same for every limit; the limit
  // only decides whether the result is too large. The copy costs little next to the decoding.
  const size_t scratch_size = ZSTD_DStreamOutSize();
  const auto scratch = std::make_unique_for_overwrite<char[]>(scratch_size);
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  for (;;) {
    ZSTD_outBuffer output{scratch.get(), scratch_size, 0};
    const size_t ret = ZSTD_decompressStream(dctx.get(), &output, &input);
    if (ZSTD_isError(ret)) return Corrupt("zstd", ZSTD_getErrorName(ret));
    if (!out.Append(scratch.get(), output.pos) || out.produced() > max_out) return TooBig(max_out);
    if (input.pos == input.size) {
      // ret == 0: the last frame is complete. Otherwise the decoder either holds more output
      // (the scratch is full: flush again) or needs input that will never come.
      if (ret == 0) return out.Take();
      if (output.pos < output.size) return Corrupt("zstd", "unexpected end of stream");
    }
  }
}

// One-shot gzip decoding with libdeflate for the common case: a single member whose trailer
// size is within the cap. On OTLP bodies it is about 2.7x faster than zlib's inflate
// (bench/codec: BM_DecompressGzipLibdeflate against BM_DecompressGzipPipeline). libdeflate needs
// the whole output buffer up front; the trailer gives its size, believed only up to max_out and
// the deflate ratio limit, so the allocation obeys the same bound as the streaming path. Every
// other case (several members, a trailer that lies, corrupt data, a size over the cap) returns
// nullopt and is decoded again by Inflate, which gives the exact error and the memory bound.
struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};
std::optional<std::string> GunzipOneShot(std::string_view in, size_t max_out) {
  if (in.size() < 18) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
  const size_t isize = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<size_t>(p[3]) << 24);
  if (isize > max_out || isize > SaturatingMul(in.size(), 1032)) return std::nullopt;
  thread_local std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> decompressor(
      libdeflate_alloc_decompressor());
  if (!decompressor) return std::nullopt;
  std::string out(isize, '\0');
  size_t in_used = 0;
  size_t out_used = 0;
  const libdeflate_result r = libdeflate_gzip_decompress_ex(
      decompressor.get(), in.data(), in.size(), out.data(), out.size(), &in_used, &out_used);
  if (r != LIBDEFLATE_SUCCESS || in_used != in.size() || out_used != isize) return std::nullopt;
  return out;
}

// Per-thread compressor caches: allocating a libdeflate compressor or a zstd context costs more
// than compressing a small request.
struct DeflateCompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
libdeflate_compressor* DeflateCompressorFor(int level) {
  thread_local std::array<std::unique_ptr<libdeflate_compressor, DeflateCompressorDeleter>, 13>
      cache;
  auto& slot = cache[static_cast<size_t>(level)];
  if (!slot) slot.reset(libdeflate_alloc_compressor(level));
  return slot.get();
}

ZSTD_CCtx* ZstdContext() {
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(),
                                                                         ZSTD_freeCCtx);
  return cctx.get();
}

// Cuts a compressed output, written into a buffer of the codec's worst-case bound (about the
// input size), down to its `n` bytes. resize() alone keeps the whole bound allocated: an
// exporter's queue would then hold ~450 KB for a batch that compressed to ~45 KB, and a backlog
// during a backend outage would cost ten times the memory it should (measured: 405 queued
// batches = 224 MiB RSS). Copying the few compressed bytes costs ~1% of compressing them.
std::string FitCompressed(std::string out, size_t n) {
  out.resize(n);
  if (out.capacity() > 2 * n + 4096) out.shrink_to_fit();
  return out;
}

}  // namespace

std::optional<Compression> ParseContentEncoding(std::string_view value) {
  value = Trim(value);
  if (value.empty() || EqualsIgnoreCase(value, "identity")) return Compression::kNone;
  if (EqualsIgnoreCase(value, "gzip") || EqualsIgnoreCase(value, "x-gzip")) {
    return Compression::kGzip;
  }
  if (EqualsIgnoreCase(value, "deflate")) return Compression::kDeflate;
  if (EqualsIgnoreCase(value, "zstd")) return Compression::kZstd;
  return std::nullopt;
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "identity";
    case Compression::kGzip: return "gzip";
    case Compression::kDeflate: return "deflate";
    case Compression::kZstd: return "zstd";
  }
  return "identity";
}

StatusOr<std::string> Decompress(Compression c, std::string_view in, size_t max_out) {
  switch (c) {
    case Compression::kNone:
      if (in.size() > max_out) return TooBig(max_out);
      return std::string(in);
    case Compression::kGzip:
      if (std::optional<std::string> fast = GunzipOneShot(in, max_out)) return std::move(*fast);
      return Inflate(in, max_out, 15 + 16, "gzip", /*multi_member=*/true, GzipSizeHint(in));
    case Compression::kDeflate: {
      const size_t hint = SaturatingMul(in.size(), kGuessRatio);
      if (LooksLikeZlib(in)) return Inflate(in, max_out, 15, "deflate", false, hint);
      // A gzip body labelled deflate decodes too: the mislabel is common and harmless.
      if (LooksLikeGzip(in)) return Inflate(in, max_out, 15 + 16, "deflate", true, hint);
      return Inflate(in, max_out, -15, "deflate", false, hint);
    }
    case Compression::kZstd:
      return Unzstd(in, max_out);
  }
  return InternalError("unknown compression");
}

StatusOr<std::string> Compress(Compression c, std::string_view in, int level) {
  switch (c) {
    case Compression::kNone:
      return std::string(in);
    case Compression::kGzip:
    case Compression::kDeflate: {
      if (level == 0) level = 6;
      if (level < 1 || level > 12) {
        return InvalidArgumentError(std::string(CompressionName(c)) +
                                    " level must be 1..12, got " + std::to_string(level));
      }
      libdeflate_compressor* comp = DeflateCompressorFor(level);
      if (comp == nullptr) return InternalError("libdeflate_alloc_compressor failed");
      const bool gzip = c == Compression::kGzip;
      const size_t bound = gzip ? libdeflate_gzip_compress_bound(comp, in.size())
                                : libdeflate_zlib_compress_bound(comp, in.size());
      std::string out(bound, '\0');
      const size_t n = gzip ? libdeflate_gzip_compress(comp, in.data(), in.size(), out.data(),
                                                       out.size())
                            : libdeflate_zlib_compress(comp, in.data(), in.size(), out.data(),
                                                       out.size());
      if (n == 0) return InternalError("libdeflate: output does not fit its own bound");
      return FitCompressed(std::move(out), n);
    }
    case Compression::kZstd: {
      if (level == 0) level = ZSTD_CLEVEL_DEFAULT;
      if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
        return InvalidArgumentError("zstd level must be " + std::to_string(ZSTD_minCLevel()) +
                                    ".." + std::to_string(ZSTD_maxCLevel()) + ", got " +
                                    std::to_string(level));
      }
      ZSTD_CCtx* cctx = ZstdContext();
      if (cctx == nullptr) return InternalError("ZSTD_createCCtx failed");
      std::string out(ZSTD_compressBound(in.size()), '\0');
      const size_t n = ZSTD_compressCCtx(cctx, out.data(), out.size(), in.data(), in.size(), level);
      if (ZSTD_isError(n)) return InternalError(std::string("zstd: ") + ZSTD_getErrorName(n));
      return FitCompressed(std::move(out), n);
    }
  }
  return InternalError("unknown compression");
}

}  // namespace otlpd
