#include "exporters/otlp_grpc/otlp_grpc_exporter.h"

#include <algorithm>
#include <limits>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>

#include "exporters/helper/auth.h"
#include "exporters/otlp_grpc/grpc_status.h"
#include "pipeline/logging.h"

namespace otlpd::exporter::otlp_grpc {
namespace {

int Millis(config::Duration d) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 1, std::numeric_limits<int>::max()));
}

template <class Response>
int64_t Rejected(const Response& r);
template <>
int64_t Rejected(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse& r) {
  return r.partial_success().rejected_spans();
}
template <>
int64_t Rejected(
    const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse& r) {
  return r.partial_success().rejected_data_points();
}
template <>
int64_t Rejected(const opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse& r) {
  return r.partial_success().rejected_log_records();
}

template <class B>
struct ResponseOf;
template <>
struct ResponseOf<TracesBatch> {
  using type = opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
};
template <>
struct ResponseOf<MetricsBatch> {
  using type = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse;
};
template <>
struct ResponseOf<LogsBatch> {
  using type = opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;
};

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Valid() || !buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

}  // namespace

std::string ExportMethod(Signal signal) {
  switch (signal) {
    case Signal::kTraces: return "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    case Signal::kMetrics:
      return "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    case Signal::kLogs: return "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  }
  return "";
}

template <class B>
OtlpGrpcSender<B>::OtlpGrpcSender(const CreateSettings& settings, const Config& cfg)
    : cfg_(cfg),
      target_(GrpcTarget(cfg)),
      method_(ExportMethod(helper::kSignalOf<B>)),
      logger_(settings.logger ? settings.logger
                              : GetLogger("exporter/" + settings.id.ToString())) {}

template <class B>
StatusOr<std::shared_ptr<grpc::ChannelCredentials>> OtlpGrpcSender<B>::Credentials() const {
  if (!UsesTls(cfg_)) return grpc::InsecureChannelCredentials();
  const helper::TlsClientConfig& tls = cfg_.tls;
  std::string ca, cert, key;
  if (!tls.ca_file.empty()) {
    StatusOr<std::string> pem = helper::ReadFileForConfig(tls.ca_file, "tls::ca_file");
    if (!pem.ok()) return pem.status();
    ca = std::move(*pem);
  }
  if (!tls.cert_file.empty()) {
    StatusOr<std::string> pem = helper::ReadFileForConfig(tls.cert_file, "tls::cert_file");
    if (!pem.ok()) return pem.status();
    cert = std::move(*pem);
    StatusOr<std::string> k = helper::ReadFileForConfig(tls.key_file, "tls::key_file");
    if (!k.ok()) return k.status();
    key = std::move(*k);
  }
  if (tls.insecure_skip_verify) {
    // Encrypted, but any server certificate is accepted: grpc++'s TLS credentials with the
    // verification and host-name checks switched off.
    grpc::experimental::TlsChannelCredentialsOptions options;
    options.set_verify_server_certs(false);
    options.set_check_call_host(false);
    options.set_certificate_verifier(
        std::make_shared<grpc::experimental::NoOpCertificateVerifier>());
    if (!cert.empty()) {
      options.set_certificate_provider(
          std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
              std::vector<grpc::experimental::IdentityKeyCertPair>{{key, cert}}));
      options.watch_identity_key_cert_pairs();
    }
    return grpc::experimental::TlsCredentials(options);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca;  // empty: the system's roots
  ssl.pem_cert_chain = cert;
  ssl.pem_private_key = key;
  return grpc::SslCredentials(ssl);
}

template <class B>
Status OtlpGrpcSender<B>::Start(Host& host) {
  if (cfg_.auth.authenticator) {
    StatusOr<ClientAuthenticator*> auth =
        helper::ResolveAuthenticator(host, *cfg_.auth.authenticator);
    if (!auth.ok()) return auth.status();
    if (!UsesTls(cfg_) && !(*auth)->AllowsInsecureTransport()) {
      return FailedPreconditionError(
          "auth::authenticator: extension \"" + cfg_.auth.authenticator->ToString() +
          "\" does not allow sending credentials over a plaintext channel (tls::insecure is "
          "true)");
    }
    auth_ = *auth;
  }
  StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds = Credentials();
  if (!creds.ok()) return creds.status();

  grpc::ChannelArguments args;
  args.SetUserAgentPrefix("otlpd/0.1.0");
  if (cfg_.compression == Compression::kGzip) args.SetCompressionAlgorithm(GRPC_COMPRESS_GZIP);
  if (!cfg_.tls.server_name_override.empty()) {
    args.SetSslTargetNameOverride(cfg_.tls.server_name_override);
  }
  if (cfg_.keepalive) {
    if (cfg_.keepalive->time > config::Duration::zero()) {
      args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(cfg_.keepalive->time));
    }
    if (cfg_.keepalive->timeout > config::Duration::zero()) {
      args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(cfg_.keepalive->timeout));
    }
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                cfg_.keepalive->permit_without_stream ? 1 : 0);
  }
  // While the backend is down, calls fail fast (UNAVAILABLE) and our retry loop paces the
  // attempts; gRPC's own reconnect backoff (up to 120s by default) would make those retries
  // pointless long after the backend is back. Keep it within the retry policy's range.
  const helper::RetryConfig& retry = cfg_.helper.retry;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              Millis(std::min<config::Duration>(retry.initial_interval, std::chrono::seconds(1))));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, Millis(retry.max_interval));

  channel_ = grpc::CreateCustomChannel(target_, *creds, args);
  stub_ = std::make_unique<grpc::GenericStub>(channel_);
  logger_->debug("sending {} to {} ({})", SignalName(helper::kSignalOf<B>), target_,
                 UsesTls(cfg_) ? "TLS" : "plaintext");
  return OkStatus();
}

