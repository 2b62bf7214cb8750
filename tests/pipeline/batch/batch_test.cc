// Batch<Request> in its two forms: wire bytes checked by a receiver, and the decoded message.
// What matters is that a stage reading the batch never sees a stale form: request() on encoded
// bytes shows the same request, a change through mutable_request() drops the bytes, and counts,
// clones and Serialized() agree with the form the batch holds.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/telemetry.h"

namespace otlpd {
namespace {

TraceRequest TwoSpans() {
  TraceRequest r;
  auto* ss = r.add_resource_spans()->add_scope_spans();
  ss->add_spans()->set_name("GET /a");
  ss->add_spans()->set_name("GET /b");
  return r;
}

TEST(BatchTest, EncodedBatchIsReadWithoutChangingItsBytes) {
  const std::string bytes = TwoSpans().SerializeAsString();
  TracesBatch batch = TracesBatch::FromEncoded(bytes, 2);
  ASSERT_TRUE(batch.is_encoded());
  EXPECT_EQ(batch.ItemCount(), 2);
  EXPECT_EQ(batch.request().resource_spans(0).scope_spans(0).spans(1).name(), "GET /b");
  // Reading decoded a copy; the bytes are still the ones received.
  EXPECT_TRUE(batch.is_encoded());
  EXPECT_EQ(batch.encoded(), bytes);
  std::string scratch;
  EXPECT_EQ(batch.Serialized(&scratch), bytes);
  EXPECT_TRUE(scratch.empty()) << "an encoded batch must not serialise again";
}

TEST(BatchTest, ChangingTheRequestDropsTheStaleBytes) {
  TracesBatch batch = TracesBatch::FromEncoded(TwoSpans().SerializeAsString(), 2);
  batch.mutable_request().mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans()->RemoveLast();
  EXPECT_FALSE(batch.is_encoded());
  EXPECT_EQ(batch.ItemCount(), 1);
  std::string scratch;
  TraceRequest back;
  ASSERT_TRUE(back.ParseFromString(std::string(batch.Serialized(&scratch))));
  EXPECT_EQ(back.resource_spans(0).scope_spans(0).spans_size(), 1);
}

TEST(BatchTest, SetEncodedReplacesADecodedRequest) {
  TracesBatch batch{TwoSpans()};
  TraceRequest one;
  one.add_resource_spans()->add_scope_spans()->add_spans()->set_name("only");
  batch.set_encoded(one.SerializeAsString(), 1);
  EXPECT_TRUE(batch.is_encoded());
  EXPECT_EQ(batch.ItemCount(), 1);
  EXPECT_EQ(batch.request().resource_spans(0).scope_spans(0).spans(0).name(), "only");
}

TEST(BatchTest, CloneOfAnEncodedBatchCopiesTheBytesAndSharesMetadata) {
  TracesBatch batch = TracesBatch::FromEncoded(TwoSpans().SerializeAsString(), 2);
  batch.set_metadata(ClientMetadata{{"tenant", {"a"}}});
  TracesBatch copy = batch.Clone();
  ASSERT_TRUE(copy.is_encoded());
  EXPECT_EQ(copy.encoded(), batch.encoded());
  EXPECT_EQ(copy.ItemCount(), 2);
  EXPECT_EQ(copy.shared_metadata(), batch.shared_metadata());
  copy.mutable_request().clear_resource_spans();
  EXPECT_EQ(batch.ItemCount(), 2) << "the clone must be independent";
}

TEST(BatchTest, TakeEncodedAndTakeRequestLeaveAnEmptyBatch) {
  const std::string bytes = TwoSpans().SerializeAsString();
  TracesBatch a = TracesBatch::FromEncoded(bytes, 2);
  EXPECT_EQ(a.TakeEncoded(), bytes);
  EXPECT_FALSE(a.is_encoded());
  EXPECT_EQ(a.ItemCount(), 0);

  TracesBatch b = TracesBatch::FromEncoded(bytes, 2);
  std::unique_ptr<TraceRequest> taken = b.TakeRequest();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(CountItems(*taken), 2);
}

TEST(BatchTest, AMovedFromEncodedBatchIsEmptyNotStale) {
  TracesBatch batch = TracesBatch::FromEncoded(TwoSpans().SerializeAsString(), 2);
  TracesBatch moved = std::move(batch);
  EXPECT_EQ(moved.ItemCount(), 2);
  // NOLINTNEXTLINE(bugprone-use-after-move): the moved-from state is what is tested
  EXPECT_FALSE(batch.is_encoded());
  EXPECT_EQ(batch.ItemCount(), 0);
  EXPECT_EQ(batch.request().resource_spans_size(), 0);
}

TEST(BatchTest, UndecodableBytesReadAsAnEmptyRequestInsteadOfCrashing) {
  // Only a scan bug could produce this; the batch must still be safe to read.
  TracesBatch batch = TracesBatch::FromEncoded(std::string("\x0a\xff", 2), 1);
  EXPECT_EQ(batch.request().resource_spans_size(), 0);
}

}  // namespace
}  // namespace otlpd
