// TracesBatch / MetricsBatch / LogsBatch: one OTLP export request and the client metadata that
// came with it, travelling through the pipeline with exactly one owner.
//
// A batch holds its request in one of two forms, and converts only when asked:
//   - encoded: the protobuf wire bytes as a receiver got them, already checked by
//     ScanEncodedRequest (well-formed, valid UTF-8, ID lengths) and counted. Stages that can work
//     on bytes (export, batching, the persistent queue, the wire-level filter and resource
//     steps) never build message objects, which is most of the CPU a collector spends;
//   - decoded: the generated protobuf message. request() decodes on first use and keeps the
//     bytes (both stay equal); mutable_request() decodes and drops the bytes, which the caller
//     is about to make stale.
//
// Move-only: a batch moves into Consumer::Consume() and the caller's object is empty after the
// call. Clone() is the only copy, used by fan-out for all but the last consumer. The owner may
// mutate the request in place.
//
//   TracesBatch batch(std::move(request));
//   TracesBatch wire = TracesBatch::FromEncoded(std::move(body), spans);   // from a receiver
//   if (batch.is_encoded()) Send(batch.encoded()); else Send(batch.request());
//   batch.set_metadata(std::move(headers));   // from include_metadata
//   int64_t spans = batch.ItemCount();
//   Status s = next.Consume(std::move(batch));
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace otlpd {

// Request headers (HTTP) or call metadata (gRPC) a receiver kept with `include_metadata`. Keys
// are lower case. Shared and immutable: clones and split batches point to the same map.
using ClientMetadata = std::map<std::string, std::vector<std::string>>;

// Called when bytes that ScanEncodedRequest accepted do not decode: a bug, not bad input (the
// scan is fuzzed against the decoder). Logs it once per process; the batch reads as empty.
void ReportUndecodableEncodedBatch(std::string_view type_name, size_t size);

template <class Request>
class Batch {
 public:
  // An empty request (allocated only when someone asks for it).
  Batch() = default;
  explicit Batch(Request&& request) : request_(std::make_unique<Request>(std::move(request))) {}
  explicit Batch(std::unique_ptr<Request> request) : request_(std::move(request)) {}

  // A batch over wire bytes that ScanEncodedRequest (pipeline/otlp_wire.h) accepted, with the
  // item count it returned. Nothing is decoded until someone asks for request().
  static Batch FromEncoded(std::string bytes, int64_t items) {
    Batch b(std::unique_ptr<Request>(nullptr));
    b.encoded_ = std::move(bytes);
    b.encoded_items_ = items;
    return b;
  }

  // A moved-from batch is empty (not a stale encoded one): the batch processor appends to it.
  Batch(Batch&& other) noexcept
      : request_(std::move(other.request_)),
        encoded_(std::exchange(other.encoded_, std::nullopt)),
        encoded_items_(other.encoded_items_),
        metadata_(std::move(other.metadata_)) {}
  Batch& operator=(Batch&& other) noexcept {
    request_ = std::move(other.request_);
    encoded_ = std::exchange(other.encoded_, std::nullopt);
    encoded_items_ = other.encoded_items_;
    metadata_ = std::move(other.metadata_);
    return *this;
  }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  // A deep copy; the metadata is shared. An encoded batch copies only its bytes.
  [[nodiscard]] Batch Clone() const {
    Batch copy = encoded_   ? FromEncoded(*encoded_, encoded_items_)
                 : request_ ? Batch(std::make_unique<Request>(*request_))
                            : Batch();
    copy.metadata_ = metadata_;
    return copy;
  }

  // True while the wire bytes are current (they may also have been decoded by request()).
  bool is_encoded() const { return encoded_.has_value(); }
  // The wire bytes; only when is_encoded().
  const std::string& encoded() const { return *encoded_; }
  // Replaces the request with new wire bytes and their item count, e.g. after a wire-level edit.
  // The bytes must be as valid as ScanEncodedRequest demands.
  void set_encoded(std::string bytes, int64_t items) {
    request_.reset();
    encoded_ = std::move(bytes);
    encoded_items_ = items;
  }
  // Hands the wire bytes over (only when is_encoded()); the batch is empty afterwards.
  // Keeps the string's capacity, so take-append-set_encoded grows a batch in amortised O(1).
  std::string TakeEncoded() {
    std::string out = std::move(*encoded_);
    encoded_.reset();
    request_.reset();  // empty; an empty request is made only if someone asks for it
    return out;
  }
  // The protobuf encoding of the request, whichever form the batch holds: the bytes themselves
  // when encoded, else serialised into `*scratch`. Valid while the batch and `scratch` are.
  std::string_view Serialized(std::string* scratch) const {
    if (encoded_) return *encoded_;
    scratch->clear();
    if (request_) request_->SerializeToString(scratch);
    return *scratch;
  }

  // The decoded request (decoded now if the batch is encoded; the bytes are kept).
  const Request& request() const {
    Decode();
    return *request_;
  }
  // The decoded request, for changes: the wire bytes are dropped.
  Request& mutable_request() {
    Decode();
    encoded_.reset();
    return *request_;
  }
  // Hands the decoded request over; the batch is empty afterwards.
  std::unique_ptr<Request> TakeRequest() {
    Decode();
    encoded_.reset();
    return std::move(request_);
  }

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
  void Decode() const {
    if (request_) return;
    request_ = std::make_unique<Request>();
    if (encoded_ && !request_->ParseFromString(*encoded_)) {
      ReportUndecodableEncodedBatch(Request::descriptor()->full_name(), encoded_->size());
      request_->Clear();
    }
  }

  // Neither set: an empty batch (after TakeEncoded). Both set after request() on an encoded
  // batch; they then describe the same request. Mutable: decoding on a const read is a cache fill.
  mutable std::unique_ptr<Request> request_;
  std::optional<std::string> encoded_;
  int64_t encoded_items_ = 0;
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
  if (encoded_) return encoded_items_;
  return request_ ? CountItems(*request_) : 0;
}

template <class Request>
const ClientMetadata& Batch<Request>::metadata() const {
  static const ClientMetadata kEmpty;
  return metadata_ ? *metadata_ : kEmpty;
}

}  // namespace otlpd
