// Tests for pipeline/compression.h: content-coding names, round trips through every codec, the
// decoded-size cap (exact boundary, gzip and zstd bombs with a measured allocation peak) and
// corrupt input.
#include "pipeline/compression.h"

#include <malloc.h>
#include <zlib.h>
#include <zstd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

// Allocation accounting for the bomb tests: counts bytes obtained through operator new on the
// thread that enabled it, so a test can assert the peak of what Decompress allocated.
namespace {
thread_local bool g_tracking = false;
std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_peak{0};

void Track(void* p) {
  if (!g_tracking || p == nullptr) return;
  const int64_t now = g_live += static_cast<int64_t>(malloc_usable_size(p));
  int64_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
}
void Untrack(void* p) {
  if (!g_tracking || p == nullptr) return;
  g_live -= static_cast<int64_t>(malloc_usable_size(p));
}
}  // namespace

// GCC cannot see that these replacements pair malloc with free on purpose.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  Track(p);
  return p;
}
void operator delete(void* p) noexcept {
  Untrack(p);
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  Untrack(p);
  std::free(p);
}
#pragma GCC diagnostic pop

namespace otlpd {
namespace {

using ::testing::HasSubstr;

// Peak bytes allocated with operator new by `fn` on this thread.
template <class Fn>
int64_t PeakAllocation(Fn&& fn) {
  g_live = 0;
  g_peak = 0;
  g_tracking = true;
  fn();
  g_tracking = false;
  return g_peak.load();
}

std::string RandomishText(size_t n) {
  // Compressible but not trivially: words from a small vocabulary in a seeded order.
  static const char* kWords[] = {"span", "trace", "service.name", "http.method", "GET", "200",
                                 "resource", "scope", "otlpd", "\x01\x02\x03"};
  std::mt19937 rng(42);
  std::string out;
  while (out.size() < n) out += kWords[rng() % 10];
  out.resize(n);
  return out;
}

std::string RandomBytes(size_t n) {
  std::mt19937 rng(7);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::string RawDeflate(std::string_view in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A valid gzip stream of `chunks` MiB of zeros, built by streaming deflate. After a full flush
// the compressor's history is empty, so every later 1 MiB chunk compresses to the same bytes:
// the test deflates three chunks, checks the 2nd and 3rd are identical, and repeats that block
// instead of spending seconds compressing 1 GB. The trailer (CRC-32 and size of the whole
// stream) is computed for the full length, so the result is a genuine gzip file.
std::string GzipBombOfZeros(int chunks) {
  const std::string zeros(1 << 20, '\0');
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<std::string> parts;
  std::string buf(1 << 20, '\0');
  auto run = [&](int flush, std::string_view in) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    deflate(&zs, flush);
    EXPECT_EQ(zs.avail_in, 0u);
    return std::string(buf.data(), buf.size() - zs.avail_out);
  };
  const std::string first = run(Z_FULL_FLUSH, zeros);   // gzip header + chunk
  const std::string second = run(Z_FULL_FLUSH, zeros);
  const std::string third = run(Z_FULL_FLUSH, zeros);
  EXPECT_EQ(second, third) << "full-flushed chunks of zeros should compress identically";
  std::string finish = run(Z_FINISH, "");  // final empty block + 8-byte trailer for 3 MiB
  deflateEnd(&zs);
  finish.resize(finish.size() - 8);

  std::string out = first;
  for (int i = 1; i < chunks; ++i) out += second;
  out += finish;
  const uLong chunk_crc = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), zeros.size());
  uLong crc = crc32(0, nullptr, 0);
  for (int i = 0; i < chunks; ++i) crc = crc32_combine(crc, chunk_crc, zeros.size());
  const uint64_t total = static_cast<uint64_t>(chunks) << 20;
  for (int i = 0; i < 4; ++i) out += static_cast<char>((crc >> (8 * i)) & 0xff);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((total >> (8 * i)) & 0xff);
  return out;
}

// `mib` MiB of zeros as one zstd frame, compressed in a stream from a 1 MiB buffer.
std::string ZstdBombOfZeros(int mib) {
  const std::string zeros(1 << 20, '\0');
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  std::string out;
  std::string buf(ZSTD_CStreamOutSize(), '\0');
  for (int i = 0; i < mib; ++i) {
    ZSTD_inBuffer in{zeros.data(), zeros.size(), 0};
    const ZSTD_EndDirective mode = i + 1 == mib ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
      ZSTD_outBuffer o{buf.data(), buf.size(), 0};
      const size_t rest = ZSTD_compressStream2(cctx, &o, &in, mode);
      EXPECT_FALSE(ZSTD_isError(rest));
      out.append(buf.data(), o.pos);
      if (mode == ZSTD_e_end ? rest == 0 : in.pos == in.size) break;
    }
  }
  ZSTD_freeCCtx(cctx);
  return out;
}

