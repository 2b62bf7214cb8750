#include "exporters/helper/queued_retry_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "pipeline/self_metrics.h"
#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/exporters/helper/scripted_sender.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::helper {
namespace {

using namespace std::chrono_literals;
using otlpd::testing::FakeHost;
using otlpd::testing::LogCapture;
using otlpd::testing::MakeTraces;
using otlpd::testing::ObservedClock;
using otlpd::testing::ScriptedSender;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr auto kWait = 5s;

class QueuedRetryExporterTest : public ::testing::Test {
 protected:
  QueuedRetryExporterTest() {
    // Exact waits: no jitter, doubling from 1s.
    cfg_.timeout = 5s;
    cfg_.retry.initial_interval = 1s;
    cfg_.retry.randomization_factor = 0;
    cfg_.retry.multiplier = 2;
    cfg_.retry.max_interval = 30s;
    cfg_.retry.max_elapsed_time = 300s;
    cfg_.queue.num_consumers = 1;
  }

  CreateSettings Settings() {
    CreateSettings s;
    s.id = ComponentId("otlp_http", "t");
    s.logger = log_.logger();
    s.metrics = &metrics_;
    s.health = &health_;
    s.clock = &clock_;
    return s;
  }

  std::unique_ptr<QueuedRetryExporter<TracesBatch>> Make() {
    auto sender = std::make_unique<ScriptedSender>();
    sender_ = sender.get();
    return std::make_unique<QueuedRetryExporter<TracesBatch>>(Settings(), cfg_, std::move(sender));
  }

  int64_t Count(const std::string& name) {
    return metrics_.CounterValue(name, {{"exporter", "otlp_http/t"}});
  }
  int64_t Dropped(const std::string& reason) {
    return metrics_.CounterValue("otelcol_exporter_dropped_spans",
                                 {{"exporter", "otlp_http/t"}, {"reason", reason}});
  }
  int64_t QueueGauge(const std::string& name) {
    return metrics_.GaugeValue(name, {{"exporter", "otlp_http/t"}, {"data_type", "traces"}});
  }
  // Waits for the worker's n-th retry wait and lets fake time run through it.
  void PassWait(int64_t n) {
    ASSERT_TRUE(clock_.WaitForEntries(n, kWait)) << "no retry wait #" << n;
    clock_.Advance(clock_.LastWait());
  }

  Config cfg_;
  ObservedClock clock_;
  SelfMetrics metrics_;
  HealthBoard health_;
  LogCapture log_;
  FakeHost host_;
  ScriptedSender* sender_ = nullptr;
};

TEST_F(QueuedRetryExporterTest, RetriesWithExponentialBackoffAndDeliversOnce) {
  auto exporter = Make();
  sender_->Script({UnavailableError("down"), UnavailableError("down"), UnavailableError("down")});
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());

  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(sender_->WaitForAttempts(i, kWait));
    PassWait(i);
  }
  ASSERT_TRUE(sender_->WaitForAttempts(4, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());

  const auto waits = clock_.Waits();
  ASSERT_GE(waits.size(), 3u);
  EXPECT_EQ(waits[0], Clock::Duration(1s));
  EXPECT_EQ(waits[1], Clock::Duration(2s));
  EXPECT_EQ(waits[2], Clock::Duration(4s));
  const auto attempts = sender_->Attempts();
  ASSERT_THAT(attempts, SizeIs(4));
  EXPECT_EQ(attempts[3].at - attempts[0].at, Clock::Duration(7s));
  // Encoded once, the same bytes sent by every attempt.
  EXPECT_EQ(sender_->encodes(), 1);
  for (const auto& a : attempts) EXPECT_EQ(a.payload, attempts[0].payload);
  EXPECT_EQ(attempts[3].number, 4);
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 5);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 0);
  EXPECT_THAT(log_.Matching("dropped"), SizeIs(0));
  const auto h = health_.Exporters().at("otlp_http/t");
  EXPECT_EQ(h.consecutive_failures, 0);
  EXPECT_EQ(h.last_success, attempts[3].at);
}

