// SegmentLog: append/read/ack, restart, rollover and compaction, the size limit, fsync policies
// (group commit shares fsyncs), and concurrent appenders and readers.
#include "extensions/file_storage/segment_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <set>
#include <thread>

#include "log_test_util.h"
#include "temp_dir.h"

namespace otlpd::extension::file_storage {
namespace {

using ::testing::HasSubstr;

TEST(SegmentLogTest, AppendReadAckInOrder) {
  TempDir dir;
  auto log = OpenOrDie(LogOptions(dir.path() + "/log"));
  ASSERT_NE(log, nullptr);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log->Append(Payload(i)).ok());
  EXPECT_EQ(log->PendingRecords(), 5);

  std::vector<StoredRecord> records = ReadAll(*log);
  ASSERT_EQ(records.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(records[i].data, Payload(i));
    if (i > 0) {
      EXPECT_EQ(records[i].sequence, records[i - 1].sequence + 1);
    }
  }
  // Handed out is not done: still pending until acknowledged.
  EXPECT_EQ(log->PendingRecords(), 5);
  for (const StoredRecord& r : records) ASSERT_TRUE(log->Ack(r.sequence).ok());
  EXPECT_EQ(log->PendingRecords(), 0);
  EXPECT_THAT(log->Ack(records[0].sequence + 100).code(), StatusCode::kNotFound);
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(log->Close().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(log->Append("x").code(), StatusCode::kFailedPrecondition);
}

TEST(SegmentLogTest, EmptyAndBinaryPayloadsRoundTrip) {
  TempDir dir;
  auto log = OpenOrDie(LogOptions(dir.path() + "/log"));
  const std::string binary("\0\xff\x01zz\0", 6);
  ASSERT_TRUE(log->Append("").ok());
  ASSERT_TRUE(log->Append(binary).ok());
  std::vector<StoredRecord> records = ReadAll(*log);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].data, "");
  EXPECT_EQ(records[1].data, binary);
}

TEST(SegmentLogTest, RestartHandsOutExactlyTheUnackedRecordsAndSequencesContinue) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  uint64_t last_sequence = 0;
  {
    auto log = OpenOrDie(LogOptions(path));
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->Append(Payload(i)).ok());
    std::vector<StoredRecord> records = ReadAll(*log);
    ASSERT_EQ(records.size(), 10u);
    // Out of order, with a hole at 3: 0-2 are below the low water mark; 5, 7 above it.
    for (int i : {2, 0, 1, 5, 7}) ASSERT_TRUE(log->Ack(records[i].sequence).ok());
    last_sequence = records.back().sequence;
    ASSERT_TRUE(log->Close().ok());
  }
  auto log = OpenOrDie(LogOptions(path));
  std::vector<StoredRecord> again = ReadAll(*log);
  // Acks above the low water mark (5 and 7) are not persisted: they come again (at-least-once).
  std::vector<std::string> data;
  for (const StoredRecord& r : again) data.push_back(r.data);
  EXPECT_THAT(data, ::testing::ElementsAre(Payload(3), Payload(4), Payload(5), Payload(6), Payload(7),
                                           Payload(8), Payload(9)));
  EXPECT_EQ(log->PendingRecords(), 7);
  ASSERT_TRUE(log->Append("after restart").ok());
  auto next = log->ReadNext();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->sequence, last_sequence + 1);
  EXPECT_EQ((*next)->data, "after restart");
}

TEST(SegmentLogTest, SequencesContinueEvenWhenEverythingWasAcknowledged) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  uint64_t last = 0;
  {
    auto log = OpenOrDie(LogOptions(path));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Append(Payload(i)).ok());
    for (const StoredRecord& r : ReadAll(*log)) {
      ASSERT_TRUE(log->Ack(r.sequence).ok());
      last = r.sequence;
    }
    ASSERT_TRUE(log->Close().ok());
  }
  auto log = OpenOrDie(LogOptions(path));
  EXPECT_TRUE(ReadAll(*log).empty());
  ASSERT_TRUE(log->Append("new").ok());
  auto next = log->ReadNext();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_GT((*next)->sequence, last);
}

