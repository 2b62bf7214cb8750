// TracesBatch / MetricsBatch / LogsBatch: one OTLP export request and the client metadata that
// came with it, travelling through the pipeline with exactly one owner.
//
// Move-only: a batch moves into Consumer::Consume() and the caller's object is empty after the
// call. Clone() is the only copy, used by fan-out for all but the last consumer. The owner may
// mutate the request in place.
//
//   TracesBatch batch(std::move(request));
//   batch.set_metadata(std::move(headers));   // from include_metadata
//   int64_t spans = batch.ItemCount();
//   Status s = next.Consume(std::move(batch));
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace otlpd {

// Request headers (HTTP) or call metadata (gRPC) a receiver kept with `include_metadata`. Keys
// are lower case. Shared and immutable: clones and split batches point to the same map.
using ClientMetadata = std::map<std::string, std::vector<std::string>>;

template <class Request>
class Batch {
 public:
  // An empty request.
  Batch() : request_(std::make_unique<Request>()) {}
  explicit Batch(Request&& request) : request_(std::make_unique<Request>(std::move(request))) {}
  explicit Batch(std::unique_ptr<Request> request) : request_(std::move(request)) {}

  Batch(Batch&&) noexcept = default;
  Batch& operator=(Batch&&) noexcept = default;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  // A deep copy of the request; the metadata is shared.
  [[nodiscard]] Batch Clone() const {
    Batch copy(std::make_unique<Request>(*request_));
    copy.metadata_ = metadata_;
    return copy;
  }

  const Request& request() const { return *request_; }
  Request& mutable_request() { return *request_; }
  // Hands the request over; the batch is empty afterwards.
  std::unique_ptr<Request> TakeRequest() { return std::move(request_); }

  // Spans, metric data points or log records in the request.
  int64_t ItemCount() const;

  const ClientMetadata& metadata() const;
  void set_metadata(ClientMetadata metadata) {
    metadata_ = std::make_shared<const ClientMetadata>(std::move(metadata));
  }
  void set_metadata(std::shared_ptr<const ClientMetadata> metadata) {
    metadata_ = std::move(metadata);
  }
  const std::shared_ptr<const ClientMetadata>& shared_metadata() const { return metadata_; }

 private:
  std::unique_ptr<Request> request_;
  std::shared_ptr<const ClientMetadata> metadata_;
};

using TraceRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using MetricsRequest = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using LogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;

using TracesBatch = Batch<TraceRequest>;
using MetricsBatch = Batch<MetricsRequest>;
using LogsBatch = Batch<LogsRequest>;

// Item counts of bare requests: spans, data points (every point of every metric type), records.
int64_t CountItems(const TraceRequest& request);
int64_t CountItems(const MetricsRequest& request);
int64_t CountItems(const LogsRequest& request);

template <class Request>
int64_t Batch<Request>::ItemCount() const {
  return CountItems(*request_);
}

template <class Request>
const ClientMetadata& Batch<Request>::metadata() const {
  static const ClientMetadata kEmpty;
  return metadata_ ? *metadata_ : kEmpty;
}

}  // namespace otlpd
