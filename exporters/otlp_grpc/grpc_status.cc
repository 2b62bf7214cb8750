#include "exporters/otlp_grpc/grpc_status.h"

#include <chrono>
#include <optional>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace otlpd::exporter::otlp_grpc {

Status StatusFromGrpc(const grpc::Status& status, std::string_view context) {
  if (status.ok()) return OkStatus();
  std::optional<std::chrono::milliseconds> retry_after;
  if (!status.error_details().empty()) {
    google::rpc::Status details;
    if (details.ParseFromString(status.error_details())) {
      for (const google::protobuf::Any& any : details.details()) {
        google::rpc::RetryInfo info;
        if (any.Is<google::rpc::RetryInfo>() && any.UnpackTo(&info)) {
          const auto& d = info.retry_delay();
          if (d.seconds() >= 0 && d.nanos() >= 0) {
            retry_after = std::chrono::milliseconds(d.seconds() * 1000 + d.nanos() / 1'000'000);
          }
        }
      }
    }
  }
  const int code = static_cast<int>(status.error_code());
  const StatusCode ours = code >= 0 && code <= static_cast<int>(StatusCode::kUnauthenticated)
                              ? static_cast<StatusCode>(code)
                              : StatusCode::kUnknown;
  return Status(ours, std::string(context) + ": " + status.error_message(), retry_after);
}

}  // namespace otlpd::exporter::otlp_grpc
