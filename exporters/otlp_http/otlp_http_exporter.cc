#include "exporters/otlp_http/otlp_http_exporter.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <utility>

#include "exporters/helper/auth.h"
#include "exporters/otlp_http/response.h"
#include "pipeline/compression.h"
#include "pipeline/logging.h"
#include "pipeline/otlp_json.h"

namespace otlpd::exporter::otlp_http {
namespace {

bool SameHeaderName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Later layers win, as in the Collector's round-tripper chain: configured headers may replace
// the content headers, and auth (innermost) replaces both.
void SetHeader(HttpHeaders& headers, const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers) {
    if (SameHeaderName(k, name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

bool IsPlainHttp(const std::string& url) {
  std::string prefix = url.substr(0, 7);
  std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return prefix == "http://";
}

}  // namespace

template <class B>
OtlpHttpSender<B>::OtlpHttpSender(const CreateSettings& settings, const Config& cfg,
                                  std::string url)
    : cfg_(cfg),
      url_(std::move(url)),
      clock_(settings.clock != nullptr ? *settings.clock : RealClock::Get()),
      logger_(settings.logger ? settings.logger : GetLogger("exporter/" + settings.id.ToString())) {
  SetHeader(base_headers_, "Content-Type",
            cfg_.encoding == Encoding::kJson ? "application/json" : "application/x-protobuf");
  if (cfg_.compression != Compression::kNone) {
    SetHeader(base_headers_, "Content-Encoding", std::string(CompressionName(cfg_.compression)));
  }
  for (const auto& [name, value] : cfg_.headers) SetHeader(base_headers_, name, value.Reveal());
}

template <class B>
Status OtlpHttpSender<B>::Start(Host& host) {
  if (cfg_.auth.authenticator) {
    StatusOr<ClientAuthenticator*> auth =
        helper::ResolveAuthenticator(host, *cfg_.auth.authenticator);
    if (!auth.ok()) return auth.status();
    if (IsPlainHttp(url_) && !(*auth)->AllowsInsecureTransport()) {
      return FailedPreconditionError(
          "auth::authenticator: extension \"" + cfg_.auth.authenticator->ToString() +
          "\" does not allow sending credentials over plaintext " + url_ + "; use https://");
    }
    auth_ = *auth;
  }
  StatusOr<std::unique_ptr<HttpClient>> client = HttpClient::Create({.tls = cfg_.tls});
  if (!client.ok()) return client.status();
  client_ = std::move(*client);
  logger_->debug("sending {} to {}", SignalName(helper::kSignalOf<B>), url_);
  return OkStatus();
}

template <class B>
StatusOr<helper::EncodedRequest> OtlpHttpSender<B>::Encode(B batch) {
  const int64_t items = batch.ItemCount();
  // JSON needs the objects (decoded here if the batch is encoded); protobuf goes out as the
  // receiver's bytes when there are any.
  StatusOr<std::string> body = cfg_.encoding == Encoding::kJson ? PrintOtlpJson(batch.request())
                                                                : helper::TakeProtobuf(batch);
  if (!body.ok()) return body.status();
  return Compressed(std::move(*body), items);
}

template <class B>
StatusOr<helper::EncodedRequest> OtlpHttpSender<B>::EncodeSerialized(std::string protobuf,
                                                                     int64_t items) {
  if (cfg_.encoding == Encoding::kJson) {
    return helper::Sender<B>::EncodeSerialized(std::move(protobuf), items);
  }
  return Compressed(std::move(protobuf), items);
}

template <class B>
StatusOr<helper::EncodedRequest> OtlpHttpSender<B>::Compressed(std::string body,
                                                               int64_t items) const {
  helper::EncodedRequest out;
  out.items = items;
  if (cfg_.compression == Compression::kNone) {
    out.payload = std::move(body);
    return out;
  }
  StatusOr<std::string> compressed = Compress(cfg_.compression, body, cfg_.compression_level);
  if (!compressed.ok()) return compressed.status();
  out.payload = std::move(*compressed);
  return out;
}

template <class B>
helper::SendResult OtlpHttpSender<B>::Send(const helper::EncodedRequest& request,
                                           const helper::AttemptContext& ctx) {
  helper::SendResult result = Attempt(request, ctx);
  if (auth_ != nullptr && result.status.code() == StatusCode::kUnauthenticated &&
      !(ctx.cancel != nullptr && ctx.cancel->cancelled())) {
    // otlpd+: the cached token was refused (revoked, rotated, clock skew). Fetch a fresh one and
    // try once more now, instead of dropping data until the old token expires.
    logger_->info("{} answered 401; refreshing credentials and retrying once", url_);
    auth_->Invalidate();
    result = Attempt(request, ctx);
  }
  return result;
}

template <class B>
helper::SendResult OtlpHttpSender<B>::Attempt(const helper::EncodedRequest& request,
                                              const helper::AttemptContext& ctx) {
  if (!client_) return {FailedPreconditionError("exporter not started")};
  HttpHeaders headers = base_headers_;
  if (auth_ != nullptr) {
    // The authenticator measures its deadline on the real steady clock.
    const std::optional<std::chrono::milliseconds> left = ctx.Remaining();
    const Deadline deadline =
        std::chrono::steady_clock::now() + left.value_or(std::chrono::seconds(30));
    StatusOr<AuthHeaders> auth = auth_->GetRequestHeaders(deadline);
    if (!auth.ok()) return {auth.status().Annotate("auth::authenticator")};
    for (const auto& [name, value] : *auth) SetHeader(headers, name, value);
  }

  StatusOr<HttpResponse> response = client_->Post(url_, headers, request.payload, ctx);
  if (!response.ok()) return {response.status()};

  const long code = response->status;
  if (code >= 200 && code < 300) {
    StatusOr<PartialSuccess> partial =
        ParsePartialSuccess(helper::kSignalOf<B>, response->content_type, response->body);
    if (!partial.ok()) {
      // Accepted is accepted: a body we cannot read does not un-send the data.
      logger_->debug("{} answered {} with an unreadable body: {}", url_, code,
                     partial.status().ToString());
      return {OkStatus()};
    }
    return {OkStatus(), partial->rejected, partial->message};
  }
  std::optional<std::chrono::milliseconds> retry_after;
  if (code == 429 || code == 503) {
    retry_after = ParseRetryAfter(response->retry_after, clock_.WallNow());
  }
  std::string message = "HTTP " + std::to_string(code) + " from " + url_;
  if (std::string why = ErrorMessageFromBody(response->content_type, response->body);
      !why.empty()) {
    message += ": " + why;
  }
  return {StatusFromHttpStatus(static_cast<int>(code), std::move(message), retry_after)};
}

template <class B>
StatusOr<std::unique_ptr<Exporter<B>>> CreateOtlpHttpExporter(
    const CreateSettings& settings, const Config& cfg,
    typename helper::QueuedRetryExporter<B>::Options options) {
  const Signal signal = helper::kSignalOf<B>;
  std::string url = SignalUrl(cfg, signal);
  if (url.empty()) {
    return InvalidArgumentError("no URL for " + std::string(SignalName(signal)) +
                                ": set endpoint or " + std::string(SignalName(signal)) +
                                "_endpoint");
  }
  return std::unique_ptr<Exporter<B>>(std::make_unique<helper::QueuedRetryExporter<B>>(
      settings, cfg.helper, std::make_unique<OtlpHttpSender<B>>(settings, cfg, std::move(url)),
      std::move(options)));
}

template class OtlpHttpSender<TracesBatch>;
template class OtlpHttpSender<MetricsBatch>;
template class OtlpHttpSender<LogsBatch>;
template StatusOr<std::unique_ptr<Exporter<TracesBatch>>> CreateOtlpHttpExporter<TracesBatch>(
    const CreateSettings&, const Config&, helper::QueuedRetryExporter<TracesBatch>::Options);
template StatusOr<std::unique_ptr<Exporter<MetricsBatch>>> CreateOtlpHttpExporter<MetricsBatch>(
    const CreateSettings&, const Config&, helper::QueuedRetryExporter<MetricsBatch>::Options);
template StatusOr<std::unique_ptr<Exporter<LogsBatch>>> CreateOtlpHttpExporter<LogsBatch>(
    const CreateSettings&, const Config&, helper::QueuedRetryExporter<LogsBatch>::Options);

}  // namespace otlpd::exporter::otlp_http
