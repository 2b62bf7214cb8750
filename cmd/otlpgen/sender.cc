#include "cmd/otlpgen/sender.h"

#include <curl/curl.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

namespace otlpd::otlpgen {
namespace {

std::string GrpcMethod(Signal signal) {
  switch (signal) {
    case Signal::kTraces:
      return "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    case Signal::kMetrics:
      return "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    case Signal::kLogs:
      return "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  }
  return "";
}

std::string_view GrpcCodeName(grpc::StatusCode code) {
  static constexpr std::string_view kNames[] = {
      "OK",           "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",    "ALREADY_EXISTS",    "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",   "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",         "UNAVAILABLE",       "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

// Unary calls through a generic stub, so the pre-encoded bytes go out as they are: no message
// object, no serialisation per call. Synchronous from the worker's point of view (it waits on
// its own completion queue).
class GrpcSender : public RequestSender {
 public:
  explicit GrpcSender(const GenOptions& o)
      : options_(o), method_(GrpcMethod(o.signal)) {
    grpc::ChannelArguments args;
    // A distinct channel per worker: otherwise gRPC shares one subchannel (one TCP connection)
    // among all workers of the process.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxSendMessageSize(-1);
    channel_ = grpc::CreateCustomChannel(o.endpoint, grpc::InsecureChannelCredentials(), args);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }

  SendOutcome Send(const EncodedRequest& request) override {
    if (cached_body_ != &request.body) {
      // Pre-encoded requests live as long as the run; their slices are made once per request.
      cached_body_ = &request.body;
      grpc::Slice slice(request.body.data(), request.body.size());
      buffer_ = grpc::ByteBuffer(&slice, 1);
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + options_.timeout);
    if (options_.gzip) ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    grpc::ByteBuffer response;
    grpc::Status status;
    auto call = stub_->PrepareUnaryCall(&ctx, method_, buffer_, &cq_);
    call->StartCall();
    call->Finish(&response, &status, this);
    void* tag = nullptr;
    bool ok = false;
    if (!cq_.Next(&tag, &ok)) return {.ok = false, .code = "grpc queue shut down"};
    if (status.ok()) return {.ok = true, .code = ""};
    return {.ok = false, .code = "grpc " + std::string(GrpcCodeName(status.error_code()))};
  }

  ~GrpcSender() override {
    cq_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
    }
  }

 private:
  const GenOptions& options_;
  std::string method_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue cq_;
  const std::string* cached_body_ = nullptr;
  grpc::ByteBuffer buffer_;
};

size_t DiscardBody(char*, size_t size, size_t nmemb, void*) { return size * nmemb; }

// POSTs with one curl easy handle, which keeps its connection alive between requests.
class HttpSender : public RequestSender {
 public:
  explicit HttpSender(const GenOptions& o) : curl_(curl_easy_init()) {
    const bool json = o.protocol == Protocol::kHttpJson;
    headers_ = curl_slist_append(headers_, json ? "Content-Type: application/json"
                                                : "Content-Type: application/x-protobuf");
    if (o.gzip) headers_ = curl_slist_append(headers_, "Content-Encoding: gzip");
    // No "Expect: 100-continue" round trip for large bodies.
    headers_ = curl_slist_append(headers_, "Expect:");
    url_ = HttpUrl(o.endpoint, o.signal);
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, DiscardBody);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  }
  ~HttpSender() override {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }

  SendOutcome Send(const EncodedRequest& request) override {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) return {.ok = false, .code = std::string("transport: ") + curl_easy_strerror(rc)};
    long http_status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &http_status);
    if (http_status >= 200 && http_status < 300) return {.ok = true, .code = ""};
    return {.ok = false, .code = "http " + std::to_string(http_status)};
  }

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string url_;
};

}  // namespace

std::string HttpUrl(const std::string& endpoint, Signal signal) {
  std::string base = endpoint;
  if (base.find("://") == std::string::npos) base = "http://" + base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  switch (signal) {
    case Signal::kTraces: return base + "/v1/traces";
    case Signal::kMetrics: return base + "/v1/metrics";
    case Signal::kLogs: return base + "/v1/logs";
  }
  return base;
}

std::unique_ptr<RequestSender> MakeSender(const GenOptions& options) {
  if (options.protocol == Protocol::kGrpc) return std::make_unique<GrpcSender>(options);
  return std::make_unique<HttpSender>(options);
}

}  // namespace otlpd::otlpgen