template <class B>
StatusOr<helper::EncodedRequest> OtlpGrpcSender<B>::Encode(B batch) {
  // An encoded batch goes out as the receiver's bytes, never decoded.
  return helper::EncodeProtobuf(batch);
}

template <class B>
helper::SendResult OtlpGrpcSender<B>::Send(const helper::EncodedRequest& request,
                                           const helper::AttemptContext& ctx) {
  helper::SendResult result = Attempt(request, ctx);
  if (auth_ != nullptr && result.status.code() == StatusCode::kUnauthenticated &&
      !(ctx.cancel != nullptr && ctx.cancel->cancelled())) {
    // otlpd+: fetch fresh credentials and try once more now (see otlp_http).
    logger_->info("{} answered UNAUTHENTICATED; refreshing credentials and retrying once",
                  target_);
    auth_->Invalidate();
    result = Attempt(request, ctx);
  }
  return result;
}

template <class B>
helper::SendResult OtlpGrpcSender<B>::Attempt(const helper::EncodedRequest& request,
                                              const helper::AttemptContext& ctx) {
  if (!stub_) return {FailedPreconditionError("exporter not started")};
  grpc::ClientContext context;
  const std::optional<std::chrono::milliseconds> left = ctx.Remaining();
  if (left) context.set_deadline(std::chrono::system_clock::now() + *left);
  for (const auto& [name, value] : cfg_.headers) context.AddMetadata(name, value.Reveal());
  if (auth_ != nullptr) {
    const Deadline deadline =
        std::chrono::steady_clock::now() + left.value_or(std::chrono::seconds(30));
    StatusOr<AuthHeaders> auth = auth_->GetRequestHeaders(deadline);
    if (!auth.ok()) return {auth.status().Annotate("auth::authenticator")};
    for (const auto& [name, value] : *auth) context.AddMetadata(name, value);
  }

  grpc::Slice slice(request.payload.data(), request.payload.size());
  grpc::ByteBuffer body(&slice, 1);
  grpc::ByteBuffer reply;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub_->UnaryCall(&context, method_, grpc::StubOptions(), &body, &reply,
                   [&](grpc::Status s) {
                     std::lock_guard lock(mu);
                     status = std::move(s);
                     done = true;
                     cv.notify_all();
                   });
  {
    // Shutdown's deadline cancels the call; the completion callback always runs (on success,
    // error, deadline or cancellation), so this wait ends. The registration goes before the
    // context does.
    helper::CancelToken::Registration cancel;
    if (ctx.cancel != nullptr) cancel = ctx.cancel->OnCancel([&context] { context.TryCancel(); });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
  }

  if (!status.ok()) return {StatusFromGrpc(status, "export to " + target_)};
  typename ResponseOf<B>::type response;
  if (!response.ParseFromString(Flatten(reply))) {
    logger_->debug("{} answered OK with an unreadable response", target_);
    return {OkStatus()};
  }
  return {OkStatus(), Rejected(response), response.partial_success().error_message()};
}

template <class B>
void OtlpGrpcSender<B>::Shutdown() {
  stub_.reset();
  channel_.reset();
}

template <class B>
StatusOr<std::unique_ptr<Exporter<B>>> CreateOtlpGrpcExporter(
    const CreateSettings& settings, const Config& cfg,
    typename helper::QueuedRetryExporter<B>::Options options) {
  return std::unique_ptr<Exporter<B>>(std::make_unique<helper::QueuedRetryExporter<B>>(
      settings, cfg.helper, std::make_unique<OtlpGrpcSender<B>>(settings, cfg),
      std::move(options)));
}

template class OtlpGrpcSender<TracesBatch>;
template class OtlpGrpcSender<MetricsBatch>;
template class OtlpGrpcSender<LogsBatch>;
template StatusOr<std::unique_ptr<Exporter<TracesBatch>>> CreateOtlpGrpcExporter<TracesBatch>(
    const CreateSettings&, const Config&, helper::QueuedRetryExporter<TracesBatch>::Options);
template StatusOr<std::unique_ptr<Exporter<MetricsBatch>>> CreateOtlpGrpcExporter<MetricsBatch>(
    const CreateSettings&, const Config&, helper::QueuedRetryExporter<MetricsBatch>::Options);
template StatusOr<std::unique_ptr<Exporter<LogsBatch>>> CreateOtlpGrpcExporter<LogsBatch>(
    const CreateSettings&, const Config&, helper::QueuedRetryExporter<LogsBatch>::Options);

}  // namespace otlpd::exporter::otlp_grpc