TEST(ParseContentEncodingTest, KnownNamesAnyCase) {
  EXPECT_EQ(ParseContentEncoding(""), Compression::kNone);
  EXPECT_EQ(ParseContentEncoding("identity"), Compression::kNone);
  EXPECT_EQ(ParseContentEncoding("gzip"), Compression::kGzip);
  EXPECT_EQ(ParseContentEncoding("GZip"), Compression::kGzip);
  EXPECT_EQ(ParseContentEncoding(" x-gzip "), Compression::kGzip);
  EXPECT_EQ(ParseContentEncoding("Deflate"), Compression::kDeflate);
  EXPECT_EQ(ParseContentEncoding("ZSTD"), Compression::kZstd);
  EXPECT_EQ(ParseContentEncoding("br"), std::nullopt);
  EXPECT_EQ(ParseContentEncoding("gzip, zstd"), std::nullopt);
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
}

class RoundTripTest : public ::testing::TestWithParam<std::tuple<Compression, int>> {};

TEST_P(RoundTripTest, DecompressUndoesCompress) {
  const auto [codec, level] = GetParam();
  for (const std::string& input :
       {std::string(), RandomishText(100), RandomishText(300'000), RandomBytes(70'000)}) {
    StatusOr<std::string> packed = Compress(codec, input, level);
    ASSERT_TRUE(packed.ok()) << packed.status().ToString();
    if (codec != Compression::kNone && input.size() > 1000 && input[0] == 's') {
      EXPECT_LT(packed->size(), input.size() / 2);
    }
    StatusOr<std::string> unpacked = Decompress(codec, *packed, input.size());
    ASSERT_TRUE(unpacked.ok()) << unpacked.status().ToString();
    EXPECT_EQ(*unpacked, input);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, RoundTripTest,
    ::testing::Values(std::make_tuple(Compression::kNone, 0), std::make_tuple(Compression::kGzip, 0),
                      std::make_tuple(Compression::kGzip, 1), std::make_tuple(Compression::kGzip, 12),
                      std::make_tuple(Compression::kDeflate, 0),
                      std::make_tuple(Compression::kDeflate, 9),
                      std::make_tuple(Compression::kZstd, 0), std::make_tuple(Compression::kZstd, -5),
                      std::make_tuple(Compression::kZstd, 19)));

TEST(DecompressTest, LimitIsExactForEveryCodec) {
  const std::string input = RandomishText(50'000);
  for (Compression c :
       {Compression::kNone, Compression::kGzip, Compression::kDeflate, Compression::kZstd}) {
    SCOPED_TRACE(std::string(CompressionName(c)));
    StatusOr<std::string> packed = Compress(c, input, 0);
    ASSERT_TRUE(packed.ok());
    EXPECT_TRUE(Decompress(c, *packed, input.size()).ok());
    StatusOr<std::string> over = Decompress(c, *packed, input.size() - 1);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(over.status().message(), "decompressed body exceeds 49999 bytes");
  }
}

TEST(DecompressTest, DeflateAcceptsZlibRawAndMislabelledGzip) {
  const std::string input = RandomishText(10'000);
  StatusOr<std::string> zlib_wrapped = Compress(Compression::kDeflate, input, 0);
  ASSERT_TRUE(zlib_wrapped.ok());
  EXPECT_EQ(*Decompress(Compression::kDeflate, *zlib_wrapped, 1 << 20), input);
  EXPECT_EQ(*Decompress(Compression::kDeflate, RawDeflate(input), 1 << 20), input);
  StatusOr<std::string> gz = Compress(Compression::kGzip, input, 0);
  EXPECT_EQ(*Decompress(Compression::kDeflate, *gz, 1 << 20), input);
  // gzip is strict about its wrapper: a zlib stream is not gzip.
  StatusOr<std::string> wrong = Decompress(Compression::kGzip, *zlib_wrapped, 1 << 20);
  EXPECT_FALSE(wrong.ok());
}

TEST(DecompressTest, GzipMembersConcatenate) {
  StatusOr<std::string> a = Compress(Compression::kGzip, "hello ", 0);
  StatusOr<std::string> b = Compress(Compression::kGzip, "world", 0);
  StatusOr<std::string> both = Decompress(Compression::kGzip, *a + *b, 100);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, "hello world");
}

TEST(DecompressTest, ZstdFramesConcatenate) {
  StatusOr<std::string> a = Compress(Compression::kZstd, "hello ", 0);
  StatusOr<std::string> b = Compress(Compression::kZstd, "world", 0);
  EXPECT_EQ(*Decompress(Compression::kZstd, *a + *b, 100), "hello world");
}

// Found by compression_fuzzer: three small frames whose damage libzstd notices only when it
// decodes into a buffer that holds the whole block. The answer must not depend on the limit.
TEST(DecompressTest, ZstdAnswerDoesNotDependOnTheLimit) {
  const std::string frames(
      "\x28\xb5\x2f\xfd\x00\x00\x29\x00\x00\x01\x00\x00\x00\x40\x28\xb5\x2f\xfd\x00"
      "\x00\x29\x00\x00\x00\x00\x00\x00\x40\x28\xb5\x2f\xfd\x21\x00\x60\x01\x00\x00",
      38);
  for (size_t limit : {size_t{64}, size_t{129}, size_t{1} << 20}) {
    SCOPED_TRACE(limit);
    const Status s = Decompress(Compression::kZstd, frames, limit).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("invalid zstd data"));
  }
}

TEST(DecompressTest, CorruptInputNamesTheEncoding) {
  const std::string garbage = "this is not compressed at all";
  const std::string text = RandomishText(5000);
  for (Compression c : {Compression::kGzip, Compression::kDeflate, Compression::kZstd}) {
    const std::string name(CompressionName(c));
    SCOPED_TRACE(name);
    Status s = Decompress(c, garbage, 1 << 20).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("invalid " + name + " data"));

    StatusOr<std::string> packed = Compress(c, text, 0);
    ASSERT_TRUE(packed.ok());
    Status truncated = Decompress(c, packed->substr(0, packed->size() / 2), 1 << 20).status();
    EXPECT_EQ(truncated.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(truncated.message(), HasSubstr("invalid " + name + " data"));

    Status empty = Decompress(c, "", 1 << 20).status();
    EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
  }
}

TEST(DecompressTest, GzipTrailingGarbageIsRefused) {
  StatusOr<std::string> packed = Compress(Compression::kGzip, "abc", 0);
  Status s = Decompress(Compression::kGzip, *packed + "junk", 100).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("trailing bytes"));
}

