#include "pipeline/fanout.h"

#include <gtest/gtest.h>

#include "tests/support/sink_consumer.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using testing::ErrConsumer;
using testing::MakeTraces;
using testing::SinkConsumer;

TEST(FanOutTest, EveryConsumerGetsItsOwnCopy) {
  SinkConsumer<TracesBatch> a, b, c;
  FanOut<TracesBatch> fan({&a, &b, &c});
  ASSERT_TRUE(fan.Consume(MakeTraces(4)).ok());
  for (auto* s : {&a, &b, &c}) EXPECT_EQ(s->ItemCount(), 4);
  // Mutating one copy must not touch another.
  auto batches = a.Batches();
  batches[0].mutable_request().clear_resource_spans();
  EXPECT_EQ(b.ItemCount(), 4);
}

TEST(FanOutTest, PrefersARetryableErrorSoTheClientRetries) {
  SinkConsumer<TracesBatch> ok;
  ErrConsumer<TracesBatch> permanent(InvalidArgumentError("bad"));
  ErrConsumer<TracesBatch> retryable(UnavailableError("full"));
  FanOut<TracesBatch> fan({&ok, &permanent, &retryable});
  Status s = fan.Consume(MakeTraces(1));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(ok.ItemCount(), 1);
  EXPECT_EQ(permanent.calls(), 1);
  EXPECT_EQ(retryable.calls(), 1);
}

TEST(FanOutTest, AdmitsOnlyWhenEveryBranchAdmits) {
  SinkConsumer<TracesBatch> a, b;
  FanOut<TracesBatch> fan({&a, &b});
  EXPECT_TRUE(fan.Admit().ok());
  b.SetAdmit(UnavailableError("memory"));
  EXPECT_EQ(fan.Admit().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace otlpd