TEST(SegmentLogTest, ReopenWithoutCloseKeepsEverythingAppended) {
  // The destructor is not a crash, but a log dropped without Close must not lose records either.
  TempDir dir;
  const std::string path = dir.path() + "/log";
  {
    auto log = OpenOrDie(LogOptions(path, FsyncPolicy::kNever));
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(log->Append(Payload(i)).ok());
  }
  auto log = OpenOrDie(LogOptions(path));
  EXPECT_EQ(ReadAll(*log).size(), 4u);
}

TEST(SegmentLogTest, SegmentsRollOverAndAcknowledgedOnesAreDeleted) {
  TempDir dir;
  SegmentLogOptions options = LogOptions(dir.path() + "/log");
  options.segment_size_bytes = 16 + 3 * (16 + 1000);
  auto log = OpenOrDie(options);
  // 1000-byte payloads: three per segment.
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->Append(Payload(i, 1000)).ok());
  EXPECT_EQ(log->SegmentCount(), 4);
  const int64_t full = log->DiskBytes();
  EXPECT_EQ(full, 4 * 16 + 12 * (16 + 1000));

  std::vector<StoredRecord> records = ReadAll(*log);
  ASSERT_EQ(records.size(), 12u);
  // Acknowledging the second segment first deletes nothing: the first is still pending.
  for (int i = 3; i < 6; ++i) ASSERT_TRUE(log->Ack(records[i].sequence).ok());
  EXPECT_EQ(log->SegmentCount(), 4);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Ack(records[i].sequence).ok());
  EXPECT_EQ(log->SegmentCount(), 2);
  EXPECT_EQ(log->DiskBytes(), full - 2 * (16 + 3 * (16 + 1000)));
  // The active segment stays even when fully acknowledged.
  for (int i = 6; i < 12; ++i) ASSERT_TRUE(log->Ack(records[i].sequence).ok());
  EXPECT_EQ(log->SegmentCount(), 1);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() + "/log")) {
    files += e.path().extension() == ".seg";
  }
  EXPECT_EQ(files, 1);
  ASSERT_TRUE(log->Close().ok());

  // After a restart nothing comes back and the next append goes on from there.
  auto reopened = OpenOrDie(options);
  EXPECT_TRUE(ReadAll(*reopened).empty());
  ASSERT_TRUE(reopened->Append("x").ok());
  auto next = reopened->ReadNext();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->sequence, records.back().sequence + 1);
}

TEST(SegmentLogTest, RecordLargerThanASegmentGetsASegmentOfItsOwn) {
  TempDir dir;
  SegmentLogOptions options = LogOptions(dir.path() + "/log");
  options.segment_size_bytes = 1024;
  auto log = OpenOrDie(options);
  ASSERT_TRUE(log->Append("small").ok());
  ASSERT_TRUE(log->Append(std::string(5000, 'x')).ok());
  ASSERT_TRUE(log->Append("small again").ok());
  std::vector<StoredRecord> records = ReadAll(*log);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].data.size(), 5000u);
  EXPECT_EQ(log->SegmentCount(), 3);
}

