// The exporter helper with encoded batches: the persistent queue stores the receiver's bytes and
// merges records by concatenation, and sending_queue.batch appends and splits encoded batches as
// bytes, so the sender gets exactly the bytes that came in (nothing decoded and re-encoded).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporters/helper/queued_retry_exporter.h"
#include "pipeline/self_metrics.h"
#include "tests/exporters/helper/encoded_traces.h"
#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/support/fake_storage.h"

namespace otlpd::exporter::helper {
namespace {

using namespace std::chrono_literals;
using otlpd::testing::FakeHost;
using otlpd::testing::FakeStorage;
using otlpd::testing::LogCapture;
using otlpd::testing::MakeTraces;
using otlpd::testing::NonCanonicalTraces;
using otlpd::testing::ObservedClock;
using ::testing::ElementsAre;

constexpr auto kWait = 5s;

// A sender whose wire format is the OTLP protobuf itself (like otlp_grpc): Encode takes the
// batch's bytes, EncodeSerialized passes stored bytes through. Records what it was given.
class BytesSender final : public Sender<TracesBatch> {
 public:
  Status Start(Host&) override { return OkStatus(); }
  StatusOr<EncodedRequest> Encode(TracesBatch batch) override {
    std::lock_guard l(mu_);
    encoded_inputs_.push_back(batch.is_encoded());
    const int64_t items = batch.ItemCount();
    StatusOr<std::string> payload = TakeProtobuf(batch);
    if (!payload.ok()) return payload.status();
    return EncodedRequest{std::move(*payload), items};
  }
  StatusOr<EncodedRequest> EncodeSerialized(std::string protobuf, int64_t items) override {
    return EncodedRequest{std::move(protobuf), items};
  }
  SendResult Send(const EncodedRequest& request, const AttemptContext&) override {
    std::lock_guard l(mu_);
    sent_.push_back(request);
    cv_.notify_all();
    return {OkStatus()};
  }

  bool WaitForSends(size_t n) {
    std::unique_lock l(mu_);
    return cv_.wait_for(l, kWait, [&] { return sent_.size() >= n; });
  }
  std::vector<EncodedRequest> Sent() const {
    std::lock_guard l(mu_);
    return sent_;
  }
  std::vector<bool> EncodedInputs() const {
    std::lock_guard l(mu_);
    return encoded_inputs_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<EncodedRequest> sent_;
  std::vector<bool> encoded_inputs_;
};

class EncodedExporterTest : public ::testing::Test {
 protected:
  EncodedExporterTest() {
    cfg_.timeout = 5s;
    cfg_.queue.num_consumers = 1;
    host_.extensions[ComponentId("file_storage")] = &storage_;
  }

  std::unique_ptr<QueuedRetryExporter<TracesBatch>> Make() {
    CreateSettings s;
    s.id = ComponentId("otlp_grpc", "t");
    s.logger = log_.logger();
    s.metrics = &metrics_;
    s.clock = &clock_;
    auto sender = std::make_unique<BytesSender>();
    sender_ = sender.get();
    return std::make_unique<QueuedRetryExporter<TracesBatch>>(s, cfg_, std::move(sender));
  }

  Config cfg_;
  ObservedClock clock_;
  SelfMetrics metrics_;
  LogCapture log_;
  FakeStorage storage_;
  FakeHost host_;
  BytesSender* sender_ = nullptr;
};

TEST(NonCanonicalTracesTest, ReEncodingWouldChangeTheBytes) {
  TracesBatch b = NonCanonicalTraces(3);
  const std::string bytes = b.encoded();
  EXPECT_EQ(CountItems(b.request()), 3);
  EXPECT_NE(b.request().SerializeAsString(), bytes);
}

TEST_F(EncodedExporterTest, PersistentQueueStoresAndSendsTheReceiversBytes) {
  cfg_.queue.storage = ComponentId("file_storage");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch batch = NonCanonicalTraces(3);
  const std::string bytes = batch.encoded();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(sender_->WaitForSends(1));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  ASSERT_EQ(sender_->Sent().size(), 1u);
  EXPECT_EQ(sender_->Sent()[0].payload, bytes);
  EXPECT_EQ(sender_->Sent()[0].items, 3);
}

TEST_F(EncodedExporterTest, PersistentQueueMergesRecordsByConcatenation) {
  cfg_.queue.storage = ComponentId("file_storage");
  cfg_.queue.batch = QueueBatchConfig{};
  cfg_.queue.batch->min_size = 5;
  cfg_.queue.batch->flush_timeout = 1h;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch first = NonCanonicalTraces(2, "a");
  TracesBatch second = NonCanonicalTraces(3, "b");
  const std::string bytes = first.encoded() + second.encoded();
  ASSERT_TRUE(exporter->Consume(std::move(first)).ok());
  ASSERT_TRUE(exporter->Consume(std::move(second)).ok());
  ASSERT_TRUE(sender_->WaitForSends(1));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  ASSERT_EQ(sender_->Sent().size(), 1u);
  EXPECT_EQ(sender_->Sent()[0].payload, bytes);
  EXPECT_EQ(sender_->Sent()[0].items, 5);
}

TEST_F(EncodedExporterTest, SendingQueueBatchAppendsBytes) {
  cfg_.queue.batch = QueueBatchConfig{};
  cfg_.queue.batch->min_size = 5;
  cfg_.queue.batch->flush_timeout = 1h;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch first = NonCanonicalTraces(2, "a");
  TracesBatch second = NonCanonicalTraces(3, "b");
  const std::string bytes = first.encoded() + second.encoded();
  ASSERT_TRUE(exporter->Consume(std::move(first)).ok());
  ASSERT_TRUE(exporter->Consume(std::move(second)).ok());
  ASSERT_TRUE(sender_->WaitForSends(1));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_THAT(sender_->EncodedInputs(), ElementsAre(true));
  ASSERT_EQ(sender_->Sent().size(), 1u);
  EXPECT_EQ(sender_->Sent()[0].payload, bytes);
  EXPECT_EQ(sender_->Sent()[0].items, 5);
}

TEST_F(EncodedExporterTest, SendingQueueBatchSplitsBytesAtMaxSize) {
  cfg_.queue.batch = QueueBatchConfig{};
  cfg_.queue.batch->min_size = 4;
  cfg_.queue.batch->max_size = 4;
  cfg_.queue.batch->flush_timeout = 1h;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(NonCanonicalTraces(3, "a")).ok());
  ASSERT_TRUE(exporter->Consume(NonCanonicalTraces(7, "b")).ok());
  ASSERT_TRUE(sender_->WaitForSends(2));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());  // flushes the last 2
  const auto sent = sender_->Sent();
  ASSERT_EQ(sent.size(), 3u);
  std::vector<std::string> spans;
  for (const EncodedRequest& r : sent) {
    TraceRequest req;
    ASSERT_TRUE(req.ParseFromString(r.payload));
    EXPECT_EQ(CountItems(req), r.items);
    for (const auto& rs : req.resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& s : ss.spans()) {
          spans.push_back(rs.resource().attributes(0).value().string_value() + "/" + s.name());
        }
      }
    }
  }
  EXPECT_EQ(sent[0].items, 4);
  EXPECT_EQ(sent[1].items, 4);
  EXPECT_EQ(sent[2].items, 2);
  EXPECT_THAT(spans, ElementsAre("a/span-0", "a/span-1", "a/span-2", "b/span-0", "b/span-1",
                                 "b/span-2", "b/span-3", "b/span-4", "b/span-5", "b/span-6"));
}

}  // namespace
}  // namespace otlpd::exporter::helper
