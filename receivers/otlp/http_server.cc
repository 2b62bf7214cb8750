#include "receivers/otlp/http_server.h"

#include <algorithm>
#include <variant>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "receivers/otlp/body_codec.h"
#include "receivers/otlp/cors.h"
#include "receivers/otlp/endpoint.h"
#include "receivers/otlp/export_handler.h"
#include "receivers/otlp/rpc_status.h"

namespace otlpd::receiver::otlp {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// Request line and headers together; Go allows 1 MiB, OTLP clients send a few hundred bytes.
constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr std::chrono::seconds kWriteTimeout{30};
// After an answer sent without reading the request's body (404, 415, 503 ...), the connection
// is half-closed and what the client still sends is read and dropped for a short while: closing
// with unread data makes the kernel send a reset that can destroy the answer in flight.
constexpr std::chrono::seconds kLingerTimeout{1};
constexpr size_t kLingerBytes = 256 * 1024;

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

class HttpServer::Impl {
 public:
  class Session;

  Impl(const HttpServerConfig& cfg, ReceiverConsumers next, SelfMetrics& metrics,
       const std::string& id, std::shared_ptr<spdlog::logger> logger)
      : cfg_(cfg),
        logger_(std::move(logger)),
        traces_(next.traces, metrics, id, "http", logger_),
        metrics_(next.metrics, metrics, id, "http", logger_),
        logs_(next.logs, metrics, id, "http", logger_),
        refused_connections_(&metrics.GetCounter(
            "otlpd_receiver_refused_connections", {{"receiver", id}, {"transport", "http"}},
            "Connections closed at once because max_connections were open.")) {
    if (cfg_.cors) cors_.emplace(*cfg_.cors);
  }

  Status Start(std::atomic<int>& port);
  void Shutdown(Deadline deadline);

  // The signal served at `path`, if any (unknown path or no consumer: nullopt).
  std::optional<Signal> Route(std::string_view path) const {
    if (path == cfg_.traces_url_path && traces_.serves()) return Signal::kTraces;
    if (path == cfg_.metrics_url_path && metrics_.serves()) return Signal::kMetrics;
    if (path == cfg_.logs_url_path && logs_.serves()) return Signal::kLogs;
    return std::nullopt;
  }
  Status Admit(Signal signal) const {
    switch (signal) {
      case Signal::kTraces: return traces_.Admit();
      case Signal::kMetrics: return metrics_.Admit();
      case Signal::kLogs: return logs_.Admit();
    }
    return OkStatus();
  }
  void SessionEnded(uint64_t id) {
    std::lock_guard lock(mu_);
    sessions_.erase(id);
    cv_.notify_all();
  }

  const HttpServerConfig cfg_;
  std::shared_ptr<spdlog::logger> logger_;
  ExportHandler<TraceRequest> traces_;
  ExportHandler<MetricsRequest> metrics_;
  ExportHandler<LogsRequest> logs_;
  std::optional<CorsPolicy> cors_;
  std::optional<ssl::context> tls_;
  std::atomic<bool> stopping_{false};

 private:
  Status LoadTls();
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);

  Counter* refused_connections_;
  std::unique_ptr<net::io_context> ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::unique_ptr<tcp::acceptor> acceptor_;      // on its own strand
  std::unique_ptr<net::steady_timer> accept_retry_;  // same strand as the acceptor
  std::vector<std::thread> threads_;

  std::mutex mu_;
  std::condition_variable cv_;  // signalled when a session ends
  std::map<uint64_t, std::weak_ptr<Session>> sessions_;
  uint64_t next_session_id_ = 0;
};

