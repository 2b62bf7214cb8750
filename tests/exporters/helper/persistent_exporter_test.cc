// QueuedRetryExporter with `sending_queue.storage`: the persistent queue end to end through the
// helper, against the in-memory FakeStorage.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "exporters/helper/queued_retry_exporter.h"
#include "pipeline/self_metrics.h"
#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/exporters/helper/scripted_sender.h"
#include "tests/support/fake_storage.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::helper {
namespace {

using namespace std::chrono_literals;
using otlpd::testing::FakeAuthenticator;
using otlpd::testing::FakeHost;
using otlpd::testing::FakeStorage;
using otlpd::testing::LogCapture;
using otlpd::testing::MakeTraces;
using otlpd::testing::ObservedClock;
using otlpd::testing::ScriptedSender;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr auto kWait = 5s;
constexpr char kLog[] = "otlp_http-t-traces";

int64_t SpansIn(const std::string& payload) {
  TraceRequest r;
  EXPECT_TRUE(r.ParseFromString(payload));
  return CountItems(r);
}

class PersistentExporterTest : public ::testing::Test {
 protected:
  PersistentExporterTest() {
    cfg_.timeout = 5s;
    cfg_.retry.initial_interval = 1s;
    cfg_.retry.randomization_factor = 0;
    cfg_.retry.multiplier = 2;
    cfg_.retry.max_interval = 30s;
    cfg_.retry.max_elapsed_time = 300s;
    cfg_.queue.num_consumers = 1;
    cfg_.queue.storage = ComponentId("file_storage");
    host_.extensions[ComponentId("file_storage")] = &storage_;
  }

  CreateSettings Settings() {
    CreateSettings s;
    s.id = ComponentId("otlp_http", "t");
    s.logger = log_.logger();
    s.metrics = &metrics_;
    s.clock = &clock_;
    return s;
  }

  std::unique_ptr<QueuedRetryExporter<TracesBatch>> Make() {
    auto sender = std::make_unique<ScriptedSender>();
    sender_ = sender.get();
    return std::make_unique<QueuedRetryExporter<TracesBatch>>(Settings(), cfg_, std::move(sender));
  }

  int64_t Dropped(const std::string& reason) {
    return metrics_.CounterValue("otelcol_exporter_dropped_spans",
                                 {{"exporter", "otlp_http/t"}, {"reason", reason}});
  }

