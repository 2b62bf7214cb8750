// The batch processor in front of exporters with a persistent sending queue: it writes through,
// so a client's OK means the data is in the durable log, and a failed append comes back to the
// client as UNAVAILABLE. Driven through the real exporter helper and an in-memory storage.
#include <chrono>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporters/helper/queued_retry_exporter.h"
#include "pipeline/fanout.h"
#include "processors/batch/batch_processor.h"
#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/exporters/helper/scripted_sender.h"
#include "tests/support/fake_storage.h"
#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::processor::batch {
namespace {

using namespace std::chrono_literals;
using exporter::helper::QueuedRetryExporter;
using otlpd::testing::FakeHost;
using otlpd::testing::FakeStorage;
using otlpd::testing::LogCapture;
using otlpd::testing::MakeTraces;
using otlpd::testing::ObservedClock;
using otlpd::testing::ScriptedSender;
using otlpd::testing::SinkConsumer;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kLog[] = "otlp_http-t-traces";

class WriteThroughTest : public ::testing::Test {
 protected:
  WriteThroughTest() {
    host_.extensions[ComponentId("file_storage")] = &storage_;
    exporter_cfg_.queue.num_consumers = 1;
    exporter_cfg_.queue.storage = ComponentId("file_storage");
    batch_cfg_.send_batch_size = 1000;
    batch_cfg_.timeout = 1h;  // a buffering batch processor would hold everything below
  }

  CreateSettings Settings(ComponentId id) {
    CreateSettings s;
    s.id = std::move(id);
    s.logger = log_.logger();
    s.metrics = &metrics_;
    s.clock = &clock_;
    return s;
  }

  std::unique_ptr<QueuedRetryExporter<TracesBatch>> MakeExporter() {
    auto sender = std::make_unique<ScriptedSender>();
    sender_ = sender.get();
    sender_->CloseGate();  // nothing is delivered (and acknowledged) during the test
    return std::make_unique<QueuedRetryExporter<TracesBatch>>(
        Settings(ComponentId("otlp_http", "t")), exporter_cfg_, std::move(sender));
  }

  exporter::helper::Config exporter_cfg_;
  Config batch_cfg_;
  ObservedClock clock_;
  SelfMetrics metrics_;
  LogCapture log_;
  FakeStorage storage_;
  FakeHost host_;
  ScriptedSender* sender_ = nullptr;
};

TEST_F(WriteThroughTest, ConsumeReturnsOnlyAfterTheDurableAppend) {
  auto exporter = MakeExporter();
  ASSERT_TRUE(exporter->Start(host_).ok());
  BatchProcessor<TracesBatch> batch(Settings(ComponentId("batch")), batch_cfg_, *exporter);
  ASSERT_TRUE(batch.Start(host_).ok());
  EXPECT_TRUE(batch.WriteThroughForTest());
  EXPECT_TRUE(batch.AcknowledgesDurably());
  EXPECT_THAT(log_.Matching("writing through"), SizeIs(1));

  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(batch.Consume(MakeTraces(2)).ok());
    // Far below send_batch_size, yet already in the log when the client is answered.
    EXPECT_EQ(storage_.Pending(kLog), i);
  }
  sender_->OpenGate();
  ASSERT_TRUE(batch.Shutdown(clock_.Now() + 10s).ok());
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(WriteThroughTest, AFailedAppendIsUnavailableToTheCaller) {
  auto exporter = MakeExporter();
  ASSERT_TRUE(exporter->Start(host_).ok());
  BatchProcessor<TracesBatch> batch(Settings(ComponentId("batch")), batch_cfg_, *exporter);
  ASSERT_TRUE(batch.Start(host_).ok());
  storage_.RefuseAppends(UnavailableError("disk full", 1000ms));
  Status s = batch.Consume(MakeTraces(2));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(std::string(s.message()), HasSubstr("disk full"));
  EXPECT_EQ(storage_.Pending(kLog), 0);
  ASSERT_TRUE(batch.Shutdown(clock_.Now() + 10s).ok());
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(WriteThroughTest, SplitsAtSendBatchMaxSizeWhileWritingThrough) {
  batch_cfg_.send_batch_max_size = 4;
  auto exporter = MakeExporter();
  ASSERT_TRUE(exporter->Start(host_).ok());
  BatchProcessor<TracesBatch> batch(Settings(ComponentId("batch")), batch_cfg_, *exporter);
  ASSERT_TRUE(batch.Start(host_).ok());
  ASSERT_TRUE(batch.Consume(MakeTraces(10)).ok());
  EXPECT_EQ(storage_.Pending(kLog), 3);  // 4 + 4 + 2
  sender_->OpenGate();
  ASSERT_TRUE(batch.Shutdown(clock_.Now() + 10s).ok());
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(WriteThroughTest, KeepsBatchingWhenAnyBranchIsNotDurable) {
  auto exporter = MakeExporter();
  ASSERT_TRUE(exporter->Start(host_).ok());
  SinkConsumer<TracesBatch> in_memory;  // e.g. an exporter without storage
  FanOut<TracesBatch> fan({exporter.get(), &in_memory});
  EXPECT_FALSE(fan.AcknowledgesDurably());
  BatchProcessor<TracesBatch> batch(Settings(ComponentId("batch")), batch_cfg_, fan);
  ASSERT_TRUE(batch.Start(host_).ok());
  EXPECT_FALSE(batch.WriteThroughForTest());
  ASSERT_TRUE(batch.Consume(MakeTraces(2)).ok());
  EXPECT_EQ(storage_.Pending(kLog), 0);  // held in the batch, as without storage
  sender_->OpenGate();
  ASSERT_TRUE(batch.Shutdown(clock_.Now() + 10s).ok());
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(in_memory.ItemCount(), 2);
}

TEST_F(WriteThroughTest, FanOutOfDurableBranchesIsDurable) {
  auto a = MakeExporter();
  auto b = MakeExporter();
  FanOut<TracesBatch> fan({a.get(), b.get()});
  EXPECT_TRUE(fan.AcknowledgesDurably());
}

}  // namespace
}  // namespace otlpd::processor::batch
