#include "pipeline/status.h"

#include <cassert>

namespace otlpd {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kCancelled: return "CANCELLED";
    case StatusCode::kUnknown: return "UNKNOWN";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case StatusCode::kAborted: return "ABORTED";
    case StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case StatusCode::kUnimplemented: return "UNIMPLEMENTED";
    case StatusCode::kInternal: return "INTERNAL";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kDataLoss: return "DATA_LOSS";
    case StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

Status::Status(StatusCode code, std::string message,
               std::optional<std::chrono::milliseconds> retry_after)
    : code_(code), message_(std::move(message)), retry_after_(retry_after) {}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code_));
  if (!message_.empty()) out += ": " + message_;
  if (retry_after_) out += " (retry after " + std::to_string(retry_after_->count()) + "ms)";
  return out;
}

Status Status::Annotate(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, std::string(context) + ": " + message_, retry_after_);
}

Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
Status AlreadyExistsError(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
Status FailedPreconditionError(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
Status UnimplementedError(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
Status DeadlineExceededError(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
Status UnauthenticatedError(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
Status UnavailableError(std::string m, std::optional<std::chrono::milliseconds> retry_after) {
  return {StatusCode::kUnavailable, std::move(m), retry_after};
}
Status ResourceExhaustedError(std::string m,
                              std::optional<std::chrono::milliseconds> retry_after) {
  return {StatusCode::kResourceExhausted, std::move(m), retry_after};
}

bool IsRetryable(const Status& status) {
  switch (status.code()) {
    case StatusCode::kCancelled:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kAborted:
    case StatusCode::kOutOfRange:
    case StatusCode::kUnavailable:
    case StatusCode::kDataLoss:
      return true;
    case StatusCode::kResourceExhausted:
      return status.retry_after().has_value();
    default:
      return false;
  }
}

int HttpStatusFromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kCancelled:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kAborted:
    case StatusCode::kOutOfRange:
    case StatusCode::kUnavailable:
    case StatusCode::kDataLoss:
      return 503;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnimplemented:
    case StatusCode::kNotFound:
      return 404;
    default: return 500;
  }
}

Status StatusFromHttpStatus(int http_status, std::string message,
                            std::optional<std::chrono::milliseconds> retry_after) {
  assert(http_status < 200 || http_status >= 300);
  switch (http_status) {
    case 429:
    case 502:
    case 503:
    case 504:
      return UnavailableError(std::move(message), retry_after);
    case 401: return UnauthenticatedError(std::move(message));
    case 403: return {StatusCode::kPermissionDenied, std::move(message)};
    case 404: return NotFoundError(std::move(message));
    default:
      if (http_status >= 400 && http_status < 500) return InvalidArgumentError(std::move(message));
      return InternalError(std::move(message));
  }
}

}  // namespace otlpd
