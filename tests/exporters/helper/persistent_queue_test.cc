#include "exporters/helper/persistent_queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/support/fake_storage.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::helper {
namespace {

using namespace std::chrono_literals;
using otlpd::testing::FakeStorage;
using otlpd::testing::MakeTraces;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kLog[] = "otlp_http-t-traces";
constexpr auto kWait = 5s;

// A request as the exporter pushes it into a persistent queue: serialised OTLP protobuf.
EncodedRequest Request(int spans) {
  EncodedRequest r;
  r.items = spans;
  EXPECT_TRUE(MakeTraces(spans).request().SerializeToString(&r.payload));
  return r;
}

int64_t SpansIn(const std::string& protobuf) {
  TraceRequest request;
  EXPECT_TRUE(request.ParseFromString(protobuf));
  return CountItems(request);
}

class PersistentQueueTest : public ::testing::Test {
 protected:
  std::unique_ptr<PersistentQueue> Make(int64_t capacity, MergeLimits merge = NoMerge(),
                                        QueueSizer sizer = QueueSizer::kRequests) {
    auto log = storage_.OpenLog(kLog);
    EXPECT_TRUE(log.ok());
    return std::make_unique<PersistentQueue>(
        std::move(*log), capacity, sizer, merge,
        [this](std::string protobuf, int64_t items) -> StatusOr<EncodedRequest> {
          ++encodes_;
          return EncodedRequest{std::move(protobuf), items};
        },
        clock_, nullptr);
  }
  static MergeLimits NoMerge() {
    MergeLimits m;
    m.min_items = 1;
    return m;
  }
  PushOutcome Push(PersistentQueue& q, int spans) {
    EncodedRequest r = Request(spans);
    return q.Push(r, clock_, std::nullopt);
  }

  FakeStorage storage_;
  otlpd::testing::ObservedClock clock_;
  int encodes_ = 0;
};

TEST_F(PersistentQueueTest, PushIsInTheLogBeforeItReturnsAndPopAckRemovesIt) {
  auto q = Make(10);
  ASSERT_EQ(Push(*q, 3).result, PushResult::kOk);
  ASSERT_EQ(Push(*q, 4).result, PushResult::kOk);
  EXPECT_EQ(storage_.Pending(kLog), 2);
  EXPECT_EQ(q->size(), 2);

  std::optional<QueueEntry> first = q->Pop();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->error.ok());
  EXPECT_EQ(first->request.items, 3);
  EXPECT_EQ(SpansIn(first->request.payload), 3);
  // Handed out is not done: still pending until acknowledged.
  EXPECT_EQ(storage_.Pending(kLog), 2);
  ASSERT_TRUE(q->Done(*first).ok());
  EXPECT_EQ(storage_.Pending(kLog), 1);
  EXPECT_EQ(q->size(), 1);

  std::optional<QueueEntry> second = q->Pop();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->request.items, 4);
  ASSERT_TRUE(q->Done(*second).ok());
  EXPECT_EQ(storage_.Pending(kLog), 0);
  EXPECT_EQ(q->size(), 0);
}

TEST_F(PersistentQueueTest, FullQueueRefusesUntilAnEntryIsDone) {
  auto q = Make(2);
  ASSERT_EQ(Push(*q, 1).result, PushResult::kOk);
  ASSERT_EQ(Push(*q, 1).result, PushResult::kOk);
  EXPECT_TRUE(q->WouldRefuse(1));
  EncodedRequest third = Request(1);
  EXPECT_EQ(q->Push(third, clock_, std::nullopt).result, PushResult::kFull);
  EXPECT_FALSE(third.payload.empty());  // left with the caller
  EXPECT_EQ(storage_.Pending(kLog), 2);

  // Popping alone frees nothing: the record is still pending in the log.
  std::optional<QueueEntry> e = q->Pop();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(Push(*q, 1).result, PushResult::kFull);
  ASSERT_TRUE(q->Done(*e).ok());
  EXPECT_EQ(q->Push(third, clock_, std::nullopt).result, PushResult::kOk);
}

