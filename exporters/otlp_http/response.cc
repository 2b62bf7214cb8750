#include "exporters/otlp_http/response.h"

#include <curl/curl.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "google/rpc/status.pb.h"
#include "pipeline/otlp_json.h"
#include "pipeline/telemetry.h"

namespace otlpd::exporter::otlp_http {
namespace {

constexpr size_t kMaxMessage = 256;

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Control bytes would garble a log line; binary junk is shown as '?'.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, kMaxMessage)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u != 0x7f) || c == '\t' ? c : (c == '\n' || c == '\r' ? ' ' : '?');
  }
  if (s.size() > kMaxMessage) out += "...";
  return out;
}

template <class Response>
StatusOr<PartialSuccess> Parse(std::string_view content_type, std::string_view body,
                               int64_t (*rejected)(const Response&)) {
  Response response;
  if (IsJsonContentType(content_type)) {
    if (Status s = ParseOtlpJson(body, response); !s.ok()) return s;
  } else if (!response.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return InvalidArgumentError("response body is not a valid protobuf export response");
  }
  return PartialSuccess{rejected(response), response.partial_success().error_message()};
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  value = TrimView(value);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::milliseconds(std::min<int64_t>(seconds, 86'400 * 365) * 1000);
  }
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(when);
  if (at <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

bool IsJsonContentType(std::string_view content_type) {
  std::string lower(TrimView(content_type.substr(0, content_type.find(';'))));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "application/json";
}

std::string ErrorMessageFromBody(std::string_view content_type, std::string_view body) {
  if (body.empty()) return "";
  if (IsJsonContentType(content_type)) {
    // As the Collector does: a Status whose `details` name a type we do not know does not
    // parse, and then the body itself (which shows the message anyway) is the best we have.
    google::rpc::Status status;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (google::protobuf::util::JsonStringToMessage(std::string(body), &status, options).ok() &&
        !status.message().empty()) {
      return Printable(status.message());
    }
  } else if (content_type.find("protobuf") != std::string_view::npos) {
    google::rpc::Status status;
    if (status.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return Printable(status.message());
    }
  }
  return Printable(TrimView(body));
}

StatusOr<PartialSuccess> ParsePartialSuccess(Signal signal, std::string_view content_type,
                                             std::string_view body) {
  if (body.empty()) return PartialSuccess{};
  using opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;
  using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse;
  using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
  switch (signal) {
    case Signal::kTraces:
      return Parse<ExportTraceServiceResponse>(
          content_type, body, [](const ExportTraceServiceResponse& r) {
            return static_cast<int64_t>(r.partial_success().rejected_spans());
          });
    case Signal::kMetrics:
      return Parse<ExportMetricsServiceResponse>(
          content_type, body, [](const ExportMetricsServiceResponse& r) {
            return static_cast<int64_t>(r.partial_success().rejected_data_points());
          });
    case Signal::kLogs:
      return Parse<ExportLogsServiceResponse>(
          content_type, body, [](const ExportLogsServiceResponse& r) {
            return static_cast<int64_t>(r.partial_success().rejected_log_records());
          });
  }
  return PartialSuccess{};
}

}  // namespace otlpd::exporter::otlp_http