TEST(SegmentLogTest, FullLogRefusesRetryablyThenHasRoomAfterAcks) {
  TempDir dir;
  SegmentLogOptions options = LogOptions(dir.path() + "/log");
  options.segment_size_bytes = 16 + 3 * (16 + 1000);
  options.max_size_bytes = 3 * options.segment_size_bytes;
  auto log = OpenOrDie(options);
  int appended = 0;
  Status refused;
  for (int i = 0; i < 100; ++i) {
    Status s = log->Append(Payload(i, 1000));
    if (!s.ok()) {
      refused = s;
      break;
    }
    ++appended;
  }
  EXPECT_EQ(appended, 9);  // three segments of three records
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_THAT(refused.message(), HasSubstr("is full"));
  ASSERT_TRUE(refused.retry_after().has_value());
  EXPECT_TRUE(IsRetryable(refused));
  EXPECT_LE(log->DiskBytes(), static_cast<int64_t>(options.max_size_bytes));
  // The refused record is not in the log.
  EXPECT_EQ(log->PendingRecords(), 9);

  std::vector<StoredRecord> records = ReadAll(*log);
  ASSERT_EQ(records.size(), 9u);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Ack(records[i].sequence).ok());
  // One segment compacted away: room for three more.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(log->Append(Payload(100 + i, 1000)).ok()) << i;
  EXPECT_EQ(log->Append(Payload(200, 1000)).code(), StatusCode::kUnavailable);
}

// max_size_mib 1 makes the single segment as large as the whole limit: a log that filled up
// with records that were then all delivered must take appends again, although that segment is
// still the active one (compaction deletes closed segments only). Found by the fault suite.
TEST(SegmentLogTest, FullSingleSegmentTakesAppendsAgainOnceEverythingIsAcknowledged) {
  TempDir dir;
  const std::string path = dir.path() + "/log";
  SegmentLogOptions options = LogOptions(path);
  options.segment_size_bytes = 16 + 3 * (16 + 1000);
  options.max_size_bytes = options.segment_size_bytes;
  uint64_t last_before = 0;
  {
    auto log = OpenOrDie(options);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Append(Payload(i, 1000)).ok()) << i;
    ASSERT_EQ(log->Append(Payload(3, 1000)).code(), StatusCode::kUnavailable);
    std::vector<StoredRecord> records = ReadAll(*log);
    ASSERT_EQ(records.size(), 3u);
    // One still pending: no room yet.
    ASSERT_TRUE(log->Ack(records[0].sequence).ok());
    ASSERT_TRUE(log->Ack(records[1].sequence).ok());
    EXPECT_EQ(log->Append(Payload(3, 1000)).code(), StatusCode::kUnavailable);
    // All delivered: the space is given back.
    ASSERT_TRUE(log->Ack(records[2].sequence).ok());
    for (int i = 3; i < 6; ++i) EXPECT_TRUE(log->Append(Payload(i, 1000)).ok()) << i;
    EXPECT_EQ(log->Append(Payload(6, 1000)).code(), StatusCode::kUnavailable);
    EXPECT_LE(log->DiskBytes(), static_cast<int64_t>(options.max_size_bytes));
    last_before = records[2].sequence;
    // Closed without acknowledging the new records.
    ASSERT_TRUE(log->Close().ok());
  }
  auto log = OpenOrDie(options);
  std::vector<StoredRecord> again = ReadAll(*log);
  ASSERT_EQ(again.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(again[i].data, Payload(3 + i, 1000));
    EXPECT_GT(again[i].sequence, last_before);
  }
}

TEST(SegmentLogTest, RecordThatCanNeverFitIsAPermanentError) {
  TempDir dir;
  SegmentLogOptions options = LogOptions(dir.path() + "/log");
  options.max_size_bytes = 4096;
  options.segment_size_bytes = 4096;
  auto log = OpenOrDie(options);
  Status s = log->Append(std::string(8192, 'x'));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(IsRetryable(s));
}

TEST(SegmentLogTest, FsyncAlwaysSyncsEveryAppendAndNeverSyncsNone) {
  TempDir dir;
  auto always = OpenOrDie(LogOptions(dir.path() + "/always", FsyncPolicy::kAlways));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(always->Append(Payload(i)).ok());
  EXPECT_EQ(always->FsyncCount(), 10);
  auto never = OpenOrDie(LogOptions(dir.path() + "/never", FsyncPolicy::kNever));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(never->Append(Payload(i)).ok());
  EXPECT_EQ(never->FsyncCount(), 0);
  // Sequential appends under `batch` each need their own fsync: nobody to share with.
  auto batch = OpenOrDie(LogOptions(dir.path() + "/batch", FsyncPolicy::kBatch));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(batch->Append(Payload(i)).ok());
  EXPECT_EQ(batch->FsyncCount(), 10);
}