TEST_F(PersistentQueueTest, ItemsSizerCountsItems) {
  auto q = Make(10, NoMerge(), QueueSizer::kItems);
  ASSERT_EQ(Push(*q, 6).result, PushResult::kOk);
  EXPECT_EQ(q->size(), 6);
  EXPECT_TRUE(q->WouldRefuse(5));
  EXPECT_EQ(Push(*q, 5).result, PushResult::kFull);
  EXPECT_EQ(Push(*q, 4).result, PushResult::kOk);
}

TEST_F(PersistentQueueTest, StorageRefusalComesBackWithTheLogsStatus) {
  auto q = Make(10);
  storage_.RefuseAppends(UnavailableError("disk full", std::chrono::milliseconds(3000)));
  const PushOutcome out = Push(*q, 2);
  EXPECT_EQ(out.result, PushResult::kStorageError);
  EXPECT_EQ(out.error.code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(out.error.message()), HasSubstr("disk full"));
  EXPECT_EQ(q->size(), 0);  // the reservation is given back
  storage_.RefuseAppends(OkStatus());
  EXPECT_EQ(Push(*q, 2).result, PushResult::kOk);
}

TEST_F(PersistentQueueTest, PopWaitsForAnAppend) {
  auto q = Make(10);
  auto popped = std::async(std::launch::async, [&] { return q->Pop(); });
  EXPECT_EQ(popped.wait_for(50ms), std::future_status::timeout);
  ASSERT_EQ(Push(*q, 5).result, PushResult::kOk);
  ASSERT_EQ(popped.wait_for(kWait), std::future_status::ready);
  std::optional<QueueEntry> e = popped.get();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->request.items, 5);
}

TEST_F(PersistentQueueTest, CloseDrainsThenEndsAndRefusesPushes) {
  auto q = Make(10);
  ASSERT_EQ(Push(*q, 1).result, PushResult::kOk);
  q->Close();
  EXPECT_EQ(Push(*q, 1).result, PushResult::kClosed);
  EXPECT_TRUE(q->Pop().has_value());
  EXPECT_FALSE(q->Pop().has_value());
}