// One connection. Every handler runs on the connection's strand, one at a time, so the session
// needs no lock; it stays alive as long as an operation holds its shared_ptr.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, uint64_t id, tcp::socket socket) : server_(server), id_(id) {
    if (server.tls_) {
      stream_.emplace<TlsStream>(beast::tcp_stream(std::move(socket)), *server.tls_);
    } else {
      stream_.emplace<PlainStream>(std::move(socket));
    }
  }
  ~Session() { server_.SessionEnded(id_); }

  void Run() {
    net::dispatch(Lowest().get_executor(),
                  beast::bind_front_handler(&Session::Begin, shared_from_this()));
  }

  // From Shutdown: a connection waiting for a request is closed now; one in the middle of a
  // request finishes it and closes after the answer (ReadRequest sees stopping_).
  void Stop() {
    net::post(Lowest().get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kHandshake || self->state_ == State::kIdle ||
          self->state_ == State::kHeader) {
        self->Lowest().close();
      }
    });
  }

 private:
  using PlainStream = beast::tcp_stream;
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;
  enum class State { kHandshake, kIdle, kHeader, kBusy, kClosed };

  template <class F>
  void WithStream(F&& f) {
    if (auto* plain = std::get_if<PlainStream>(&stream_)) {
      f(*plain);
    } else {
      f(std::get<TlsStream>(stream_));
    }
  }
  beast::tcp_stream& Lowest() {
    if (auto* plain = std::get_if<PlainStream>(&stream_)) return *plain;
    return beast::get_lowest_layer(std::get<TlsStream>(stream_));
  }

  void Begin() {
    if (auto* tls = std::get_if<TlsStream>(&stream_)) {
      state_ = State::kHandshake;
      Lowest().expires_after(server_.cfg_.read_header_timeout);
      tls->async_handshake(ssl::stream_base::server,
                           beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
      return;
    }
    ReadRequest();
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      server_.logger_->debug("TLS handshake failed: {}", ec.message());
      return Close(false);
    }
    ReadRequest();
  }

  void ReadRequest() {
    if (server_.stopping_) return Close(false);
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(static_cast<uint64_t>(server_.cfg_.max_request_body_size));
    res_ = {};
    cors_origin_.reset();
    body_unread_ = false;
    if (served_ > 0 && buffer_.size() == 0) {
      // Between requests: wait for the first byte with the idle timeout, so that the header
      // timeout measures the client sending headers, not the client thinking.
      state_ = State::kIdle;
      Lowest().expires_after(HttpServer::kIdleTimeout);
      WithStream([&](auto& s) {
        s.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&Session::OnIdleData, shared_from_this()));
      });
      return;
    }
    ReadHeader();
  }

  void OnIdleData(beast::error_code ec, size_t n) {
    if (ec) return Close(false);
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    state_ = State::kHeader;
    Lowest().expires_after(server_.cfg_.read_header_timeout);
    WithStream([&](auto& s) {
      http::async_read_header(s, buffer_, *parser_,
                              beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
    });
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec == http::error::body_limit) {
      // Content-Length above the limit: the headers are complete, so answer in their encoding.
      state_ = State::kBusy;
      body_unread_ = true;
      const auto& req = parser_->get();
      return SendError(TooLarge(), ParseContentType(Sv(req[http::field::content_type])), true);
    }
    if (ec == http::error::header_limit) {
      // 431 names the problem (Go's net/http answers the same); the rest of the oversized
      // headers is never read, so the connection closes.
      state_ = State::kBusy;
      body_unread_ = true;
      return SendError(InvalidArgumentError("request headers exceed " +
                                            std::to_string(kHeaderLimit) + " bytes"),
                       std::nullopt, true, 431);
    }
    if (ec) {
      if (ec == beast::error::timeout) {
        server_.logger_->debug("closing a connection: no complete request headers within {}",
                               config::FormatDuration(server_.cfg_.read_header_timeout));
      } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        state_ = State::kBusy;
        body_unread_ = true;
        return SendError(InvalidArgumentError("malformed HTTP request: " + ec.message()),
                         std::nullopt, true);
      }
      return Close(false);
    }
    state_ = State::kBusy;
    ++served_;
    body_unread_ = !parser_->is_done();
    HandleHeaders();
  }

  // Everything that can be decided before reading the body, in the Collector's order.
  void HandleHeaders() {
    const auto& req = parser_->get();
    encoding_ = ParseContentType(Sv(req[http::field::content_type]));
    if (server_.cors_) cors_origin_ = server_.cors_->AllowOrigin(Sv(req[http::field::origin]));

    const std::string_view target = Sv(req.target());
    const std::string_view path = target.substr(0, target.find('?'));
    std::optional<Signal> signal = server_.Route(path);
    if (!signal) {
      return SendError(NotFoundError("nothing is served at " + std::string(path)), encoding_,
                       body_unread_, 404);
    }
    if (req.method() == http::verb::options && server_.cors_) return Preflight();
    if (req.method() != http::verb::post) {
      res_.set(http::field::allow, "POST");
      return SendError(InvalidArgumentError(std::string(Sv(req.method_string())) +
                                            " is not allowed, use POST"),
                       encoding_, body_unread_, 405);
    }
    if (!encoding_) {
      return SendError(
          InvalidArgumentError("unsupported Content-Type \"" +
                               std::string(Sv(req[http::field::content_type])) +
                               "\", use application/x-protobuf or application/json"),
          std::nullopt, body_unread_, 415);
    }
    const std::string_view content_encoding = Sv(req[http::field::content_encoding]);
    std::optional<Compression> compression = ParseContentEncoding(content_encoding);
    if (!compression) {
      return SendError(InvalidArgumentError("unsupported Content-Encoding \"" +
                                            std::string(content_encoding) + "\""),
                       encoding_, body_unread_);
    }
    compression_ = *compression;
    signal_ = *signal;
    // The memory_limiter's question, asked before the body costs anything: a refused flood is
    // never read, let alone decoded.
    Status admit = server_.Admit(signal_);
    if (!admit.ok()) return SendError(admit, encoding_, body_unread_);

    if (!body_unread_) return ProcessBody();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      Lowest().expires_after(kWriteTimeout);
      WithStream([&](auto& s) {
        http::async_write(s, *continue_,
                          beast::bind_front_handler(&Session::OnContinueSent, shared_from_this()));
      });
      return;
    }
    ReadBody();
  }

  void OnContinueSent(beast::error_code ec, size_t) {
    if (ec) return Close(false);
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(HttpServer::kBodyTimeout);
    WithStream([&](auto& s) {
      http::async_read(s, buffer_, *parser_,
                       beast::bind_front_handler(&Session::OnBody, shared_from_this()));
    });
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec == http::error::body_limit) return SendError(TooLarge(), encoding_, true);
    if (ec) return Close(false);
    body_unread_ = false;
    ProcessBody();
  }

  void ProcessBody() {
    std::shared_ptr<const ClientMetadata> metadata;
    if (server_.cfg_.include_metadata) metadata = CopyHeaders();
    Status s;
    switch (signal_) {
      case Signal::kTraces: s = Export(server_.traces_, std::move(metadata)); break;
      case Signal::kMetrics: s = Export(server_.metrics_, std::move(metadata)); break;
      case Signal::kLogs: s = Export(server_.logs_, std::move(metadata)); break;
    }
    if (!s.ok()) return SendError(s, encoding_, false);
    Send(false);
  }

  template <class Request>
  Status Export(ExportHandler<Request>& handler, std::shared_ptr<const ClientMetadata> metadata) {
    const auto max_size = static_cast<size_t>(server_.cfg_.max_request_body_size);
    Status s;
    if (*encoding_ == BodyEncoding::kProtobuf) {
      // Scanned, not decoded: the (decompressed) body itself travels on as an encoded batch.
      std::string body = std::move(parser_->get().body());
      s = DecompressBody(compression_, max_size, body);
      if (s.ok()) s = handler.ExportEncoded(std::move(body), std::move(metadata));
    } else {
      auto request = std::make_unique<Request>();
      std::string& body = parser_->get().body();
      s = DecodeRequestBody(*encoding_, compression_, body, max_size, *request);
      std::string().swap(body);  // the raw body is not needed any more; do not keep it alive
      if (s.ok()) s = handler.Export(std::move(request), std::move(metadata));
    }
    if (!s.ok()) return s;
    res_.result(http::status::ok);
    res_.set(http::field::content_type, std::string(ContentTypeOf(*encoding_)));
    res_.body() = EncodeBody(*encoding_, typename SignalTraits<Request>::Response());
    return OkStatus();
  }

  std::shared_ptr<const ClientMetadata> CopyHeaders() const {
    ClientMetadata md;
    for (const auto& field : parser_->get()) {
      md[Lower(Sv(field.name_string()))].emplace_back(Sv(field.value()));
    }
    return std::make_shared<const ClientMetadata>(std::move(md));
  }

  void Preflight() {
    const auto& req = parser_->get();
    std::optional<CorsPolicy::PreflightAnswer> answer = server_.cors_->Preflight(
        Sv(req[http::field::origin]), Sv(req[http::field::access_control_request_method]),
        Sv(req[http::field::access_control_request_headers]));
    res_.result(http::status::no_content);
    cors_origin_.reset();  // a refused preflight carries no CORS headers at all
    if (answer) {
      cors_origin_ = answer->allow_origin;
      res_.set(http::field::access_control_allow_methods, answer->allow_methods);
      if (!answer->allow_headers.empty()) {
        res_.set(http::field::access_control_allow_headers, answer->allow_headers);
      }
      if (answer->max_age > 0) {
        res_.set(http::field::access_control_max_age, std::to_string(answer->max_age));
      }
    }
    Send(body_unread_);
  }

  Status TooLarge() const {
    return InvalidArgumentError("body exceeds " + std::to_string(server_.cfg_.max_request_body_size) +
                                " bytes");
  }

  // An error answer: google.rpc.Status in the request's encoding, or plain text when the
  // encoding is unknown. `http_code` overrides the mapping from the status (405, 415, 404).
  void SendError(const Status& s, std::optional<BodyEncoding> encoding, bool close,
                 int http_code = 0) {
    const int code = http_code != 0 ? http_code : HttpStatusFromStatus(s);
    res_.result(static_cast<unsigned>(code));
    if (encoding) {
      res_.set(http::field::content_type, std::string(ContentTypeOf(*encoding)));
      res_.body() = EncodeBody(*encoding, ToRpcStatus(s));
    } else {
      res_.set(http::field::content_type, "text/plain; charset=utf-8");
      res_.body() = s.message();
    }
    // Every refusal a client should retry tells it when.
    if (code == 503 || code == 429) {
      res_.set(http::field::retry_after, std::to_string(RetryAfterSeconds(s)));
    }
    Send(close);
  }

  void Send(bool close) {
    if (cors_origin_) {
      res_.set(http::field::access_control_allow_origin, *cors_origin_);
      res_.set(http::field::vary, "Origin");
    }
    res_.version(parser_->get().version() == 10 ? 10 : 11);
    const bool keep_alive = !close && parser_->get().keep_alive() && !server_.stopping_;
    res_.keep_alive(keep_alive);
    res_.prepare_payload();
    Lowest().expires_after(kWriteTimeout);
    WithStream([&](auto& s) {
      http::async_write(s, res_,
                        beast::bind_front_handler(&Session::OnWritten, shared_from_this(),
                                                  keep_alive));
    });
  }

  void OnWritten(bool keep_alive, beast::error_code ec, size_t) {
    if (ec) return Close(false);
    if (!keep_alive) return Close(body_unread_);
    ReadRequest();
  }

  void Close(bool linger) {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!linger || ec) {
      Lowest().close();
      return;
    }
    drain_.resize(16 * 1024);
    Drain();
  }

  void Drain() {
    Lowest().expires_after(kLingerTimeout);
    Lowest().async_read_some(net::buffer(drain_),
                             [self = shared_from_this()](beast::error_code ec, size_t n) {
                               self->drained_ += n;
                               if (ec || self->drained_ >= kLingerBytes) {
                                 self->Lowest().close();
                               } else {
                                 self->Drain();
                               }
                             });
  }

  Impl& server_;
  const uint64_t id_;
  std::variant<std::monostate, PlainStream, TlsStream> stream_;
  State state_ = State::kHeader;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  http::response<http::string_body> res_;
  std::optional<std::string> cors_origin_;
  std::optional<BodyEncoding> encoding_;
  Compression compression_ = Compression::kNone;
  Signal signal_ = Signal::kTraces;
  bool body_unread_ = false;
  uint64_t served_ = 0;
  std::vector<char> drain_;
  size_t drained_ = 0;
};

