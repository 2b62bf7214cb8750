// Recovery of a SegmentLog from what a crash or a bad disk leaves: a file cut at every byte, a
// flipped byte, a hostile length field, a damaged ack file, damage found after open.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "extensions/file_storage/segment_format.h"
#include "extensions/file_storage/segment_log.h"
#include "log_test_util.h"
#include "temp_dir.h"

namespace otlpd::extension::file_storage {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Segments(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".seg") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Data(const std::vector<StoredRecord>& records) {
  std::vector<std::string> out;
  for (const StoredRecord& r : records) out.push_back(r.data);
  return out;
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

void WriteU32(const std::string& path, uint64_t offset, uint32_t value) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  for (int i = 0; i < 4; ++i) f.put(static_cast<char>((value >> (8 * i)) & 0xff));
}

// A log with `sizes.size()` records in one segment; returns the end offset of each record.
std::vector<uint64_t> WriteLog(const std::string& path, const std::vector<size_t>& sizes) {
  auto log = OpenOrDie(LogOptions(path, FsyncPolicy::kNever));
  std::vector<uint64_t> ends;
  uint64_t end = kSegmentHeaderSize;
  for (size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_TRUE(log->Append(Payload(static_cast<int>(i), sizes[i])).ok());
    end += kRecordHeaderSize + std::max(sizes[i], Payload(static_cast<int>(i)).size());
    ends.push_back(end);
  }
  EXPECT_TRUE(log->Close().ok());
  return ends;
}

TEST(RecoveryTest, TornTailAtEveryByteKeepsExactlyTheCompleteRecords) {
  TempDir dir;
  const std::string original = dir.path() + "/original";
  const std::vector<size_t> sizes = {40, 0, 70};
  const std::vector<uint64_t> ends = WriteLog(original, sizes);
  const std::string segment_name = fs::path(Segments(original).at(0)).filename().string();
  ASSERT_EQ(fs::file_size(original + "/" + segment_name), ends.back());

  for (uint64_t length = 0; length < ends.back(); ++length) {
    SCOPED_TRACE("cut at " + std::to_string(length));
    const std::string copy = dir.path() + "/cut" + std::to_string(length);
    fs::copy(original, copy, fs::copy_options::recursive);
    fs::resize_file(copy + "/" + segment_name, length);

    size_t complete = 0;
    while (complete < ends.size() && ends[complete] <= length) ++complete;
    auto log = OpenOrDie(LogOptions(copy));
    ASSERT_NE(log, nullptr);
    std::vector<StoredRecord> records = ReadAll(*log);
    ASSERT_EQ(records.size(), complete);
    for (size_t i = 0; i < complete; ++i) EXPECT_EQ(records[i].data, Payload(static_cast<int>(i), sizes[i]));
    // The tail is cut back to the last complete record (or a fresh header), and appending goes on.
    const uint64_t kept = complete == 0 ? kSegmentHeaderSize : ends[complete - 1];
    EXPECT_EQ(fs::file_size(copy + "/" + segment_name), kept);
    ASSERT_TRUE(log->Append("after").ok());
    auto next = log->ReadNext();
    ASSERT_TRUE(next.ok() && next->has_value());
    EXPECT_EQ((*next)->data, "after");
    ASSERT_TRUE(log->Close().ok());
    fs::remove_all(copy);
  }
}

TEST(RecoveryTest, BadChecksumOnTheLastRecordIsATornTail) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  const std::vector<uint64_t> ends = WriteLog(path, {10, 10, 10});
  FlipByte(Segments(path).at(0), ends.back() - 1);
  auto log = OpenOrDie(LogOptions(path));
  EXPECT_THAT(Data(ReadAll(*log)), ElementsAre(Payload(0, 10), Payload(1, 10)));
  EXPECT_EQ(fs::file_size(Segments(path).at(0)), ends[1]);
}

TEST(RecoveryTest, FlippedByteInAnEarlierSegmentSkipsTheRestOfThatSegmentOnly) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  SegmentLogOptions options = LogOptions(path, FsyncPolicy::kNever);
  options.segment_size_bytes = 3 * (16 + 100) + 16;  // three 100-byte records per segment
  {
    auto log = OpenOrDie(options);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(log->Append(Payload(i, 100)).ok());
    ASSERT_TRUE(log->Close().ok());
  }
  std::vector<std::string> segments = Segments(path);
  ASSERT_EQ(segments.size(), 2u);
  // A byte in the payload of record 1, in the first segment.
  FlipByte(segments[0], kSegmentHeaderSize + (16 + 100) + 16 + 50);
  auto log = OpenOrDie(options);
  EXPECT_THAT(Data(ReadAll(*log)),
              ElementsAre(Payload(0, 100), Payload(3, 100), Payload(4, 100), Payload(5, 100)));
  // The damaged segment is kept as evidence and not truncated.
  EXPECT_EQ(fs::file_size(segments[0]), kSegmentHeaderSize + 3 * (16 + 100));
}