TEST_F(QueuedRetryExporterTest, WaitsForRetryAfterWhenLongerThanBackoff) {
  cfg_.retry.initial_interval = 100ms;
  auto exporter = Make();
  sender_->Script({UnavailableError("busy", std::chrono::milliseconds(2000))});
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_EQ(clock_.LastWait(), Clock::Duration(2s));
  clock_.Advance(2s);
  ASSERT_TRUE(sender_->WaitForAttempts(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 1);
}

TEST_F(QueuedRetryExporterTest, WaitsForBackoffWhenLongerThanRetryAfter) {
  cfg_.retry.initial_interval = 5s;
  auto exporter = Make();
  sender_->Script({UnavailableError("busy", std::chrono::milliseconds(1000))});
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_EQ(clock_.LastWait(), Clock::Duration(5s));
  clock_.Advance(5s);
  ASSERT_TRUE(sender_->WaitForAttempts(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(QueuedRetryExporterTest, ResourceExhaustedWithoutRetryInfoIsPermanent) {
  auto exporter = Make();
  sender_->Script({ResourceExhaustedError("quota")});
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_THAT(sender_->Attempts(), SizeIs(1));
  EXPECT_EQ(Dropped("permanent"), 2);
}

TEST_F(QueuedRetryExporterTest, PermanentErrorIsDroppedAtOnceWithOneLogLine) {
  auto exporter = Make();
  sender_->Script({InvalidArgumentError("HTTP 400: bad data")});
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());

  EXPECT_THAT(sender_->Attempts(), SizeIs(1));
  EXPECT_EQ(clock_.Waits().size(), 1u);  // only Shutdown's own wait: no backoff
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 0);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 5);
  EXPECT_EQ(Dropped("permanent"), 5);
  const auto lines = log_.Matching("dropped");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("otlp_http/t"));
  EXPECT_THAT(lines[0], HasSubstr("5 spans"));
  EXPECT_THAT(lines[0], HasSubstr("bad data"));
}

TEST_F(QueuedRetryExporterTest, RetryableErrorIsDroppedAfterMaxElapsedTime) {
  cfg_.retry.max_elapsed_time = 5s;
  auto exporter = Make();
  sender_->SetDefault(UnavailableError("backend down"));
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  // Waits of 1s and 2s fit into 5s; the next (4s) would end at 7s: give up after 3 attempts.
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  PassWait(1);
  ASSERT_TRUE(sender_->WaitForAttempts(2, kWait));
  PassWait(2);
  ASSERT_TRUE(sender_->WaitForAttempts(3, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());

  EXPECT_THAT(sender_->Attempts(), SizeIs(3));
  EXPECT_EQ(Dropped("retries_exhausted"), 4);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 4);
  const auto lines = log_.Matching("dropped");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("3 attempts"));
  EXPECT_THAT(lines[0], HasSubstr("UNAVAILABLE: backend down"));
  const auto h = health_.Exporters().at("otlp_http/t");
  EXPECT_EQ(h.consecutive_failures, 3);
}

TEST_F(QueuedRetryExporterTest, RetryDisabledDropsRetryableErrorsAtOnce) {
  cfg_.retry.enabled = false;
  auto exporter = Make();
  sender_->SetDefault(UnavailableError("down"));
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_THAT(sender_->Attempts(), SizeIs(1));
  EXPECT_EQ(Dropped("retries_exhausted"), 2);
}

TEST_F(QueuedRetryExporterTest, MaxElapsedTimeZeroRetriesUntilShutdownInterruptsTheWait) {
  cfg_.retry.max_elapsed_time = 0s;
  cfg_.retry.max_interval = 2s;
  auto exporter = Make();
  sender_->SetDefault(UnavailableError("down"));
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(sender_->WaitForAttempts(i, kWait));
    PassWait(i);
  }
  ASSERT_TRUE(sender_->WaitForAttempts(21, kWait));
  ASSERT_TRUE(clock_.WaitForEntries(21, kWait));  // parked in a 2s wait
  EXPECT_EQ(clock_.LastWait(), Clock::Duration(2s));

  // The wait cannot end before the deadline: Shutdown gives up on it without advancing time.
  Status s = exporter->Shutdown(clock_.Now() + 1s);
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(sender_->Attempts(), SizeIs(21));
  EXPECT_EQ(Dropped("shutdown"), 5);
  EXPECT_THAT(log_.Matching("shutdown deadline reached; dropped 5 spans in 1 request"), SizeIs(1));
}

