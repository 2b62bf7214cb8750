#include "receivers/otlp/rpc_status.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "google/rpc/error_details.pb.h"

namespace otlpd::receiver::otlp {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
  else if (b0 == 0xE0) n = 3, lo = 0xA0;
  else if (b0 == 0xED) n = 3, hi = 0x9F;
  else if (b0 >= 0xE1 && b0 <= 0xEF) n = 3;
  else if (b0 == 0xF0) n = 4, lo = 0x90;
  else if (b0 == 0xF4) n = 4, hi = 0x8F;
  else if (b0 >= 0xF1 && b0 <= 0xF3) n = 4;
  else return 0;
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return n;
}

// Error messages quote the client's input (the JSON parser's do), but google.rpc.Status.message
// is a proto3 string: invalid UTF-8 in it would make the answer itself unreadable to a strict
// client. Each bad byte becomes U+FFFD.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const size_t n = Utf8SequenceLength(s);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      s.remove_prefix(1);
    } else {
      out.append(s.substr(0, n));
      s.remove_prefix(n);
    }
  }
  return out;
}

}  // namespace

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
  out.set_message(ValidUtf8(status.message()));
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
