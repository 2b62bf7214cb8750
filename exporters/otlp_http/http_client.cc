#include "exporters/otlp_http/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

namespace otlpd::exporter::otlp_http {
namespace {

// Upper bound of one poll, so that a deadline on an injected (test) clock is noticed too; real
// progress and cancellation wake the poll at once.
constexpr int kPollCapMs = 200;

void GlobalInit() {
  // curl_global_init is not thread-safe in every libcurl build: run it once, before any handle.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

struct ResponseSink {
  HttpResponse* response;
  size_t max_body;
};

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const size_t n = size * nmemb;
  std::string& body = sink->response->body;
  if (body.size() < sink->max_body) body.append(data, std::min(n, sink->max_body - body.size()));
  return n;  // the rest is read and discarded, keeping the connection reusable
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool HeaderIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const size_t n = size * nmemb;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 100 Continue, for instance): forget the previous headers.
    sink->response->content_type.clear();
    sink->response->retry_after.clear();
  } else if (HeaderIs(line, "content-type")) {
    sink->response->content_type = Trim(line.substr(13));
  } else if (HeaderIs(line, "retry-after")) {
    sink->response->retry_after = Trim(line.substr(12));
  }
  return n;
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown != nullptr) {
    (void)list.release();
    list.reset(grown);
  }
}

// For server_name_override: the URL with the override as host, and the CONNECT_TO entry that
// still dials the original host, so SNI and certificate checks use the override name.
struct Rewritten {
  std::string url;
  std::string connect_to;
  std::string host_header;
};

std::optional<Rewritten> RewriteHost(const std::string& url, const std::string& name) {
  CURLU* u = curl_url();
  if (u == nullptr) return std::nullopt;
  std::optional<Rewritten> out;
  char* host = nullptr;
  char* port = nullptr;
  char* rewritten = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_HOST, name.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_URL, &rewritten, 0) == CURLUE_OK) {
    out = Rewritten{rewritten, name + ":" + port + ":" + host + ":" + port,
                    std::string("Host: ") + host + ":" + port};
  }
  curl_free(host);
  curl_free(port);
  curl_free(rewritten);
  curl_url_cleanup(u);
  return out;
}

Status TransportError(CURLcode code, const char* errbuf, const std::string& url) {
  const std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceededError("POST " + url + " timed out: " + detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return UnavailableError("TLS with " + url + " failed: " + detail +
                              " (check tls::ca_file, tls::server_name_override or "
                              "tls::insecure_skip_verify)");
    default:
      return UnavailableError("POST " + url + " failed: " + detail);
  }
}

}  // namespace

struct HttpClient::Connection {
  Connection() : easy(curl_easy_init()), multi(curl_multi_init()) {}
  ~Connection() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
  CURL* easy;
  CURLM* multi;  // owns the connection cache that keeps this handle's connection alive
  char errbuf[CURL_ERROR_SIZE] = {};
};

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

StatusOr<std::unique_ptr<HttpClient>> HttpClient::Create(HttpClientOptions options) {
  if (Status s = helper::CheckTlsFilesReadable(options.tls); !s.ok()) return s;
  GlobalInit();
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(options)));
}

std::unique_ptr<HttpClient::Connection> HttpClient::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<Connection>();
  if (c->easy == nullptr || c->multi == nullptr) return nullptr;
  CURL* h = c->easy;
  // Settings that never change for this client: set once, reused by every request.
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  const helper::TlsClientConfig& tls = options_.tls;
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLCERT, tls.cert_file.c_str());
    curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(h, CURLOPT_SSLKEY, tls.key_file.c_str());
  }
  curl_easy_setopt(h, CURLOPT_SSLVERSION, tls.min_version == "1.3"
                                              ? static_cast<long>(CURL_SSLVERSION_TLSv1_3)
                                              : static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  return c;
}

void HttpClient::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
}

StatusOr<HttpResponse> HttpClient::Post(const std::string& url, const HttpHeaders& headers,
                                        std::string_view body,
                                        const helper::AttemptContext& ctx) {
  std::unique_ptr<Connection> conn = Acquire();
  if (!conn) return UnavailableError("cannot create a libcurl handle");
  CURL* h = conn->easy;
  conn->errbuf[0] = '\0';

  std::string target = url;
  Slist header_list;
  Slist connect_to;
  if (!options_.tls.server_name_override.empty()) {
    std::optional<Rewritten> r = RewriteHost(url, options_.tls.server_name_override);
    if (!r) return InvalidArgumentError("cannot apply tls::server_name_override to " + url);
    target = r->url;
    Append(connect_to, r->connect_to);
    Append(header_list, r->host_header);
  }
  for (const auto& [name, value] : headers) Append(header_list, name + ": " + value);
  // curl would otherwise send `Expect: 100-continue` for larger bodies and wait for an interim
  // answer that some servers never send.
  Append(header_list, "Expect:");

  HttpResponse response;
  ResponseSink sink{&response, options_.max_response_body};
  curl_easy_setopt(h, CURLOPT_URL, target.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to.get());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
  const std::optional<std::chrono::milliseconds> remaining = ctx.Remaining();
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, remaining ? static_cast<long>(remaining->count()) : 0L);

  CURLcode result = CURLE_OK;
  bool done = false;
  bool cancelled = false;
  bool timed_out = false;
  if (curl_multi_add_handle(conn->multi, h) != CURLM_OK) {
    return UnavailableError("cannot start a libcurl transfer");
  }
  {
    CURLM* multi = conn->multi;
    helper::CancelToken::Registration wake;
    if (ctx.cancel != nullptr) wake = ctx.cancel->OnCancel([multi] { curl_multi_wakeup(multi); });
    while (!done) {
      int running = 0;
      if (curl_multi_perform(conn->multi, &running) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(conn->multi, &left)) {
        if (msg->msg == CURLMSG_DONE) {
          result = msg->data.result;
          done = true;
        }
      }
      if (done) break;
      if (ctx.cancel != nullptr && ctx.cancel->cancelled()) {
        cancelled = true;
        break;
      }
      if (ctx.clock != nullptr && ctx.deadline != Clock::TimePoint::max() &&
          ctx.clock->Now() >= ctx.deadline) {
        timed_out = true;
        break;
      }
      curl_multi_poll(conn->multi, nullptr, 0, kPollCapMs, nullptr);
    }
  }
  curl_multi_remove_handle(conn->multi, h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // Options pointing at this call's buffers must not outlive it.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_CONNECT_TO, nullptr);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
  const std::string errbuf = conn->errbuf;
  Release(std::move(conn));

  if (cancelled) return Status(StatusCode::kCancelled, "POST " + url + " cancelled: shutting down");
  if (timed_out) return DeadlineExceededError("POST " + url + " timed out");
  if (result != CURLE_OK) return TransportError(result, errbuf.c_str(), url);
  response.status = status;
  return response;
}

}  // namespace otlpd::exporter::otlp_http
