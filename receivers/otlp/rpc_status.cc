#include "receivers/otlp/rpc_status.h"

#include <algorithm>

#include "google/rpc/error_details.pb.h"

namespace otlpd::receiver::otlp {

std::chrono::milliseconds RetryDelay(const Status& status) {
  if (status.retry_after() && status.retry_after()->count() > 0) return *status.retry_after();
  return std::chrono::seconds(1);
}

int64_t RetryAfterSeconds(const Status& status) {
  const int64_t ms = RetryDelay(status).count();
  return std::max<int64_t>(1, (ms + 999) / 1000);
}

google::rpc::Status ToRpcStatus(const Status& status) {
  google::rpc::Status out;
  out.set_code(static_cast<int32_t>(status.code()));
  out.set_message(status.message());
  if (IsRetryable(status)) {
    google::rpc::RetryInfo info;
    const int64_t ms = RetryDelay(status).count();
    info.mutable_retry_delay()->set_seconds(ms / 1000);
    info.mutable_retry_delay()->set_nanos(static_cast<int32_t>((ms % 1000) * 1'000'000));
    out.add_details()->PackFrom(info);
  }
  return out;
}

}  // namespace otlpd::receiver::otlp
