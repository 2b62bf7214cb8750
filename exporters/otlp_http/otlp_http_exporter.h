// The otlp_http exporter: OTLP over HTTP (protobuf or JSON, compressed) to a backend, through
// the exporter helper's queue, retry and timeout (exporters/helper).
//
// OtlpHttpSender<B> is the one send attempt: the HTTP chain compression -> headers -> auth ->
// transport, auth innermost so it sees the final request. The body is encoded and compressed
// once (Encode) and reused by every retry. Answers: 2xx is success (a partial_success in the
// body is logged and counted by the helper); 429/502/503/504 and transport errors are
// retryable, honouring Retry-After (seconds or HTTP date) on 429 and 503; everything else is
// permanent, with the server's google.rpc.Status message. A 401 with an authenticator
// invalidates its credentials and retries once at once with fresh ones.
//
//   auto exporter = CreateOtlpHttpExporter<TracesBatch>(settings, cfg);
//   if (!exporter.ok()) return exporter.status();          // no URL for this signal
//   (*exporter)->Start(host);                              // finds auth.authenticator
//   (*exporter)->Consume(std::move(batch));
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "exporters/helper/queued_retry_exporter.h"
#include "exporters/helper/sender.h"
#include "exporters/otlp_http/config.h"
#include "exporters/otlp_http/http_client.h"
#include "pipeline/client_auth.h"
#include "pipeline/factory.h"

namespace otlpd::exporter::otlp_http {

template <class B>
class OtlpHttpSender final : public helper::Sender<B> {
 public:
  OtlpHttpSender(const CreateSettings& settings, const Config& cfg, std::string url);

  // Finds the authenticator (a start error names it when missing, not an authenticator, or
  // unwilling to send credentials over plain http://) and opens the HTTP client (a start
  // error names an unreadable TLS file).
  Status Start(Host& host) override;
  StatusOr<helper::EncodedRequest> Encode(B batch) override;
  // With `encoding: proto` the stored protobuf only needs compressing; JSON parses it first.
  StatusOr<helper::EncodedRequest> EncodeSerialized(std::string protobuf, int64_t items) override;
  helper::SendResult Send(const helper::EncodedRequest& request,
                          const helper::AttemptContext& ctx) override;

  const std::string& url() const { return url_; }

 private:
  // The request whose uncompressed body is `body`, compressed as configured: the last step of
  // both Encode and EncodeSerialized.
  StatusOr<helper::EncodedRequest> Compressed(std::string body, int64_t items) const;
  helper::SendResult Attempt(const helper::EncodedRequest& request,
                             const helper::AttemptContext& ctx);

  const Config cfg_;
  const std::string url_;
  Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  HttpHeaders base_headers_;  // content type and encoding, then the configured headers
  ClientAuthenticator* auth_ = nullptr;
  std::unique_ptr<HttpClient> client_;
};

// The exporter for signal B: the sender wrapped in the helper. INVALID_ARGUMENT when neither
// endpoint nor the signal's own *_endpoint is configured.
template <class B>
StatusOr<std::unique_ptr<Exporter<B>>> CreateOtlpHttpExporter(
    const CreateSettings& settings, const Config& cfg,
    typename helper::QueuedRetryExporter<B>::Options options = {});

extern template class OtlpHttpSender<TracesBatch>;
extern template class OtlpHttpSender<MetricsBatch>;
extern template class OtlpHttpSender<LogsBatch>;

}  // namespace otlpd::exporter::otlp_http