TEST(DecompressTest, GzipBombIsRefusedFastWithLittleMemory) {
  const std::string bomb = GzipBombOfZeros(1024);  // 1 GiB of zeros
  ASSERT_LT(bomb.size(), 1100u * 1024);            // deflate's ceiling is ~1032:1
  // The bomb is a valid gzip file: its trailer says 1 GiB (mod 2^32).
  const auto* tail = reinterpret_cast<const unsigned char*>(bomb.data() + bomb.size() - 4);
  EXPECT_EQ(tail[3], 0x40);

  constexpr size_t kLimit = 4 << 20;
  Status s;
  const auto start = std::chrono::steady_clock::now();
  const int64_t peak = PeakAllocation([&] { s = Decompress(Compression::kGzip, bomb, kLimit).status(); });
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "decompressed body exceeds 4194304 bytes");
  EXPECT_LE(peak, static_cast<int64_t>(kLimit + 64 * 1024)) << "allocated " << peak << " bytes";
  // Inflating 1 GiB takes about a second; stopping at 4 MiB takes milliseconds.
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));

  // The same bomb with a limit above its size decodes: the cap, not luck, stopped it above.
  const std::string small = GzipBombOfZeros(3);
  StatusOr<std::string> ok = Decompress(Compression::kGzip, small, 3 << 20);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->size(), 3u << 20);
}