TEST(SegmentLogTest, GroupCommitSharesOneFsyncBetweenConcurrentAppenders) {
  // The first appender to start a group commit is held until all eight have written their
  // records: then ONE fsync must cover all of them, and every Append must wait for it.
  TempDir dir;
  SegmentLogOptions options = LogOptions(dir.path() + "/log", FsyncPolicy::kBatch);
  options.timeout = std::chrono::seconds(10);
  constexpr int kThreads = 8;
  std::atomic<SegmentLog*> log_ptr{nullptr};
  std::atomic<bool> first{true};
  std::atomic<bool> all_written{false};
  options.before_group_sync_for_test = [&] {
    if (!first.exchange(false)) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (log_ptr.load()->PendingRecords() < kThreads && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    all_written = log_ptr.load()->PendingRecords() == kThreads;
  };
  auto log = OpenOrDie(options);
  log_ptr = log.get();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (!log->Append(Payload(t)).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(all_written.load());
  EXPECT_EQ(log->FsyncCount(), 1);
}

TEST(SegmentLogTest, GroupCommitNeverSyncsMoreThanOncePerAppend) {
  TempDir dir;
  auto log = OpenOrDie(LogOptions(dir.path() + "/log", FsyncPolicy::kBatch));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!log->Append(Payload(t * kPerThread + i)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(log->FsyncCount(), kThreads * kPerThread);
  EXPECT_GE(log->FsyncCount(), 1);
}

TEST(SegmentLogTest, ConcurrentBatchAppendsAllSucceed) {
  TempDir dir;
  auto log = OpenOrDie(LogOptions(dir.path() + "/log", FsyncPolicy::kBatch));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!log->Append(Payload(t * kPerThread + i, 512)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log->PendingRecords(), kThreads * kPerThread);
  EXPECT_LE(log->FsyncCount(), kThreads * kPerThread);
}

TEST(SegmentLogTest, ConcurrentAppendersAndReadersSeeEveryRecordOnce) {
  TempDir dir;
  SegmentLogOptions options = LogOptions(dir.path() + "/log", FsyncPolicy::kNever);
  options.segment_size_bytes = 8192;  // many rollovers and deletions while it runs
  auto log = OpenOrDie(options);
  constexpr int kAppenders = 4;
  constexpr int kPerAppender = 500;
  constexpr int kTotal = kAppenders * kPerAppender;
  std::atomic<int> appenders_done{0};
  std::atomic<int> acked{0};
  std::mutex seen_mu;
  std::set<std::string> seen;
  std::atomic<int> duplicates{0};

  std::vector<std::thread> threads;
  for (int a = 0; a < kAppenders; ++a) {
    threads.emplace_back([&, a] {
      for (int i = 0; i < kPerAppender; ++i) {
        while (!log->Append(Payload(a * kPerAppender + i, 100)).ok()) std::this_thread::yield();
      }
      ++appenders_done;
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (acked.load() < kTotal && std::chrono::steady_clock::now() < deadline) {
        auto next = log->ReadNext();
        if (!next.ok() || !next->has_value()) {
          std::this_thread::yield();
          continue;
        }
        {
          std::lock_guard lock(seen_mu);
          if (!seen.insert((*next)->data).second) ++duplicates;
        }
        if (log->Ack((*next)->sequence).ok()) ++acked;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(acked.load(), kTotal);
  EXPECT_EQ(duplicates.load(), 0);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(log->PendingRecords(), 0);
  EXPECT_EQ(log->SegmentCount(), 1);
}

}  // namespace
}  // namespace otlpd::extension::file_storage