Status HttpServer::Impl::LoadTls() {
  tls_.emplace(ssl::context::tls_server);
  beast::error_code ec;
  tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                        ssl::context::no_tlsv1_1,
                    ec);
  const auto fail = [&](std::string_view key, const std::string& file) {
    tls_.reset();
    return InvalidArgumentError("cannot load tls " + std::string(key) + " \"" + file +
                                "\": " + LowerFirst(ec.message()));
  };
  tls_->use_certificate_chain_file(cfg_.tls->cert_file, ec);
  if (ec) return fail("cert_file", cfg_.tls->cert_file);
  tls_->use_private_key_file(cfg_.tls->key_file, ssl::context::pem, ec);
  if (ec) return fail("key_file", cfg_.tls->key_file);
  if (!cfg_.tls->client_ca_file.empty()) {
    tls_->load_verify_file(cfg_.tls->client_ca_file, ec);
    if (ec) return fail("client_ca_file", cfg_.tls->client_ca_file);
    tls_->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return OkStatus();
}

Status HttpServer::Impl::Start(std::atomic<int>& port) {
  std::optional<HostPort> hp = ParseHostPort(cfg_.endpoint);
  if (!hp) return InvalidArgumentError("endpoint must be host:port");
  StatusOr<tcp::endpoint> ep = ResolveListenEndpoint(*hp);
  if (!ep.ok()) return ep.status();
  if (cfg_.tls) {
    if (Status s = LoadTls(); !s.ok()) return s;
  }

  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 2u, 8u);
  ioc_ = std::make_unique<net::io_context>(static_cast<int>(threads));
  acceptor_ = std::make_unique<tcp::acceptor>(net::make_strand(*ioc_));
  beast::error_code ec;
  acceptor_->open(ep->protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(*ep, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.reset();
    ioc_.reset();
    return UnavailableError(LowerFirst(ec.message()));
  }
  const tcp::endpoint bound = acceptor_->local_endpoint(ec);
  port = bound.port();
  accept_retry_ = std::make_unique<net::steady_timer>(acceptor_->get_executor());
  work_.emplace(ioc_->get_executor());
  Accept();
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_->run(); });
  logger_->info("OTLP/HTTP listening on {}", FormatEndpoint(bound));
  return OkStatus();
}