TEST(DecompressTest, ZstdBombIsRefusedFastWithLittleMemory) {
  const std::string bomb = ZstdBombOfZeros(1024);  // 1 GiB of zeros in ~32 KiB
  ASSERT_LT(bomb.size(), 64u * 1024);
  constexpr size_t kLimit = 4 << 20;
  Status s;
  const auto start = std::chrono::steady_clock::now();
  const int64_t peak = PeakAllocation([&] { s = Decompress(Compression::kZstd, bomb, kLimit).status(); });
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "decompressed body exceeds 4194304 bytes");
  // The decoder writes through a fixed block-sized (128 KiB) scratch buffer; see Unzstd.
  EXPECT_LE(peak, static_cast<int64_t>(kLimit + 192 * 1024)) << "allocated " << peak << " bytes";
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

TEST(DecompressTest, SmallBodyWithLyingSizeHeaderDoesNotReserveTheLimit) {
  // A 20-byte gzip body whose trailer claims 4 GiB - 1 must not make us allocate max_out.
  StatusOr<std::string> packed = Compress(Compression::kGzip, "x", 0);
  std::string liar = *packed;
  for (int i = 1; i <= 4; ++i) liar[liar.size() - i] = '\xff';
  Status s;
  const int64_t peak =
      PeakAllocation([&] { s = Decompress(Compression::kGzip, liar, 64 << 20).status(); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);  // the size check fails after decoding
  EXPECT_LT(peak, 1 << 20);
}

// Single-member gzip bodies take a one-shot libdeflate path sized by the trailer; a trailer that
// is wrong but plausible (within the limit) must still be refused, by either path.
TEST(DecompressTest, GzipWithWrongTrailerSizeWithinTheLimitIsRefused) {
  const std::string text = RandomishText(50000);
  StatusOr<std::string> packed = Compress(Compression::kGzip, text, 0);
  ASSERT_TRUE(packed.ok());
  ASSERT_EQ(*Decompress(Compression::kGzip, *packed, 1 << 20), text);
  for (uint32_t claimed : {50000u - 1, 50000u + 1, 0u}) {
    SCOPED_TRACE(claimed);
    std::string liar = *packed;
    for (int i = 0; i < 4; ++i) liar[liar.size() - 4 + i] = static_cast<char>((claimed >> (8 * i)) & 0xff);
    Status s = Decompress(Compression::kGzip, liar, 1 << 20).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("invalid gzip data"));
  }
}

// Exporters keep compressed bodies in their queue until delivered: the result must not keep the
// codec's worst-case buffer (about the input size) allocated behind a much smaller body.
TEST(CompressTest, OutputDoesNotKeepTheWorstCaseBuffer) {
  std::string repetitive;
  for (int i = 0; i < 20000; ++i) repetitive += "GET /api/articles/{id} 200 ";
  for (Compression c : {Compression::kGzip, Compression::kDeflate, Compression::kZstd}) {
    SCOPED_TRACE(std::string(CompressionName(c)));
    StatusOr<std::string> packed = Compress(c, repetitive, 0);
    ASSERT_TRUE(packed.ok());
    ASSERT_LT(packed->size(), repetitive.size() / 20);
    EXPECT_LE(packed->capacity(), 2 * packed->size() + 4096);
    EXPECT_EQ(*Decompress(c, *packed, 1 << 20), repetitive);
  }
}

TEST(CompressTest, LevelsOutOfRangeAreRefused) {
  EXPECT_EQ(Compress(Compression::kGzip, "x", 13).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Compress(Compression::kDeflate, "x", -1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Compress(Compression::kZstd, "x", 99).status().code(), StatusCode::kInvalidArgument);
}

TEST(CompressTest, GzipOutputHasTheGzipMagic) {
  StatusOr<std::string> gz = Compress(Compression::kGzip, "hello", 0);
  ASSERT_TRUE(gz.ok());
  ASSERT_GE(gz->size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>((*gz)[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>((*gz)[1]), 0x8b);
  StatusOr<std::string> zs = Compress(Compression::kZstd, "hello", 0);
  EXPECT_EQ(ZSTD_getFrameContentSize(zs->data(), zs->size()), 5u);
}

}  // namespace
}  // namespace otlpd
