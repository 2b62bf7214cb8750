#include "receivers/otlp/grpc_server.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/method_handler.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/impl/codegen/rpc_service_method.h>
#include <grpcpp/impl/codegen/service_type.h>
#include <grpcpp/resource_quota.h>

#include "pipeline/otlp_wire.h"
#include "receivers/otlp/endpoint.h"
#include "receivers/otlp/export_handler.h"
#include "receivers/otlp/rpc_status.h"
#include "receivers/otlp/wire_request.h"

namespace otlpd::receiver::otlp {
namespace {

// gRPC runs each blocking handler on its own thread; beyond this many it answers new calls
// RESOURCE_EXHAUSTED instead of spawning more.
constexpr int kMaxThreads = 256;
// Handler threads kept waiting for calls. gRPC's default keeps at most 2: under concurrent load
// every further handler thread exits after its call and a new one is spawned for the next, which
// measured ~1,400 threads created in 10 s of 4 clients, each paying thread creation and its own
// allocator and compressor caches. Idle pollers cost only a blocked thread.
constexpr int kMaxPollers = 16;

grpc::Status ToGrpcStatus(const Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), s.message(),
                      ToRpcStatus(s).SerializeAsString());
}

std::shared_ptr<const ClientMetadata> CopyMetadata(const grpc::ServerContext& ctx) {
  ClientMetadata md;
  for (const auto& [key, value] : ctx.client_metadata()) {
    std::string k(key.data(), key.size());
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::tolower(c); });
    md[k].emplace_back(value.data(), value.size());
  }
  return std::make_shared<const ClientMetadata>(std::move(md));
}

template <class Request>
grpc::Status HandleExport(ExportHandler<Request>& handler, bool include_metadata,
                          grpc::ServerContext* ctx, WireRequest& request) {
  // The scan stands where gRPC's own decoding stood, before anything else: bytes that do not
  // parse are INTERNAL, as gRPC answers a message it cannot deserialise (and as grpc-go does
  // for the Go Collector, "grpc: error unmarshalling request").
  StatusOr<int64_t> items = ScanEncodedRequest<Request>(request.bytes);
  if (!items.ok() && IsUnparsableProtobuf(items.status())) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string(kUnparsableProtobuf));
  }
  // Asking first spares the pipeline the hand-over and gives the client the refusal (with
  // RetryInfo) the pipeline would give. A request with a bad ID has no count to refuse.
  Status admit = handler.Admit();
  if (!admit.ok()) {
    handler.CountRefused(items.ok() ? *items : 0);
    return ToGrpcStatus(admit);
  }
  if (!items.ok()) return ToGrpcStatus(items.status());  // an ID of the wrong length
  // gRPC constructed `request` for this call and destroys it afterwards, so moving its bytes
  // out is safe; the const is only the handler signature's.
  return ToGrpcStatus(handler.ExportScanned(std::move(request.bytes), *items,
                                            include_metadata ? CopyMetadata(*ctx) : nullptr));
}

// One OTLP service (TraceService, MetricsService or LogsService) whose Export method takes the
// request as wire bytes: registered like the generated service (same method path, unary, a
// handler thread per call) but over WireRequest, so gRPC copies the bytes instead of decoding.
template <class Request>
class WireService final : public grpc::Service {
 public:
  using Response = typename SignalTraits<Request>::Response;

  // `method` is a string literal (gRPC keeps the pointer).
  WireService(const char* method, ExportHandler<Request>& handler, bool include_md)
      : handler_(handler), include_md_(include_md) {
    this->AddMethod(new grpc::internal::RpcServiceMethod(
        method, grpc::internal::RpcMethod::NORMAL_RPC,
        new grpc::internal::RpcMethodHandler<WireService, WireRequest, Response, WireRequest,
                                             grpc::protobuf::MessageLite>(
            [](WireService* service, grpc::ServerContext* ctx, const WireRequest* request,
               Response*) {
              return HandleExport(service->handler_, service->include_md_, ctx,
                                  const_cast<WireRequest&>(*request));
            },
            this)));
  }

 private:
  ExportHandler<Request>& handler_;
  bool include_md_;
};

StatusOr<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot read tls " + std::string(what) + " \"" + path + "\"");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int ToMillis(config::Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::min<int64_t>(ms, INT32_MAX));
}

}  // namespace

// The three services. Each exists (and is registered) only when its signal has a consumer.
class GrpcServer::Services {
 public:
  Services(ReceiverConsumers next, SelfMetrics& metrics, const std::string& id, bool include_md,
           std::shared_ptr<spdlog::logger> logger)
      : traces_(next.traces, metrics, id, "grpc", logger),
        metrics_(next.metrics, metrics, id, "grpc", logger),
        logs_(next.logs, metrics, id, "grpc", logger),
        trace_service_("/opentelemetry.proto.collector.trace.v1.TraceService/Export", traces_,
                       include_md),
        metrics_service_("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
                         metrics_, include_md),
        logs_service_("/opentelemetry.proto.collector.logs.v1.LogsService/Export", logs_,
                      include_md) {}

