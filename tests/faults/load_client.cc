#include "tests/faults/load_client.h"

#include <curl/curl.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace otlpd::testing {
namespace {

namespace trace_service = opentelemetry::proto::collector::trace::v1;

std::string BigEndian(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

// Client IDs in one process: each client owns 2^24 span IDs below its base.
uint64_t NextClientBase() {
  static std::atomic<uint64_t> clients{0};
  return (static_cast<uint64_t>(::getpid()) << 40) | ((clients.fetch_add(1) + 1) << 24);
}

long RetryInfoMillis(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) return -1;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo info;
    if (any.UnpackTo(&info)) {
      return static_cast<long>(info.retry_delay().seconds() * 1000 +
                               info.retry_delay().nanos() / 1000000);
    }
  }
  return -1;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

size_t RetryAfterHeader(char* data, size_t size, size_t n, void* out) {
  const std::string line(data, size * n);
  constexpr char kName[] = "retry-after:";
  if (line.size() > sizeof kName - 1) {
    std::string name = line.substr(0, sizeof kName - 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == kName) {
      try {
        *static_cast<long*>(out) = std::stol(line.substr(sizeof kName - 1)) * 1000;
      } catch (...) {
        // An HTTP-date: otlpd does not send one; keep "no hint".
      }
    }
  }
  return size * n;
}

ExportOutcome ExportGrpc(const std::shared_ptr<grpc::Channel>& channel,
                         const trace_service::ExportTraceServiceRequest& req,
                         std::chrono::milliseconds timeout) {
  auto stub = trace_service::TraceService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  trace_service::ExportTraceServiceResponse resp;
  const grpc::Status s = stub->Export(&ctx, req, &resp);
  return {.ok = s.ok(),
          .code = static_cast<int>(s.error_code()),
          .retry_after_ms = s.ok() ? -1 : RetryInfoMillis(s),
          .message = s.error_message()};
}

ExportOutcome ExportHttp(const std::string& url, const std::string& body,
                         std::chrono::milliseconds timeout) {
  ExportOutcome out;
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-protobuf");
  curl_easy_setopt(curl, CURLOPT_URL, (url + "/v1/traces").c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, RetryAfterHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out.retry_after_ms);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    out.code = static_cast<int>(status);
    out.ok = status == 200;
  } else {
    out.message = curl_easy_strerror(rc);
  }
  if (out.ok) out.retry_after_ms = -1;
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return out;
}

}  // namespace

LoadClient::LoadClient(Options options)
    : options_(std::move(options)),
      first_id_(NextClientBase()),
      next_id_(first_id_),
      grpc_target_(options_.grpc_target),
      http_url_(options_.http_url) {}

LoadClient::~LoadClient() { Stop(); }

void LoadClient::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { Run(); });
}

void LoadClient::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void LoadClient::SetTarget(const std::string& grpc_target, const std::string& http_url) {
  std::lock_guard lock(mu_);
  grpc_target_ = grpc_target;
  http_url_ = http_url;
  channel_.reset();
}

LoadClient::Request LoadClient::MakeRequest(int spans) {
  Request r;
  auto* rs = r.proto.add_resource_spans();
  auto* attr = rs->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value("faults-load");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("load-client");
  for (int i = 0; i < spans; ++i) {
    const uint64_t id = next_id_.fetch_add(1);
    auto* span = ss->add_spans();
    span->set_name("load");
    span->set_trace_id(BigEndian(id) + BigEndian(0x0f0f0f0f0f0f0f0full));
    span->set_span_id(BigEndian(id));
    span->set_start_time_unix_nano(1'700'000'000'000'000'000ull + id % 1'000'000);
    span->set_end_time_unix_nano(1'700'000'000'001'000'000ull + id % 1'000'000);
    r.ids.push_back(id);
  }
  return r;
}

ExportOutcome LoadClient::Attempt(const Request& request) {
  std::string http_url;
  std::shared_ptr<grpc::Channel> channel;
  {
    std::lock_guard lock(mu_);
    http_url = http_url_;
    if (options_.transport == Transport::kGrpc) {
      if (!channel_) channel_ = grpc::CreateChannel(grpc_target_, grpc::InsecureChannelCredentials());
      channel = channel_;
    }
  }
  if (channel) {
    ExportOutcome outcome = ExportGrpc(channel, request.proto, options_.attempt_timeout);
    if (!outcome.ok) {
      // A failed channel would sit in gRPC's reconnect backoff (up to minutes) after otlpd was
      // killed: that is the channel's policy, not otlpd's behaviour under test. Start afresh.
      std::lock_guard lock(mu_);
      if (channel_ == channel) channel_.reset();
    }
    return outcome;
  }
  return ExportHttp(http_url, request.proto.SerializeAsString(), options_.attempt_timeout);
}

void LoadClient::Record(const Request& request, const ExportOutcome& outcome) {
  {
    std::lock_guard lock(mu_);
    if (outcome.ok) {
      acked_.insert(acked_.end(), request.ids.begin(), request.ids.end());
    } else {
      ++failures_[outcome.code];
      ++failures_total_;
      if (outcome.retry_after_ms >= 0) ++failures_with_hint_;
    }
  }
  cv_.notify_all();
}

ExportOutcome LoadClient::SendOnce(int spans) {
  const Request request = MakeRequest(spans);
  ExportOutcome outcome = Attempt(request);
  Record(request, outcome);
  return outcome;
}

void LoadClient::Run() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    const Request request = MakeRequest(options_.spans_per_request);
    while (true) {
      const ExportOutcome outcome = Attempt(request);
      Record(request, outcome);
      if (outcome.ok) {
        if (PauseOrStop(options_.pace)) return;
        break;
      }
      if (PauseOrStop(options_.retry_pause)) return;
      if (!options_.retry) break;
    }
  }
}

bool LoadClient::PauseOrStop(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  if (d.count() > 0) cv_.wait_for(lock, d, [this] { return stopping_; });
  return stopping_;
}

std::vector<uint64_t> LoadClient::Acked() const {
  std::lock_guard lock(mu_);
  return acked_;
}

size_t LoadClient::AckedCount() const {
  std::lock_guard lock(mu_);
  return acked_.size();
}

std::map<int, int> LoadClient::Failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

int LoadClient::FailuresWithRetryHint() const {
  std::lock_guard lock(mu_);
  return failures_with_hint_;
}

bool LoadClient::WaitForAcked(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return acked_.size() >= n; });
}

bool LoadClient::WaitForFailures(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return failures_total_ >= n; });
}

}  // namespace otlpd::testing