void HttpServer::Impl::Accept() {
  acceptor_->async_accept(net::make_strand(*ioc_),
                          beast::bind_front_handler(&Impl::OnAccept, this));
}

void HttpServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping_) return;  // the socket closes as it goes out of scope
  if (ec) {
    if (ec == net::error::operation_aborted) return;
    // Typically EMFILE: retry shortly instead of spinning on the error.
    logger_->warn("accepting a connection failed: {}", ec.message());
    accept_retry_->expires_after(std::chrono::milliseconds(100));
    accept_retry_->async_wait([this](beast::error_code e) {
      if (!e && !stopping_) Accept();
    });
    return;
  }
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mu_);
    if (sessions_.size() >= static_cast<size_t>(cfg_.max_connections)) {
      refused_connections_->Add();
    } else {
      const uint64_t id = next_session_id_++;
      session = std::make_shared<Session>(*this, id, std::move(socket));
      sessions_[id] = session;
    }
  }
  if (session) session->Run();
  Accept();
}

void HttpServer::Impl::Shutdown(Deadline deadline) {
  if (!ioc_) return;
  stopping_ = true;
  net::post(acceptor_->get_executor(), [this] {
    beast::error_code ec;
    acceptor_->close(ec);
    accept_retry_->cancel();
  });
  {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, weak] : sessions_) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->Stop();
  }  // our references go here, or the sessions could never end
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return sessions_.empty(); })) {
      logger_->warn("shutdown deadline reached with {} HTTP connection(s) still busy",
                    sessions_.size());
    }
  }
  work_.reset();
  ioc_->stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  accept_retry_.reset();
  acceptor_.reset();
  // Destroys the handlers still queued, and with them the sessions they kept alive.
  ioc_.reset();
}

HttpServer::HttpServer(const HttpServerConfig& cfg, ReceiverConsumers next, SelfMetrics& metrics,
                       const std::string& receiver_id, std::shared_ptr<spdlog::logger> logger)
    : impl_(std::make_unique<Impl>(cfg, next, metrics, receiver_id, std::move(logger))) {}

HttpServer::~HttpServer() { Shutdown(std::chrono::steady_clock::now()); }

Status HttpServer::Start() { return impl_->Start(port_); }

void HttpServer::Shutdown(Deadline deadline) {
  impl_->Shutdown(deadline);
  port_ = 0;
}

}  // namespace otlpd::receiver::otlp