  void RegisterWith(grpc::ServerBuilder& builder) {
    if (traces_.serves()) builder.RegisterService(&trace_service_);
    if (metrics_.serves()) builder.RegisterService(&metrics_service_);
    if (logs_.serves()) builder.RegisterService(&logs_service_);
  }

 private:
  ExportHandler<TraceRequest> traces_;
  ExportHandler<MetricsRequest> metrics_;
  ExportHandler<LogsRequest> logs_;
  WireService<TraceRequest> trace_service_;
  WireService<MetricsRequest> metrics_service_;
  WireService<LogsRequest> logs_service_;
};

GrpcServer::GrpcServer(const GrpcServerConfig& cfg, ReceiverConsumers next, SelfMetrics& metrics,
                       const std::string& receiver_id, std::shared_ptr<spdlog::logger> logger)
    : cfg_(cfg),
      logger_(std::move(logger)),
      services_(std::make_unique<Services>(next, metrics, receiver_id, cfg.include_metadata,
                                           logger_)) {}

GrpcServer::~GrpcServer() { Shutdown(std::chrono::steady_clock::now()); }

Status GrpcServer::Start() {
  std::optional<HostPort> hp = ParseHostPort(cfg_.endpoint);
  if (!hp) return InvalidArgumentError("endpoint must be host:port");
  StatusOr<boost::asio::ip::tcp::endpoint> ep = ResolveListenEndpoint(*hp);
  if (!ep.ok()) return ep.status();

  std::shared_ptr<grpc::ServerCredentials> creds = grpc::InsecureServerCredentials();
  if (cfg_.tls) {
    StatusOr<std::string> cert = ReadFile(cfg_.tls->cert_file, "cert_file");
    if (!cert.ok()) return cert.status();
    StatusOr<std::string> key = ReadFile(cfg_.tls->key_file, "key_file");
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions opts(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    if (!cfg_.tls->client_ca_file.empty()) {
      StatusOr<std::string> ca = ReadFile(cfg_.tls->client_ca_file, "client_ca_file");
      if (!ca.ok()) return ca.status();
      opts.pem_root_certs = *ca;
      opts.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    opts.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(opts);
  }

  grpc::ServerBuilder builder;
  builder.AddListeningPort(FormatEndpoint(*ep), creds, &port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(cfg_.max_recv_msg_size_mib * 1024 * 1024));
  // Without this gRPC binds with SO_REUSEPORT, and a second otlpd on the same port would
  // silently share the traffic instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (cfg_.max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                               static_cast<int>(cfg_.max_concurrent_streams));
  }
  const auto& sp = cfg_.keepalive.server_parameters;
  const auto set_ms = [&](const char* arg, config::Duration d) {
    if (d > config::Duration::zero()) builder.AddChannelArgument(arg, ToMillis(d));
  };
  set_ms(GRPC_ARG_MAX_CONNECTION_IDLE_MS, sp.max_connection_idle);
  set_ms(GRPC_ARG_MAX_CONNECTION_AGE_MS, sp.max_connection_age);
  set_ms(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, sp.max_connection_age_grace);
  set_ms(GRPC_ARG_KEEPALIVE_TIME_MS, sp.time);
  set_ms(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, sp.timeout);
  const auto& ep_policy = cfg_.keepalive.enforcement_policy;
  set_ms(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, ep_policy.min_time);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                             ep_policy.permit_without_stream ? 1 : 0);
  grpc::ResourceQuota quota("otlp-receiver");
  quota.SetMaxThreads(kMaxThreads);
  builder.SetResourceQuota(quota);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kMaxPollers);
  services_->RegisterWith(builder);

  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    if (server_) {
      server_->Shutdown();
      server_.reset();
    }
    port_ = 0;
    // gRPC only logs why; ask the system the same question to say it.
    Status probe = ProbeBind(*ep);
    return UnavailableError(probe.ok() ? "grpc server failed to start" : probe.message());
  }
  logger_->info("OTLP/gRPC listening on {}", FormatEndpoint(
                                                 boost::asio::ip::tcp::endpoint(ep->address(),
                                                                                static_cast<uint16_t>(port_))));
  return OkStatus();
}

void GrpcServer::Shutdown(Deadline deadline) {
  if (!server_) return;
  // gRPC takes a system_clock deadline; carry over the time that is left.
  const auto left = deadline - std::chrono::steady_clock::now();
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(
                        std::max(left, std::chrono::steady_clock::duration::zero())));
  server_->Wait();
  server_.reset();
  port_ = 0;
}

}  // namespace otlpd::receiver::otlp
