// ExportHandler<Request>: what both transports do with one export request - check it, ask the
// pipeline, hand the batch over, count accepted and refused items - so that gRPC and HTTP
// cannot drift apart. One handler per (signal, transport); the transport label is fixed.
//
// Protobuf bodies arrive as bytes (ExportEncoded): they are scanned, not decoded, and travel on
// as an encoded batch, so no stage that can work on bytes ever builds message objects. OTLP/JSON
// decodes into a message first (Export).
//
//   ExportHandler<TraceRequest> traces(next.traces, metrics, "otlp", "http", logger);
//   if (!traces.serves()) return NotFound();
//   if (Status s = traces.Admit(); !s.ok()) return Refuse(s);      // before reading the body
//   Status s = traces.ExportEncoded(std::move(body), std::move(metadata));
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "pipeline/consumer.h"
#include "pipeline/id_lengths.h"
#include "pipeline/otlp_wire.h"
#include "pipeline/self_metrics.h"
#include "pipeline/signal.h"
#include "pipeline/telemetry.h"

namespace otlpd::receiver::otlp {

template <class Request>
struct SignalTraits;
template <>
struct SignalTraits<TraceRequest> {
  using Response = opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
  static constexpr Signal kSignal = Signal::kTraces;
  static constexpr std::string_view kItems = "spans";  // the Collector's metric suffix
};
template <>
struct SignalTraits<MetricsRequest> {
  using Response = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse;
  static constexpr Signal kSignal = Signal::kMetrics;
  static constexpr std::string_view kItems = "metric_points";
};
template <>
struct SignalTraits<LogsRequest> {
  using Response = opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;
  static constexpr Signal kSignal = Signal::kLogs;
  static constexpr std::string_view kItems = "log_records";
};

template <class Request>
class ExportHandler {
 public:
  using BatchType = Batch<Request>;

  // `next` may be null: the signal is then not served. `metrics` and `logger` outlive the
  // handler. Registers otelcol_receiver_{accepted,refused}_<items>{receiver, transport}.
  ExportHandler(Consumer<BatchType>* next, SelfMetrics& metrics, const std::string& receiver_id,
                std::string_view transport, std::shared_ptr<spdlog::logger> logger)
      : next_(next), transport_(transport), logger_(std::move(logger)) {
    if (next_ == nullptr) return;
    const MetricLabels labels = {{"receiver", receiver_id}, {"transport", std::string(transport)}};
    const std::string items(SignalTraits<Request>::kItems);
    accepted_ = &metrics.GetCounter("otelcol_receiver_accepted_" + items, labels,
                                    "Items successfully pushed into the pipeline.");
    refused_ = &metrics.GetCounter("otelcol_receiver_refused_" + items, labels,
                                   "Items that could not be pushed into the pipeline.");
    refused_requests_ = &metrics.GetCounter(
        "otlpd_receiver_admission_refused_requests", labels,
        "Requests refused before their body was read, because the pipeline was refusing data.");
  }

  bool serves() const { return next_ != nullptr; }

  // Would the pipeline take data right now? Only valid when serves(). A refusal here comes
  // before the body is read, so its items cannot be counted; the request is.
  Status Admit() const {
    Status s = next_->Admit();
    if (!s.ok()) refused_requests_->Add();
    return s;
  }

  // Hands the request to the pipeline and returns its answer. An empty request is answered OK
  // without bothering the pipeline (as the Collector does). Only valid when serves().
  // A request with a trace or span ID of the wrong length is INVALID_ARGUMENT and reaches no
  // one: like a body that does not decode, it is not counted as refused.
  Status Export(std::unique_ptr<Request> request, std::shared_ptr<const ClientMetadata> metadata) {
    if (Status ids = CheckIdLengths(*request); !ids.ok()) return ids;
    const int64_t items = CountItems(*request);
    if (items == 0) return OkStatus();
    return Hand(BatchType(std::move(request)), items, std::move(metadata));
  }

  // The same for a request in protobuf wire format, which is scanned (pipeline/otlp_wire.h)
  // instead of decoded and handed on as an encoded batch. Bytes that do not parse are
  // INVALID_ARGUMENT with kUnparsableProtobuf as the message (IsUnparsableProtobuf), an ID of
  // the wrong length as in Export; neither reaches anyone or counts as refused.
  Status ExportEncoded(std::string bytes, std::shared_ptr<const ClientMetadata> metadata) {
    StatusOr<int64_t> items = ScanEncodedRequest<Request>(bytes);
    if (!items.ok()) return items.status();
    return ExportScanned(std::move(bytes), *items, std::move(metadata));
  }

  // ExportEncoded for bytes the caller has scanned already, with the count the scan returned.
  Status ExportScanned(std::string bytes, int64_t items,
                       std::shared_ptr<const ClientMetadata> metadata) {
    if (items == 0) return OkStatus();
    return Hand(BatchType::FromEncoded(std::move(bytes), items), items, std::move(metadata));
  }

  // For refusals decided before Export (gRPC's Admit check, with the request already decoded).
  void CountRefused(int64_t items) {
    if (refused_ != nullptr) refused_->Add(items);
  }

 private:
  Status Hand(BatchType batch, int64_t items, std::shared_ptr<const ClientMetadata> metadata) {
    if (metadata) batch.set_metadata(std::move(metadata));
    Status s = next_->Consume(std::move(batch));
    if (s.ok()) {
      accepted_->Add(items);
    } else {
      CountRefused(items);
      // Per request, so debug: a refusing pipeline logs its own state change once.
      logger_->debug("{} request with {} {} refused: {}", transport_, items,
                     SignalTraits<Request>::kItems, s.ToString());
    }
    return s;
  }

  Consumer<BatchType>* next_;
  std::string transport_;
  std::shared_ptr<spdlog::logger> logger_;
  Counter* accepted_ = nullptr;
  Counter* refused_ = nullptr;
  Counter* refused_requests_ = nullptr;
};

}  // namespace otlpd::receiver::otlp