TEST_F(PersistentQueueTest, CloseAndAbortWakeAWaitingPop) {
  auto q = Make(10);
  auto closed = std::async(std::launch::async, [&] { return q->Pop(); });
  q->Close();
  ASSERT_EQ(closed.wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(closed.get().has_value());

  auto other_log = storage_.OpenLog("other");
  ASSERT_TRUE(other_log.ok());
  auto q2 = std::make_unique<PersistentQueue>(
      std::move(*other_log), 10, QueueSizer::kRequests, NoMerge(),
      [](std::string p, int64_t n) -> StatusOr<EncodedRequest> {
        return EncodedRequest{std::move(p), n};
      },
      clock_, nullptr);
  auto aborted = std::async(std::launch::async, [&] { return q2->Pop(); });
  q2->Abort();
  ASSERT_EQ(aborted.wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(aborted.get().has_value());
}

TEST_F(PersistentQueueTest, ReleaseKeepsWhatWasNotDoneForTheNextRunWhichGetsItFirst) {
  {
    auto q = Make(10);
    ASSERT_EQ(Push(*q, 1).result, PushResult::kOk);
    ASSERT_EQ(Push(*q, 2).result, PushResult::kOk);
    ASSERT_EQ(Push(*q, 3).result, PushResult::kOk);
    std::optional<QueueEntry> sent = q->Pop();
    ASSERT_TRUE(q->Done(*sent).ok());
    std::optional<QueueEntry> in_flight = q->Pop();  // handed out, never done: a crash-like stop
    ASSERT_TRUE(in_flight.has_value());
    q->Abort();
    const Leftover left = q->Release();
    EXPECT_TRUE(left.kept);
    EXPECT_EQ(left.requests, 2);
    EXPECT_EQ(left.items, 5);
    EXPECT_TRUE(left.error.ok());
    EXPECT_FALSE(storage_.IsOpen(kLog));
  }
  auto next_run = Make(10);
  EXPECT_EQ(next_run->recovered_records(), 2);
  EXPECT_EQ(next_run->size(), 2);  // recovered records count as requests at once
  ASSERT_EQ(Push(*next_run, 7).result, PushResult::kOk);
  std::vector<int64_t> order;
  for (int i = 0; i < 3; ++i) {
    std::optional<QueueEntry> e = next_run->Pop();
    ASSERT_TRUE(e.has_value());
    order.push_back(e->request.items);
    ASSERT_TRUE(next_run->Done(*e).ok());
  }
  EXPECT_THAT(order, ElementsAre(2, 3, 7));
  EXPECT_EQ(storage_.Pending(kLog), 0);
}

TEST_F(PersistentQueueTest, RecoveredRecordsCountAsItemsOnceRead) {
  {
    auto q = Make(100, NoMerge(), QueueSizer::kItems);
    ASSERT_EQ(Push(*q, 8).result, PushResult::kOk);
    q->Abort();
    q->Release();
  }
  auto q = Make(100, NoMerge(), QueueSizer::kItems);
  EXPECT_EQ(q->size(), 0);
  std::optional<QueueEntry> e = q->Pop();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(q->size(), 8);
  ASSERT_TRUE(q->Done(*e).ok());
  EXPECT_EQ(q->size(), 0);
}

TEST_F(PersistentQueueTest, MergesWaitingRecordsIntoOneRequestAndAcksThemAll) {
  MergeLimits merge;  // defaults: merge what waits, up to 8192 items, no waiting
  auto q = Make(10, merge);
  for (int spans : {2, 3, 4}) ASSERT_EQ(Push(*q, spans).result, PushResult::kOk);
  std::optional<QueueEntry> e = q->Pop();
  ASSERT_TRUE(e.has_value());
  ASSERT_TRUE(e->error.ok());
  EXPECT_EQ(e->request.items, 9);
  EXPECT_EQ(e->records.size(), 3u);
  // The concatenated protobuf is one valid request holding all three.
  TraceRequest merged;
  ASSERT_TRUE(merged.ParseFromString(e->request.payload));
  EXPECT_EQ(CountItems(merged), 9);
  EXPECT_EQ(merged.resource_spans_size(), 3);
  EXPECT_EQ(encodes_, 1);
  ASSERT_TRUE(q->Done(*e).ok());
  EXPECT_EQ(storage_.Pending(kLog), 0);
  EXPECT_EQ(q->size(), 0);
}

TEST_F(PersistentQueueTest, MergeRespectsMaxItemsAndKeepsTheRestInOrder) {
  MergeLimits merge;
  merge.min_items = 5;
  merge.max_items = 6;
  auto q = Make(10, merge);
  for (int spans : {3, 2, 4, 4}) ASSERT_EQ(Push(*q, spans).result, PushResult::kOk);
  std::vector<int64_t> sizes;
  for (int i = 0; i < 2; ++i) {
    std::optional<QueueEntry> e = q->Pop();
    ASSERT_TRUE(e.has_value());
    sizes.push_back(e->request.items);
    ASSERT_TRUE(q->Done(*e).ok());
  }
  // 3+2 reach min_items; 4+4 would pass max_items, so the last 4 comes alone.
  EXPECT_THAT(sizes, ElementsAre(5, 4));
  std::optional<QueueEntry> last = q->Pop();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->request.items, 4);
}

TEST_F(PersistentQueueTest, MergeWaitsForMoreUntilTheFlushTimeout) {
  MergeLimits merge;
  merge.min_items = 10;
  merge.flush_timeout = std::chrono::milliseconds(200);
  auto q = Make(10, merge);
  ASSERT_EQ(Push(*q, 3).result, PushResult::kOk);
  auto popped = std::async(std::launch::async, [&] { return q->Pop(); });
  // Below min_items: the worker waits on the (fake) clock for more records.
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_EQ(clock_.LastWait(), Clock::Duration(std::chrono::milliseconds(200)));
  ASSERT_EQ(Push(*q, 4).result, PushResult::kOk);
  ASSERT_TRUE(clock_.WaitForEntries(2, kWait));  // 7 < 10: waits again, towards the same end
  EXPECT_EQ(popped.wait_for(0ms), std::future_status::timeout);
  clock_.Advance(std::chrono::milliseconds(200));
  ASSERT_EQ(popped.wait_for(kWait), std::future_status::ready);
  std::optional<QueueEntry> e = popped.get();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->request.items, 7);
  EXPECT_EQ(e->records.size(), 2u);
}