  Config cfg_;
  ObservedClock clock_;
  SelfMetrics metrics_;
  LogCapture log_;
  FakeStorage storage_;
  FakeHost host_;
  ScriptedSender* sender_ = nullptr;
};

TEST_F(PersistentExporterTest, ConsumeIsDurableBeforeItReturnsAndADeliveryAcks) {
  auto exporter = Make();
  EXPECT_TRUE(exporter->AcknowledgesDurably());
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  EXPECT_EQ(storage_.Pending(kLog), 1);  // in the log when Consume answered
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  EXPECT_EQ(storage_.Pending(kLog), 1);  // being sent is not done
  sender_->OpenGate();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(storage_.Pending(kLog), 0);
  EXPECT_EQ(SpansIn(sender_->Attempts().at(0).payload), 5);
  EXPECT_EQ(metrics_.CounterValue("otelcol_exporter_sent_spans", {{"exporter", "otlp_http/t"}}),
            5);
}

TEST_F(PersistentExporterTest, ShutdownKeepsUnsentDataOnDiskAndTheNextRunSendsItFirst) {
  {
    auto exporter = Make();
    sender_->SetDefault(UnavailableError("backend down"));
    ASSERT_TRUE(exporter->Start(host_).ok());
    ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
    ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
    ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
    ASSERT_TRUE(clock_.WaitForEntries(1, kWait));  // parked in its first retry wait
    // The retry wait cannot end before the deadline: the worker gives it up, nothing is lost.
    Status s = exporter->Shutdown(clock_.Now() + 500ms);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_EQ(storage_.Pending(kLog), 2);
  EXPECT_FALSE(storage_.IsOpen(kLog));
  EXPECT_EQ(Dropped("shutdown"), 0);
  EXPECT_THAT(log_.Matching("8 spans in 2 requests stay queued on disk for the next run"),
              SizeIs(1));
  EXPECT_THAT(log_.Matching("dropped"), SizeIs(0));

  auto next_run = Make();
  ASSERT_TRUE(next_run->Start(host_).ok());
  EXPECT_THAT(log_.Matching("recovered 2 requests from the previous run"), SizeIs(1));
  ASSERT_TRUE(next_run->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(next_run->Shutdown(clock_.Now() + 10s).ok());
  // Recovered first, merged into one request (5 + 3), then the new one (or all merged).
  const auto attempts = sender_->Attempts();
  int64_t total = 0;
  for (const auto& a : attempts) total += SpansIn(a.payload);
  EXPECT_EQ(total, 9);
  EXPECT_GE(SpansIn(attempts.at(0).payload), 8);
  EXPECT_EQ(storage_.Pending(kLog), 0);
}

TEST_F(PersistentExporterTest, PermanentErrorDropsAndAcknowledges) {
  auto exporter = Make();
  sender_->SetDefault(InvalidArgumentError("bad data"));
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(storage_.Pending(kLog), 0);
  EXPECT_EQ(Dropped("permanent"), 4);
  EXPECT_THAT(log_.Matching("dropped 4 spans after 1 attempt (not retryable)"), SizeIs(1));
}

TEST_F(PersistentExporterTest, RetryableErrorKeepsRetryingAndAcksOnSuccess) {
  auto exporter = Make();
  sender_->Script({UnavailableError("down"), UnavailableError("down")});
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  for (int i = 1; i <= 2; ++i) {
    ASSERT_TRUE(sender_->WaitForAttempts(i, kWait));
    ASSERT_TRUE(clock_.WaitForEntries(i, kWait));
    EXPECT_EQ(storage_.Pending(kLog), 1);
    clock_.Advance(clock_.LastWait());
  }
  ASSERT_TRUE(sender_->WaitForAttempts(3, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(storage_.Pending(kLog), 0);
  EXPECT_EQ(Dropped("retries_exhausted"), 0);
}

TEST_F(PersistentExporterTest, StorageRefusalIsUnavailableToTheCaller) {
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  storage_.RefuseAppends(UnavailableError("file_storage: size limit reached", 2000ms));
  Status s = exporter->Consume(MakeTraces(3));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(s.message()), HasSubstr("size limit reached"));
  ASSERT_TRUE(s.retry_after().has_value());
  EXPECT_EQ(*s.retry_after(), 2000ms);
  EXPECT_EQ(metrics_.CounterValue("otelcol_exporter_enqueue_failed_spans",
                                  {{"exporter", "otlp_http/t"}}),
            3);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(PersistentExporterTest, FullQueueRefusesWithUnavailable) {
  cfg_.queue.queue_size = 1;
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  EXPECT_EQ(exporter->Consume(MakeTraces(1)).code(), StatusCode::kUnavailable);
  EXPECT_EQ(exporter->Admit().code(), StatusCode::kUnavailable);
  sender_->OpenGate();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(PersistentExporterTest, BatchConfigMergesOnTheReadSideWithoutHoldingDataInMemory) {
  cfg_.queue.batch = QueueBatchConfig{};
  cfg_.queue.batch->min_size = 10;
  // Long enough that only min_size can trigger the send, however slow the machine.
  cfg_.queue.batch->flush_timeout = 60s;
  auto exporter = Make();
  sender_->CloseGate();  // the merged send is held open, so nothing is acked while we look
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  EXPECT_EQ(storage_.Pending(kLog), 1);  // in the log, not in a batcher
  ASSERT_TRUE(exporter->Consume(MakeTraces(6)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  EXPECT_EQ(storage_.Pending(kLog), 2) << "records are acked only after the send";
  sender_->OpenGate();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const auto attempts = sender_->Attempts();
  ASSERT_THAT(attempts, SizeIs(1));
  EXPECT_EQ(SpansIn(attempts[0].payload), 10);
  EXPECT_EQ(storage_.Pending(kLog), 0);
}

TEST_F(PersistentExporterTest, StartFailsClearlyWhenTheExtensionIsMissingOrNotStorage) {
  cfg_.queue.storage = ComponentId("file_storage", "missing");
  auto missing = Make();
  Status s = missing->Start(host_);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("sending_queue::storage: extension \"file_storage/missing\" is not "
                        "configured"));
  ASSERT_TRUE(missing->Shutdown(clock_.Now() + 1s).ok());

  FakeAuthenticator not_storage;
  host_.extensions[ComponentId("oauth2client")] = &not_storage;
  cfg_.queue.storage = ComponentId("oauth2client");
  auto wrong = Make();
  s = wrong->Start(host_);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("is not a storage extension"));
  ASSERT_TRUE(wrong->Shutdown(clock_.Now() + 1s).ok());

  cfg_.queue.storage = ComponentId("file_storage");
  storage_.FailOpen(FailedPreconditionError("directory /x is locked by another process"));
  auto locked = Make();
  s = locked->Start(host_);
  EXPECT_THAT(std::string(s.message()), HasSubstr("locked by another process"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("otlp_http-t-traces"));
  ASSERT_TRUE(locked->Shutdown(clock_.Now() + 1s).ok());
}

TEST_F(PersistentExporterTest, ConsumeBeforeStartIsRefusedNotSentAround) {
  auto exporter = Make();
  EXPECT_EQ(exporter->Consume(MakeTraces(1)).code(), StatusCode::kUnavailable);
  EXPECT_THAT(sender_->Attempts(), SizeIs(0));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
}

TEST_F(PersistentExporterTest, WithoutStorageTheExporterDoesNotClaimDurability) {
  cfg_.queue.storage.reset();
  auto exporter = Make();
  EXPECT_FALSE(exporter->AcknowledgesDurably());
}

}  // namespace
}  // namespace otlpd::exporter::helper