TEST(RecoveryTest, DamageInTheMiddleOfTheActiveSegmentStartsANewSegment) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  const std::vector<uint64_t> ends = WriteLog(path, {20, 20, 20, 20});
  FlipByte(Segments(path).at(0), ends[1] + 20);  // inside record 2, with record 3 after it
  uint64_t last_sequence = 0;
  {
    auto log = OpenOrDie(LogOptions(path));
    std::vector<StoredRecord> records = ReadAll(*log);
    EXPECT_THAT(Data(records), ElementsAre(Payload(0, 20), Payload(1, 20)));
    ASSERT_TRUE(log->Append("new").ok());
    EXPECT_EQ(Segments(path).size(), 2u);
    auto next = log->ReadNext();
    ASSERT_TRUE(next.ok() && next->has_value());
    EXPECT_EQ((*next)->data, "new");
    last_sequence = (*next)->sequence;
    ASSERT_TRUE(log->Close().ok());
  }
  // The new record survives a restart too, after the records before the damage.
  auto log = OpenOrDie(LogOptions(path));
  std::vector<StoredRecord> records = ReadAll(*log);
  EXPECT_THAT(Data(records), ElementsAre(Payload(0, 20), Payload(1, 20), "new"));
  EXPECT_EQ(records.back().sequence, last_sequence);
}

TEST(RecoveryTest, HugeLengthFieldIsRejectedNotAllocated) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  const std::vector<uint64_t> ends = WriteLog(path, {20, 20, 20});
  WriteU32(Segments(path).at(0), ends[0], 0xffffffffu);  // length of record 1
  auto log = OpenOrDie(LogOptions(path));
  ASSERT_NE(log, nullptr);
  EXPECT_THAT(Data(ReadAll(*log)), ElementsAre(Payload(0, 20)));
}

TEST(RecoveryTest, GarbageSegmentIsSkippedAndLaterSegmentsFlow) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  SegmentLogOptions options = LogOptions(path, FsyncPolicy::kNever);
  options.segment_size_bytes = 2 * (16 + 50) + 16;
  {
    auto log = OpenOrDie(options);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(log->Append(Payload(i, 50)).ok());
    ASSERT_TRUE(log->Close().ok());
  }
  std::vector<std::string> segments = Segments(path);
  ASSERT_EQ(segments.size(), 3u);
  {
    std::ofstream garbage(segments[1], std::ios::binary | std::ios::trunc);
    garbage << std::string(500, '\x7f');
  }
  auto log = OpenOrDie(options);
  EXPECT_THAT(Data(ReadAll(*log)),
              ElementsAre(Payload(0, 50), Payload(1, 50), Payload(4, 50), Payload(5, 50)));
}

TEST(RecoveryTest, DamagedAckFileDeliversEverythingAgain) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  {
    auto log = OpenOrDie(LogOptions(path));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Append(Payload(i)).ok());
    auto first = log->ReadNext();
    ASSERT_TRUE(first.ok() && first->has_value());
    ASSERT_TRUE(log->Ack((*first)->sequence).ok());
    ASSERT_TRUE(log->Close().ok());
  }
  {
    auto log = OpenOrDie(LogOptions(path));
    EXPECT_EQ(ReadAll(*log).size(), 2u);  // the ack file works
  }
  FlipByte(path + "/ack", 10);
  auto log = OpenOrDie(LogOptions(path));
  EXPECT_EQ(ReadAll(*log).size(), 3u);  // never skipped, at worst delivered twice
}

TEST(RecoveryTest, DamageFoundAfterOpenIsReportedWithFileAndOffsetAndTheRestFlows) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  auto log = OpenOrDie(LogOptions(path));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Append(Payload(i, 30)).ok());
  const std::string segment = Segments(path).at(0);
  const uint64_t second = kSegmentHeaderSize + 16 + 30;
  FlipByte(segment, second + 16 + 5);

  auto first = log->ReadNext();
  ASSERT_TRUE(first.ok() && first->has_value());
  auto damaged = log->ReadNext();
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(damaged.status().message(), HasSubstr(segment));
  EXPECT_THAT(damaged.status().message(), HasSubstr("offset " + std::to_string(second)));
  auto third = log->ReadNext();
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->data, Payload(2, 30));
  EXPECT_EQ(log->PendingRecords(), 2);  // the damaged one is dropped, not pending forever
}

