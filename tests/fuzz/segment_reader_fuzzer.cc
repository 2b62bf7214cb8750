// libFuzzer target for the file_storage segment reader: recovery (ScanSegment, torn-tail
// truncation, skipping damage) and reading back, exactly as SegmentLog::Open and ReadNext run
// them on a file left by a crash or a bad disk.
//
// Input layout: byte 0 bit 0 picks where the fuzzed segment sits: 0 = the only (last) segment,
// where a torn tail is cut off; 1 = an earlier segment followed by a valid one holding one
// sentinel record, where damage is skipped. The rest is the segment file's bytes. Besides "no
// crash, no leak, no UB, no unbounded allocation" it checks: recovery succeeds, every record it
// kept reads back without error, the sentinel of a later segment always survives, and after
// acknowledging everything, appending one record and reopening, exactly that record is pending.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include "extensions/file_storage/segment_format.h"
#include "extensions/file_storage/segment_log.h"

namespace {

namespace fs = std::filesystem;
using otlpd::extension::file_storage::FsyncPolicy;
using otlpd::extension::file_storage::SegmentLog;
using otlpd::extension::file_storage::SegmentLogOptions;

constexpr uint64_t kSentinelSequence = 1000000;

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "segment_reader_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

const std::string& Root() {
  static const std::string root = [] {
    std::string pattern = (fs::temp_directory_path() / "segment-reader-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp", pattern);
    return pattern;
  }();
  return root;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

SegmentLogOptions Options(const std::string& dir) {
  static auto logger = std::make_shared<spdlog::logger>(
      "segment_reader_fuzzer", std::make_shared<spdlog::sinks::null_sink_mt>());
  SegmentLogOptions options;
  options.directory = dir;
  options.fsync = FsyncPolicy::kNever;
  options.max_size_bytes = 64 << 20;
  options.segment_size_bytes = 1 << 20;
  options.logger = logger;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool followed_by_valid_segment = (data[0] & 1) != 0;
  const std::string segment(reinterpret_cast<const char*>(data) + 1, size - 1);

  const std::string dir = Root() + "/log";
  fs::remove_all(dir);
  fs::create_directories(dir);
  using otlpd::extension::file_storage::SegmentFileName;
  WriteFile(dir + "/" + SegmentFileName(0), segment);
  if (followed_by_valid_segment) {
    std::string valid = otlpd::extension::file_storage::EncodeSegmentHeader();
    otlpd::extension::file_storage::AppendEncodedRecord(kSentinelSequence, "sentinel", valid);
    WriteFile(dir + "/" + SegmentFileName(kSentinelSequence), valid);
  }

  auto log = SegmentLog::Open(Options(dir));
  if (!log.ok()) Fail("open", log.status().ToString());
  std::string last;
  uint64_t highest_fuzzed_sequence = 0;
  for (;;) {
    auto next = (*log)->ReadNext();
    if (!next.ok()) Fail("read after recovery", next.status().ToString());
    if (!next->has_value()) break;
    last = (*next)->data;
    if ((*next)->data != "sentinel") highest_fuzzed_sequence = (*next)->sequence;
    if (!(*log)->Ack((*next)->sequence).ok()) Fail("ack", std::to_string((*next)->sequence));
  }
  // The sentinel may only be refused when the fuzzed segment already used its sequence.
  if (followed_by_valid_segment && highest_fuzzed_sequence < kSentinelSequence && last != "sentinel") {
    Fail("sentinel lost", last);
  }
  if (auto s = (*log)->Append("appended"); !s.ok()) Fail("append", s.ToString());
  if (auto s = (*log)->Close(); !s.ok()) Fail("close", s.ToString());
  log->reset();

  auto reopened = SegmentLog::Open(Options(dir));
  if (!reopened.ok()) Fail("reopen", reopened.status().ToString());
  auto only = (*reopened)->ReadNext();
  if (!only.ok() || !only->has_value() || (*only)->data != "appended") Fail("reopen", "appended record missing");
  auto none = (*reopened)->ReadNext();
  if (!none.ok() || none->has_value()) Fail("reopen", "more than the appended record pending");
  if (auto s = (*reopened)->Close(); !s.ok()) Fail("close after reopen", s.ToString());
  return 0;
}