TEST_F(PersistentQueueTest, UndecodableRecordComesAloneWithAnErrorAndIsAckedWhenDone) {
  storage_.Seed(kLog, "not a record");
  auto q = Make(10, MergeLimits{});
  ASSERT_EQ(Push(*q, 2).result, PushResult::kOk);
  std::optional<QueueEntry> bad = q->Pop();
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->error.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad->records.size(), 1u);
  ASSERT_TRUE(q->Done(*bad).ok());
  std::optional<QueueEntry> good = q->Pop();
  ASSERT_TRUE(good.has_value());
  EXPECT_TRUE(good->error.ok());
  EXPECT_EQ(good->request.items, 2);
}

TEST_F(PersistentQueueTest, ADamagedRecordIsReportedAloneAndReadingGoesOn) {
  auto q = Make(10);
  ASSERT_EQ(Push(*q, 2).result, PushResult::kOk);
  storage_.FailReads(Status(StatusCode::kDataLoss, "segment 3: bad checksum at offset 40"));
  std::optional<QueueEntry> e = q->Pop();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->error.code(), StatusCode::kDataLoss);
  EXPECT_THAT(std::string(e->error.message()), HasSubstr("offset 40"));
  EXPECT_TRUE(e->records.empty());  // the log dropped it itself: nothing to acknowledge
  storage_.FailReads(OkStatus());
  std::optional<QueueEntry> next = q->Pop();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->request.items, 2);
}

TEST_F(PersistentQueueTest, AClosedLogStopsTheReaders) {
  auto q = Make(10);
  ASSERT_EQ(Push(*q, 2).result, PushResult::kOk);
  storage_.FailReads(FailedPreconditionError("log is closed"));
  std::optional<QueueEntry> e = q->Pop();
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(std::string(e->error.message()), HasSubstr("sending stops"));
  EXPECT_FALSE(q->Pop().has_value());
}

TEST(DurableLogNameTest, OneLogPerExporterAndSignalWithASafeName) {
  EXPECT_EQ(DurableLogName(ComponentId("otlp_http", "backend"), Signal::kTraces),
            "otlp_http-backend-traces");
  EXPECT_EQ(DurableLogName(ComponentId("otlp_grpc"), Signal::kLogs), "otlp_grpc-logs");
  EXPECT_EQ(DurableLogName(ComponentId("otlp_http", "a:b"), Signal::kMetrics),
            "otlp_http-a-b-metrics");
}

TEST(MergeLimitsTest, BatchConfigDrivesTheReadSideMerge) {
  QueueConfig cfg;
  EXPECT_EQ(MergeLimitsFor(cfg).flush_timeout, Clock::Duration::zero());
  cfg.batch = QueueBatchConfig{};
  cfg.batch->min_size = 100;
  cfg.batch->max_size = 500;
  const MergeLimits m = MergeLimitsFor(cfg);
  EXPECT_EQ(m.min_items, 100);
  EXPECT_EQ(m.max_items, 500);
  EXPECT_EQ(m.flush_timeout, Clock::Duration(std::chrono::milliseconds(200)));
}

}  // namespace
}  // namespace otlpd::exporter::helper