TEST(RecoveryTest, SegmentNamedOutOfOrderSequencesIsDamageNotDisorder) {
  // A record whose sequence goes backwards across segments is damage: the index stays sorted.
  TempDir dir;
  const std::string path = dir.path() + "/log";
  SegmentLogOptions options = LogOptions(path, FsyncPolicy::kNever);
  options.segment_size_bytes = 2 * (16 + 10) + 16;
  {
    auto log = OpenOrDie(options);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(log->Append(Payload(i, 10)).ok());
    ASSERT_TRUE(log->Close().ok());
  }
  std::vector<std::string> segments = Segments(path);
  ASSERT_EQ(segments.size(), 2u);
  // Give the second segment a copy of the first: same sequences again.
  fs::copy_file(segments[0], segments[1], fs::copy_options::overwrite_existing);
  auto log = OpenOrDie(options);
  EXPECT_THAT(Data(ReadAll(*log)), ElementsAre(Payload(0, 10), Payload(1, 10)));
  ASSERT_TRUE(log->Append("x").ok());
}

}  // namespace
}  // namespace otlpd::extension::file_storage

namespace otlpd::extension::file_storage {
namespace {

// The fuzzer's seed corpus holds segments byte for byte as the writer makes them (after the
// fuzzer's one mode byte): this pins the on-disk format too.
TEST(SegmentFormatTest, SeedCorpusSegmentIsWhatTheWriterProduces) {
  const char* source = std::getenv("OTLPD_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream seed(std::string(source) + "/tests/fuzz/corpus/segment_reader/three_records",
                     std::ios::binary);
  ASSERT_TRUE(seed.good());
  const std::string seed_bytes((std::istreambuf_iterator<char>(seed)), std::istreambuf_iterator<char>());

  TempDir dir;
  const std::string path = dir.path() + "/log";
  {
    auto log = OpenOrDie(LogOptions(path, FsyncPolicy::kNever));
    ASSERT_TRUE(log->Append("first").ok());
    ASSERT_TRUE(log->Append("").ok());
    ASSERT_TRUE(log->Append(std::string(100, 'x')).ok());
    ASSERT_TRUE(log->Close().ok());
  }
  std::ifstream written(Segments(path).at(0), std::ios::binary);
  const std::string written_bytes((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
  EXPECT_EQ(std::string(1, '\0') + written_bytes, seed_bytes);
}

}  // namespace
}  // namespace otlpd::extension::file_storage

namespace otlpd::extension::file_storage {
namespace {

// A real crash: a child process appends and reports each acknowledged append through a pipe,
// and is killed with SIGKILL mid-stream. Every append it reported must be there after recovery,
// in order and intact (fsync never: the page cache survives the process).
TEST(CrashTest, KillNineLosesNoAcknowledgedAppend) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    SegmentLogOptions options = LogOptions(path, FsyncPolicy::kNever);
    options.segment_size_bytes = 64 * 1024;  // rollovers while it runs
    auto log = SegmentLog::Open(options);
    if (!log.ok()) _exit(3);
    for (uint32_t i = 0;; ++i) {
      if (!(*log)->Append(Payload(static_cast<int>(i), 300)).ok()) _exit(4);
      if (write(fds[1], &i, sizeof(i)) != static_cast<ssize_t>(sizeof(i))) _exit(5);
    }
  }
  close(fds[1]);
  // Wait (bounded) for a few thousand acknowledged appends, then kill without warning.
  int64_t confirmed = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (confirmed < 3000 && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    uint32_t i = 0;
    if (read(fds[0], &i, sizeof(i)) == static_cast<ssize_t>(sizeof(i))) confirmed = i;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // Reports already in the pipe were acknowledged before the kill as well.
  for (;;) {
    uint32_t i = 0;
    if (read(fds[0], &i, sizeof(i)) != static_cast<ssize_t>(sizeof(i))) break;
    confirmed = i;
  }
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited by itself with " << WEXITSTATUS(status);
  ASSERT_GE(confirmed, 3000);

  auto log = OpenOrDie(LogOptions(path));
  std::vector<StoredRecord> records = ReadAll(*log);
  EXPECT_GT(log->SegmentCount(), 10);
  ASSERT_GE(static_cast<int64_t>(records.size()), confirmed + 1);
  for (size_t k = 0; k < records.size(); ++k) {
    ASSERT_EQ(records[k].data, Payload(static_cast<int>(k), 300)) << k;
  }
}

}  // namespace
}  // namespace otlpd::extension::file_storage
