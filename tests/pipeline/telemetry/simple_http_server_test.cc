// SimpleHttpServer: routing, methods, binding, and that misbehaving clients cannot hold it.
#include "pipeline/simple_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/pipeline/telemetry/http_get.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::HttpGet;
using namespace std::chrono_literals;

SimpleHttpServer::Options At(const std::string& endpoint) {
  SimpleHttpServer::Options options;
  options.endpoint = endpoint;
  return options;
}

std::string Url(const SimpleHttpServer& s, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(s.port()) + path;
}

HttpHandlers Pages() {
  return {{"/", [] { return HttpResponse{200, "text/plain", "root"}; }},
          {"/metrics", [] { return HttpResponse{200, "text/plain", "metrics"}; }},
          {"/api/", [] { return HttpResponse{202, "application/json", "{}"}; }},
          {"/boom", []() -> HttpResponse { throw std::runtime_error("boom"); }}};
}

// A raw TCP client: what a stuck or idle prober looks like to the server.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { close(fd_); }
  bool connected() const { return connected_; }
  // True when the server closes the connection within `timeout` (recv returns 0 or an error
  // other than the receive timeout).
  bool ClosedByServerWithin(std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[256];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

TEST(SimpleHttpServerTest, ServesPagesOnADiscoveredPort) {
  SimpleHttpServer server(At("127.0.0.1:0"), Pages());
  ASSERT_TRUE(server.Start().ok());
  ASSERT_GT(server.port(), 0);
  auto a = HttpGet(Url(server, "/metrics"));
  EXPECT_EQ(a.status, 200) << a.error;
  EXPECT_EQ(a.body, "metrics");
  EXPECT_EQ(a.content_type, "text/plain");
  server.Stop();
  server.Stop();  // idempotent
  EXPECT_EQ(HttpGet(Url(server, "/metrics"), "GET", 1s).status, 0);
}

TEST(SimpleHttpServerTest, RoutesLikeGoServeMux) {
  SimpleHttpServer server(At("127.0.0.1:0"), Pages());
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(HttpGet(Url(server, "/metrics?x=1")).body, "metrics");  // query ignored
  EXPECT_EQ(HttpGet(Url(server, "/anything/else")).body, "root");   // "/" is a subtree
  EXPECT_EQ(HttpGet(Url(server, "/api/v1/x")).status, 202);         // longest subtree wins
  EXPECT_EQ(HttpGet(Url(server, "/metrics/x")).body, "root");       // exact path only
}

TEST(SimpleHttpServerTest, UnknownPathIs404WithoutASubtree) {
  SimpleHttpServer server(At("127.0.0.1:0"),
                          {{"/health", [] { return HttpResponse{200, "text/plain", "ok"}; }}});
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(HttpGet(Url(server, "/")).status, 404);
  EXPECT_EQ(HttpGet(Url(server, "/health/x")).status, 404);
  EXPECT_EQ(HttpGet(Url(server, "/health")).status, 200);
}

TEST(SimpleHttpServerTest, MethodsHeadAndFailingHandlers) {
  SimpleHttpServer server(At("127.0.0.1:0"), Pages());
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(HttpGet(Url(server, "/metrics"), "POST").status, 405);
  auto head = HttpGet(Url(server, "/metrics"), "HEAD");
  EXPECT_EQ(head.status, 200) << head.error;
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(HttpGet(Url(server, "/boom")).status, 500);
  EXPECT_EQ(HttpGet(Url(server, "/metrics")).status, 200);  // still serving
}

TEST(SimpleHttpServerTest, BindFailureNamesTheAddress) {
  SimpleHttpServer first(At("127.0.0.1:0"), Pages());
  ASSERT_TRUE(first.Start().ok());
  const std::string taken = "127.0.0.1:" + std::to_string(first.port());
  SimpleHttpServer second(At(taken), Pages());
  Status s = second.Start();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(taken));
  second.Stop();  // safe after a failed Start

  SimpleHttpServer bad(At("localhost"), Pages());
  EXPECT_EQ(bad.Start().code(), StatusCode::kInvalidArgument);
  SimpleHttpServer unresolvable(At("no-such-host.invalid:0"), Pages());
  Status u = unresolvable.Start();
  EXPECT_EQ(u.code(), StatusCode::kUnavailable);
  EXPECT_THAT(u.message(), HasSubstr("no-such-host.invalid"));
}

TEST(SimpleHttpServerTest, LocalhostBindsLoopbackIPv4) {
  SimpleHttpServer server(At("localhost:0"), Pages());
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(HttpGet(Url(server, "/metrics")).status, 200);
}

TEST(SimpleHttpServerTest, SilentClientIsDisconnectedAfterTheRequestTimeout) {
  SimpleHttpServer::Options options = At("127.0.0.1:0");
  options.request_timeout = 200ms;
  SimpleHttpServer server(options, Pages());
  ASSERT_TRUE(server.Start().ok());
  RawClient idle(server.port());
  ASSERT_TRUE(idle.connected());
  EXPECT_TRUE(idle.ClosedByServerWithin(5s));
}

TEST(SimpleHttpServerTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  SimpleHttpServer::Options options = At("127.0.0.1:0");
  options.max_connections = 2;
  SimpleHttpServer server(options, Pages());
  ASSERT_TRUE(server.Start().ok());
  auto a = std::make_unique<RawClient>(server.port());
  RawClient b(server.port());
  // Each idle client holds its slot; the third is turned away.
  EXPECT_FALSE(a->ClosedByServerWithin(200ms));
  EXPECT_FALSE(b.ClosedByServerWithin(200ms));
  RawClient c(server.port());
  EXPECT_TRUE(c.ClosedByServerWithin(5s));
  // A slot frees when a client leaves.
  a.reset();
  const auto until = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < until) {
    status = HttpGet(Url(server, "/metrics"), "GET", 1s).status;
  }
  EXPECT_EQ(status, 200);
}

TEST(SimpleHttpServerTest, StopClosesOpenConnectionsPromptly) {
  SimpleHttpServer server(At("127.0.0.1:0"), Pages());
  ASSERT_TRUE(server.Start().ok());
  RawClient idle(server.port());
  ASSERT_FALSE(idle.ClosedByServerWithin(100ms));  // accepted and waiting for a request
  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(idle.ClosedByServerWithin(2s));
}

TEST(ParseHostPortTest, Forms) {
  auto v4 = ParseHostPort("0.0.0.0:13133");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->port, 13133);
  auto any = ParseHostPort(":8888");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->host, "");
  auto v6 = ParseHostPort("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad : {"localhost", "host:", "host:http", "host:70000", "::1:80", "[::1]80"}) {
    EXPECT_EQ(ParseHostPort(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(ParseHostPort("host:x").status().message(), HasSubstr("\"host:x\""));
}

}  // namespace
}  // namespace otlpd