TEST_F(QueuedRetryExporterTest, FullQueueRefusesWithUnavailableAndRetryAfter) {
  cfg_.queue.queue_size = 2;
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));  // the worker holds it
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  EXPECT_EQ(QueueGauge("otelcol_exporter_queue_size"), 2);
  EXPECT_EQ(QueueGauge("otelcol_exporter_queue_capacity"), 2);

  Status refused = exporter->Consume(MakeTraces(7));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_THAT(refused.message(), HasSubstr("queue"));
  ASSERT_TRUE(refused.retry_after().has_value());
  EXPECT_GT(*refused.retry_after(), std::chrono::milliseconds(0));
  EXPECT_TRUE(IsRetryable(refused));
  EXPECT_EQ(Count("otelcol_exporter_enqueue_failed_spans"), 7);
  EXPECT_EQ(exporter->Admit().code(), StatusCode::kUnavailable);

  sender_->OpenGate();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  EXPECT_EQ(QueueGauge("otelcol_exporter_queue_size"), 0);
}

TEST_F(QueuedRetryExporterTest, ItemsSizerBoundsQueuedItems) {
  cfg_.queue.queue_size = 10;
  cfg_.queue.sizer = QueueSizer::kItems;
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Consume(MakeTraces(6)).ok());
  EXPECT_EQ(exporter->Consume(MakeTraces(5)).code(), StatusCode::kUnavailable);
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  EXPECT_EQ(QueueGauge("otelcol_exporter_queue_size"), 10);
  sender_->OpenGate();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 13);
}

TEST_F(QueuedRetryExporterTest, OversizedRequestIsAcceptedIntoAnEmptyQueueOnly) {
  cfg_.queue.queue_size = 10;
  cfg_.queue.sizer = QueueSizer::kItems;
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Consume(MakeTraces(50)).ok());
  EXPECT_EQ(exporter->Consume(MakeTraces(1)).code(), StatusCode::kUnavailable);
  sender_->OpenGate();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 51);
}

TEST_F(QueuedRetryExporterTest, BlockOnOverflowWaitsForRoom) {
  cfg_.queue.queue_size = 1;
  cfg_.queue.block_on_overflow = true;
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());  // fills the queue
  auto blocked = std::async(std::launch::async, [&] { return exporter->Consume(MakeTraces(1)); });
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));  // waiting for room, bounded by `timeout`
  EXPECT_EQ(clock_.LastWait(), Clock::Duration(5s));
  sender_->OpenGate();
  EXPECT_TRUE(blocked.get().ok());
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
}

TEST_F(QueuedRetryExporterTest, ShutdownDrainsTheQueueAndRefusesNewData) {
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));

  auto shutdown =
      std::async(std::launch::async, [&] { return exporter->Shutdown(clock_.Now() + 5s); });
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));  // Shutdown waits for the drain
  Status refused = exporter->Consume(MakeTraces(1));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_THAT(refused.message(), HasSubstr("shutting down"));
  EXPECT_EQ(exporter->Admit().code(), StatusCode::kUnavailable);

  sender_->OpenGate();
  EXPECT_TRUE(shutdown.get().ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 15);
  EXPECT_EQ(Dropped("shutdown"), 0);
}

TEST_F(QueuedRetryExporterTest, ShutdownDeadlineCancelsInFlightAndReportsTheRest) {
  auto exporter = Make();
  sender_->CloseGate();
  ASSERT_TRUE(exporter->Start(host_).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));

  auto shutdown =
      std::async(std::launch::async, [&] { return exporter->Shutdown(clock_.Now() + 5s); });
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  clock_.Advance(5s);  // the backend never answers
  Status s = shutdown.get();
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(sender_->Attempts(), SizeIs(1));
  EXPECT_EQ(Dropped("shutdown"), 15);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 15);
  EXPECT_THAT(log_.Matching("shutdown deadline reached; dropped 15 spans in 3 requests"),
              SizeIs(1));
}

