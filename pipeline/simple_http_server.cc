#include "pipeline/simple_http_server.h"

#include <charconv>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "pipeline/logging.h"

namespace otlpd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Our pages take no input: a GET has no body, and its headers are small. Anything bigger is a
// client we do not want to buffer for.
constexpr uint32_t kHeaderLimit = 8 * 1024;
constexpr uint64_t kBodyLimit = 4 * 1024;

const HttpHandler* FindHandler(const HttpHandlers& handlers, std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (auto it = handlers.find(std::string(path)); it != handlers.end()) return &it->second;
  const HttpHandler* best = nullptr;
  size_t best_len = 0;
  for (const auto& [pattern, handler] : handlers) {
    if (pattern.empty() || pattern.back() != '/') continue;
    if (path.substr(0, pattern.size()) == pattern && pattern.size() > best_len) {
      best = &handler;
      best_len = pattern.size();
    }
  }
  return best;
}

}  // namespace

StatusOr<HostPort> ParseHostPort(const std::string& endpoint) {
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("invalid endpoint \"" + endpoint + "\": " + why);
  };
  HostPort out;
  std::string_view port_text;
  if (!endpoint.empty() && endpoint[0] == '[') {
    const size_t close = endpoint.find(']');
    if (close == std::string::npos) return bad("missing ']' after an IPv6 address");
    if (close + 1 >= endpoint.size() || endpoint[close + 1] != ':') {
      return bad("expected host:port");
    }
    out.host = endpoint.substr(1, close - 1);
    port_text = std::string_view(endpoint).substr(close + 2);
  } else {
    const size_t colon = endpoint.rfind(':');
    if (colon == std::string::npos) return bad("expected host:port");
    out.host = endpoint.substr(0, colon);
    if (out.host.find(':') != std::string::npos) {
      return bad("an IPv6 address must be written in brackets, as [::1]:8888");
    }
    port_text = std::string_view(endpoint).substr(colon + 1);
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return bad("port must be a number from 0 to 65535");
  }
  out.port = port;
  return out;
}

struct SimpleHttpServer::Impl {
  class Session;

  Options options;
  HttpHandlers handlers;
  std::shared_ptr<spdlog::logger> log;

  // Everything below is touched only on the io thread once Start has returned.
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_backoff{ioc};
  std::set<std::shared_ptr<Session>> sessions;
  bool stopping = false;

  std::thread thread;
  bool started = false;
  int port = 0;

  void DoAccept();
  void CloseAll();
  HttpResponse Dispatch(const http::request<http::string_body>& req);
};

// One connection: read a request, answer it, repeat while the client keeps the connection alive.
class SimpleHttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

  void Read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(server_.options.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    // tcp_stream::close also cancels its timer, so no handler of ours stays queued.
    stream_.close();
    server_.sessions.erase(shared_from_this());
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec) {  // end of stream, timeout, oversized or malformed request, or Stop()
      Close();
      return;
    }
    const auto& req = parser_->get();
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(req.version());
    res->keep_alive(req.keep_alive());
    HttpResponse answer;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      answer = {405, "text/plain; charset=utf-8", "method not allowed\n"};
      res->set(http::field::allow, "GET, HEAD");
    } else {
      answer = server_.Dispatch(req);
    }
    res->result(static_cast<unsigned>(answer.status));
    res->set(http::field::content_type, answer.content_type);
    res->content_length(answer.body.size());
    // A HEAD answer announces the length of the body it does not send.
    if (req.method() != http::verb::head) res->body() = std::move(answer.body);
    stream_.expires_after(server_.options.request_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code write_ec, size_t) {
                        if (write_ec || !res->keep_alive()) {
                          self->Close();
                        } else {
                          self->Read();
                        }
                      });
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool closed_ = false;
};

HttpResponse SimpleHttpServer::Impl::Dispatch(const http::request<http::string_body>& req) {
  const std::string_view target(req.target().data(), req.target().size());
  const HttpHandler* handler = FindHandler(handlers, target);
  if (handler == nullptr) return {404, "text/plain; charset=utf-8", "404 page not found\n"};
  try {
    return (*handler)();
  } catch (const std::exception& e) {
    log->error("handler for {} failed: {}", std::string(target), e.what());
  } catch (...) {
    log->error("handler for {} failed", std::string(target));
  }
  return {500, "text/plain; charset=utf-8", "internal error\n"};
}

void SimpleHttpServer::Impl::DoAccept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopping || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Typically EMFILE: try again shortly rather than spinning on the same error.
      log->warn("accept on {} failed: {}", options.endpoint, ec.message());
      accept_backoff.expires_after(std::chrono::milliseconds(100));
      accept_backoff.async_wait([this](beast::error_code timer_ec) {
        if (!timer_ec && !stopping) DoAccept();
      });
      return;
    }
    if (sessions.size() >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      auto session = std::make_shared<Session>(*this, std::move(socket));
      sessions.insert(session);
      session->Read();
    }
    DoAccept();
  });
}

void SimpleHttpServer::Impl::CloseAll() {
  stopping = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  accept_backoff.cancel();
  // Close() erases from the set, so walk a copy.
  auto open = sessions;
  for (const auto& s : open) s->Close();
}

SimpleHttpServer::SimpleHttpServer(Options options, HttpHandlers handlers)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handlers = std::move(handlers);
  impl_->log = impl_->options.logger ? impl_->options.logger : GetLogger("http_server");
}

SimpleHttpServer::~SimpleHttpServer() { Stop(); }

Status SimpleHttpServer::Start() {
  Impl& s = *impl_;
  StatusOr<HostPort> hp = ParseHostPort(s.options.endpoint);
  if (!hp.ok()) return hp.status();
  const std::string& endpoint = s.options.endpoint;
  auto cannot = [&](const std::string& why) {
    return UnavailableError("cannot listen on " + endpoint + ": " + why);
  };

  beast::error_code ec;
  tcp::endpoint bind_to;
  if (hp->host.empty()) {
    bind_to = tcp::endpoint(tcp::v4(), static_cast<uint16_t>(hp->port));
  } else {
    tcp::resolver resolver(s.ioc);
    auto results = resolver.resolve(hp->host, std::to_string(hp->port),
                                    tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return cannot("cannot resolve \"" + hp->host + "\": " +
                    (ec ? ec.message() : std::string("no addresses")));
    }
    // Like Go's net.Listen: one address, IPv4 preferred ("localhost" -> 127.0.0.1).
    bind_to = results.begin()->endpoint();
    for (const auto& r : results) {
      if (r.endpoint().address().is_v4()) {
        bind_to = r.endpoint();
        break;
      }
    }
  }
  s.acceptor.open(bind_to.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(bind_to, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    return cannot(ec.message());
  }
  s.port = s.acceptor.local_endpoint(ec).port();
  s.DoAccept();
  s.started = true;
  s.thread = std::thread([&s] { s.ioc.run(); });
  s.log->info("serving http://{}:{}", hp->host.empty() ? "0.0.0.0" : hp->host, s.port);
  return OkStatus();
}

void SimpleHttpServer::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.started = false;
  // Every pending operation completes with operation_aborted, after which run() has no work
  // left and returns.
  asio::post(s.ioc, [&s] { s.CloseAll(); });
  s.thread.join();
}

int SimpleHttpServer::port() const { return impl_->port; }

}  // namespace otlpd
