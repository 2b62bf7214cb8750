// count_sink: the end-to-end benchmark's backend. An OTLP/HTTP endpoint on loopback that accepts
// every POST (gzip, zstd, deflate or plain protobuf), counts the spans in it cheaply (a wire
// walk, no message objects) and answers 200 at once. GET /stats returns the totals as JSON so
// the benchmark driver can see what was delivered:
//
//   count_sink                 # prints "count_sink listening on 127.0.0.1:PORT", serves until killed
//   curl -s 127.0.0.1:PORT/stats   -> {"spans":123400,"requests":120,"bad_requests":0,"bytes":...}
//   count_sink --free-port     # prints a free loopback port and exits (for collectors' configs)
//
// One thread per connection (an exporter opens a handful), so a slow answer never stalls the
// others; connections beyond kMaxConnections are closed at once. SIGTERM or SIGINT stops it:
// the listener and every open connection are shut down and all threads joined before it exits.
#include <sys/socket.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "bench/e2e/wire_span_count.h"
#include "pipeline/compression.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr int kMaxConnections = 64;
constexpr uint64_t kMaxBody = 64ull << 20;

std::atomic<int64_t> g_spans{0};
std::atomic<int64_t> g_requests{0};
std::atomic<int64_t> g_bad{0};
std::atomic<int64_t> g_bytes{0};
std::atomic<int> g_connections{0};

// The sockets of open connections, so that a stop can shut them down and wake their readers.
std::mutex g_open_mu;
std::unordered_set<int> g_open;

std::string StatsJson() {
  return "{\"spans\":" + std::to_string(g_spans.load()) +
         ",\"requests\":" + std::to_string(g_requests.load()) +
         ",\"bad_requests\":" + std::to_string(g_bad.load()) +
         ",\"bytes\":" + std::to_string(g_bytes.load()) + "}\n";
}

// Decodes and counts one request body; 200 when it is a traces request we could read.
int Accept(const http::request<http::string_body>& req) {
  const auto encoding = req[http::field::content_encoding];
  std::optional<otlpd::Compression> c =
      otlpd::ParseContentEncoding(std::string_view(encoding.data(), encoding.size()));
  if (!c) return 415;
  std::string plain_storage;
  std::string_view plain = req.body();
  if (*c != otlpd::Compression::kNone) {
    otlpd::StatusOr<std::string> out = otlpd::Decompress(*c, req.body(), kMaxBody);
    if (!out.ok()) return 400;
    plain_storage = std::move(*out);
    plain = plain_storage;
  }
  std::optional<int64_t> spans = otlpd::bench::CountSpansOnWire(plain);
  if (!spans) return 400;
  g_spans += *spans;
  g_bytes += static_cast<int64_t>(req.body().size());
  return 200;
}

void Serve(tcp::socket socket) {
  {
    std::lock_guard lock(g_open_mu);
    g_open.insert(socket.native_handle());
  }
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    http::read(socket, buffer, parser, ec);
    if (ec) break;
    const auto& req = parser.get();
    http::response<http::string_body> res;
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    if (req.method() == http::verb::get && req.target() == "/stats") {
      res.result(200);
      res.set(http::field::content_type, "application/json");
      res.body() = StatsJson();
    } else if (req.method() == http::verb::post) {
      const int status = Accept(req);
      ++g_requests;
      if (status != 200) ++g_bad;
      res.result(status);
      res.set(http::field::content_type, "application/x-protobuf");
    } else {
      res.result(404);
    }
    res.prepare_payload();
    http::write(socket, res, ec);
    if (ec || !req.keep_alive()) break;
  }
  {
    std::lock_guard lock(g_open_mu);
    g_open.erase(socket.native_handle());
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
  --g_connections;
}

void AcceptLoop(asio::io_context& io, tcp::acceptor& acceptor, std::vector<std::thread>& threads) {
  for (;;) {
    tcp::socket socket(io);
    beast::error_code ec;
    acceptor.accept(socket, ec);
    if (ec == asio::error::invalid_argument || ec == asio::error::bad_descriptor) return;  // stop
    if (ec) continue;
    if (g_connections.load() >= kMaxConnections) continue;  // closes it
    ++g_connections;
    threads.emplace_back(Serve, std::move(socket));
  }
}

}  // namespace

int main(int argc, char** argv) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  if (argc > 1 && std::string(argv[1]) == "--free-port") {
    std::cout << acceptor.local_endpoint().port() << "\n";
    return 0;
  }
  std::signal(SIGPIPE, SIG_IGN);
  // Every thread inherits the blocked stop signals; main waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::cout << "count_sink listening on 127.0.0.1:" << acceptor.local_endpoint().port()
            << std::endl;
  std::vector<std::thread> connection_threads;  // touched by the accept thread until it is joined
  std::thread accept_thread(AcceptLoop, std::ref(io), std::ref(acceptor),
                            std::ref(connection_threads));
  int signal = 0;
  sigwait(&stop_signals, &signal);
  // shutdown() on the listening socket wakes the blocked accept with EINVAL.
  ::shutdown(acceptor.native_handle(), SHUT_RDWR);
  accept_thread.join();
  {
    std::lock_guard lock(g_open_mu);
    for (int fd : g_open) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : connection_threads) t.join();
  return 0;
}
