#include "pipeline/status.h"

#include <gtest/gtest.h>

namespace otlpd {
namespace {

using std::chrono::milliseconds;

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ToStringNamesCodeMessageAndHint) {
  EXPECT_EQ(UnavailableError("queue is full", milliseconds(1500)).ToString(),
            "UNAVAILABLE: queue is full (retry after 1500ms)");
  EXPECT_EQ(InvalidArgumentError("bad").Annotate("receiver/otlp").ToString(),
            "INVALID_ARGUMENT: receiver/otlp: bad");
}

TEST(StatusTest, RetryTableFollowsOtlpSpecification) {
  for (StatusCode c : {StatusCode::kCancelled, StatusCode::kDeadlineExceeded, StatusCode::kAborted,
                       StatusCode::kOutOfRange, StatusCode::kUnavailable, StatusCode::kDataLoss}) {
    EXPECT_TRUE(IsRetryable(Status(c, "x"))) << StatusCodeName(c);
  }
  for (StatusCode c : {StatusCode::kInvalidArgument, StatusCode::kInternal, StatusCode::kNotFound,
                       StatusCode::kPermissionDenied, StatusCode::kUnauthenticated,
                       StatusCode::kUnimplemented, StatusCode::kUnknown}) {
    EXPECT_FALSE(IsRetryable(Status(c, "x"))) << StatusCodeName(c);
  }
  EXPECT_FALSE(IsRetryable(ResourceExhaustedError("quota")));
  EXPECT_TRUE(IsRetryable(ResourceExhaustedError("slow down", milliseconds(100))));
}

TEST(StatusTest, ReceiverHttpMapping) {
  EXPECT_EQ(HttpStatusFromStatus(OkStatus()), 200);
  EXPECT_EQ(HttpStatusFromStatus(UnavailableError("mem")), 503);
  EXPECT_EQ(HttpStatusFromStatus(ResourceExhaustedError("q")), 429);
  EXPECT_EQ(HttpStatusFromStatus(InvalidArgumentError("x")), 400);
  EXPECT_EQ(HttpStatusFromStatus(UnauthenticatedError("x")), 401);
  EXPECT_EQ(HttpStatusFromStatus(UnimplementedError("x")), 404);
  EXPECT_EQ(HttpStatusFromStatus(InternalError("x")), 500);
}

TEST(StatusTest, ExporterHttpMapping) {
  for (int code : {429, 502, 503, 504}) {
    Status s = StatusFromHttpStatus(code, "backend", milliseconds(2000));
    EXPECT_TRUE(IsRetryable(s)) << code;
    EXPECT_EQ(s.retry_after(), milliseconds(2000));
  }
  for (int code : {400, 403, 404, 408, 413, 500, 501}) {
    EXPECT_FALSE(IsRetryable(StatusFromHttpStatus(code, "backend"))) << code;
  }
  EXPECT_EQ(StatusFromHttpStatus(401, "x").code(), StatusCode::kUnauthenticated);
}

TEST(StatusOrTest, HoldsValueOrStatus) {
  StatusOr<int> v = 7;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 7);
  StatusOr<int> e = NotFoundError("none");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace otlpd
