// Status and StatusOr: the error currency of otlpd.
//
// Codes are numerically equal to gRPC codes so that a status travels unchanged to a gRPC client
// and maps to one HTTP answer. This header holds the ONE table that says which failures are worth
// retrying and the ONE mapping between HTTP status codes and ours; curl, HTTP and gRPC results
// are converted here and nowhere else.
//
//   Status s = next.Consume(std::move(batch));
//   if (!s.ok() && IsRetryable(s)) { /* back off for max(backoff, s.retry_after()) */ }
//   StatusOr<int> port = ParsePort("4317");
//   if (!port.ok()) return port.status();
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace otlpd {

enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// "UNAVAILABLE", "INVALID_ARGUMENT", ... as gRPC spells them.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  Status(StatusCode code, std::string message,
         std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // A hint from whoever refused: do not try again before this much time has passed.
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }

  // "UNAVAILABLE: queue is full (retry after 1000ms)"; "OK" for success.
  std::string ToString() const;
  // The same status with `context + ": "` in front of the message.
  Status Annotate(std::string_view context) const;

  // Explicitly discards a status where ignoring it is the intent.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.retry_after_ == b.retry_after_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

inline Status OkStatus() { return Status(); }
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status FailedPreconditionError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);
Status DeadlineExceededError(std::string message);
Status UnauthenticatedError(std::string message);
Status UnavailableError(std::string message,
                        std::optional<std::chrono::milliseconds> retry_after = std::nullopt);
Status ResourceExhaustedError(std::string message,
                              std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

// The one retry table (OTLP specification, "Failures"): CANCELLED, DEADLINE_EXCEEDED, ABORTED,
// OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS are retryable; RESOURCE_EXHAUSTED only when the
// server said when to come back (a retry_after hint), because without it the refusal is a quota
// that will not heal by waiting. Everything else is permanent.
bool IsRetryable(const Status& status);

// Receiver side: the HTTP status an OTLP/HTTP client gets for a pipeline status (the
// Collector's mapping: retryable -> 503, RESOURCE_EXHAUSTED -> 429, INVALID_ARGUMENT -> 400,
// UNAUTHENTICATED -> 401, PERMISSION_DENIED -> 403, UNIMPLEMENTED -> 404, others -> 500).
int HttpStatusFromStatus(const Status& status);

// Exporter side: our status for a backend's non-2xx HTTP answer. 429, 502, 503 and 504 become
// UNAVAILABLE (retryable, carrying retry_after when the server sent Retry-After); 401
// UNAUTHENTICATED; other 4xx INVALID_ARGUMENT or the closest code; other 5xx INTERNAL.
Status StatusFromHttpStatus(int http_status, std::string message,
                            std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

// A value or the reason there is none.
template <class T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit like absl::StatusOr
  StatusOr(Status status) : value_(std::move(status)) {}  // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status() : std::get<Status>(value_); }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace otlpd