TEST_F(QueuedRetryExporterTest, PartialSuccessCountsRejectedItems) {
  auto exporter = Make();
  sender_->SetDefault(SendResult(OkStatus(), 2, "two spans too old"));
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_THAT(sender_->Attempts(), SizeIs(1));
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 2);
  EXPECT_EQ(Dropped("permanent"), 2);
  const auto lines = log_.Matching("partial success");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("rejected 2 of 5 spans: two spans too old"));
}

TEST_F(QueuedRetryExporterTest, AttemptDeadlineIsTheTimeout) {
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const auto a = sender_->Attempts().at(0);
  EXPECT_EQ(a.deadline - a.at, Clock::Duration(5s));
}

TEST_F(QueuedRetryExporterTest, ZeroTimeoutMeansNoAttemptDeadline) {
  cfg_.timeout = 0s;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(sender_->Attempts().at(0).deadline, Clock::TimePoint::max());
}

TEST_F(QueuedRetryExporterTest, WithoutQueueConsumeSendsAndReturnsTheOutcome) {
  cfg_.queue.enabled = false;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());

  sender_->Script({InvalidArgumentError("bad")});
  Status s = exporter->Consume(MakeTraces(2));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 2);

  sender_->Script({UnavailableError("down")});
  auto sent = std::async(std::launch::async, [&] { return exporter->Consume(MakeTraces(3)); });
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));  // the caller's thread waits for the retry
  clock_.Advance(1s);
  EXPECT_TRUE(sent.get().ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(QueuedRetryExporterTest, EncodeErrorReturnsToTheCaller) {
  auto exporter = Make();
  sender_->SetEncodeStatus(InvalidArgumentError("cannot encode"));
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(2));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("cannot encode"));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(QueuedRetryExporterTest, StartErrorOfTheSenderIsReturned) {
  auto exporter = Make();
  sender_->SetStartStatus(FailedPreconditionError("auth::authenticator: missing"));
  Status s = exporter->Start(host_);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("auth::authenticator"));
  EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
}

TEST_F(QueuedRetryExporterTest, ShutdownWithoutStartIsClean) {
  auto exporter = Make();
  EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
  EXPECT_EQ(exporter->Consume(MakeTraces(1)).code(), StatusCode::kUnavailable);
}

TEST_F(QueuedRetryExporterTest, BatchingMergesUntilMinSize) {
  cfg_.queue.batch = QueueBatchConfig{};
  cfg_.queue.batch->min_size = 10;
  cfg_.queue.batch->flush_timeout = 1s;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  EXPECT_EQ(sender_->encodes(), 0);
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());  // 12 >= 10: flushed by this call
  EXPECT_EQ(sender_->encodes(), 1);
  ASSERT_TRUE(sender_->WaitForAttempts(1, kWait));
  TraceRequest first;
  ASSERT_TRUE(first.ParseFromString(sender_->Attempts()[0].payload));
  EXPECT_EQ(CountItems(first), 12);

  // A small remainder goes out when flush_timeout passes (the flush thread polls fake time).
  ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
  EXPECT_EQ(sender_->encodes(), 1);
  clock_.Advance(1s);
  ASSERT_TRUE(sender_->WaitForAttempts(2, kWait));
  TraceRequest second;
  ASSERT_TRUE(second.ParseFromString(sender_->Attempts()[1].payload));
  EXPECT_EQ(CountItems(second), 3);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 15);
}

TEST_F(QueuedRetryExporterTest, BatchingSplitsAtMaxSizeAndFlushesAtShutdown) {
  cfg_.queue.batch = QueueBatchConfig{};
  cfg_.queue.batch->min_size = 10;
  cfg_.queue.batch->max_size = 10;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(25)).ok());
  ASSERT_TRUE(sender_->WaitForAttempts(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());  // the last 5 go out here
  const auto attempts = sender_->Attempts();
  ASSERT_THAT(attempts, SizeIs(3));
  std::vector<int64_t> sizes;
  for (const auto& a : attempts) {
    TraceRequest r;
    ASSERT_TRUE(r.ParseFromString(a.payload));
    sizes.push_back(CountItems(r));
  }
  EXPECT_THAT(sizes, ::testing::ElementsAre(10, 10, 5));
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 25);
}

}  // namespace
}  // namespace otlpd::exporter::helper
