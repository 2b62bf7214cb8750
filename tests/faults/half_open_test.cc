// Half-open connections: many TCP connections to otlpd's gRPC and HTTP ports send the start of a
// request and then nothing, and never read. otlpd must keep serving a good client at the same
// time, and close the idle HTTP ones once read_header_timeout has passed (a slow-loris guard).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/faults/fault_env.h"
#include "tests/faults/load_client.h"
#include "tests/support/otlpd_process.h"
#include "tests/support/span_backend.h"

namespace otlpd {
namespace {

using testing::LoadClient;
using testing::OtlpdProcess;
using testing::PipelineOptions;
using testing::PipelineYaml;
using testing::SpanBackend;
using namespace std::chrono_literals;

constexpr int kConnectionsPerPort = 200;

// A loopback connection that sent `prefix` and will send nothing more. -1 when it failed.
int OpenHalfRequest(int port, const std::string& prefix) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::send(fd, prefix.data(), prefix.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(prefix.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True once the peer closed `fd` (end of stream or reset). Reading is how a client learns of a
// close; these connections still never read an answer, there is none before the close.
bool PeerClosed(int fd) {
  char buf[256];
  const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// How many of `fds` the peer closed within `timeout`, waiting with poll() (no sleeps).
size_t WaitForPeerCloses(const std::vector<int>& fds, std::chrono::milliseconds timeout) {
  std::vector<bool> closed(fds.size(), false);
  size_t count = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool first = true;  // poll at least once, so a zero timeout counts what is closed already
  while (count < fds.size()) {
    std::vector<pollfd> open;
    std::vector<size_t> index;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (!closed[i]) {
        open.push_back({.fd = fds[i], .events = POLLIN | POLLRDHUP, .revents = 0});
        index.push_back(i);
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms && !first) break;
    first = false;
    if (::poll(open.data(), open.size(), static_cast<int>(std::max(left, 0ms).count())) <= 0) {
      break;
    }
    for (size_t j = 0; j < open.size(); ++j) {
      if (open[j].revents != 0 && PeerClosed(open[j].fd)) {
        closed[index[j]] = true;
        ++count;
      }
    }
  }
  return count;
}

TEST(HalfOpenConnectionsTest, GoodClientIsServedAndIdleHttpConnectionsAreClosed) {
  SpanBackend backend;
  ASSERT_TRUE(backend.Start().ok());
  PipelineOptions p{.backend_url = backend.Url(), .read_header_timeout = "1s"};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();

  // Headers cut off in the middle, and an HTTP/2 connection preface cut off in the middle.
  const auto opened = std::chrono::steady_clock::now();
  std::vector<int> http_fds, grpc_fds;
  for (int i = 0; i < kConnectionsPerPort; ++i) {
    const int h = OpenHalfRequest(otlpd.http_port(),
                                  "POST /v1/traces HTTP/1.1\r\nHost: otlpd\r\nContent-Type: appl");
    const int g = OpenHalfRequest(otlpd.grpc_port(), "PRI * HTTP/2.0\r\n\r\nSM");
    ASSERT_GE(h, 0);
    ASSERT_GE(g, 0);
    http_fds.push_back(h);
    grpc_fds.push_back(g);
  }
  // Well inside read_header_timeout nothing is closed yet (on a machine so loaded that opening
  // took most of the timeout, this check would prove nothing and is left out).
  if (std::chrono::steady_clock::now() - opened < 500ms) {
    EXPECT_EQ(WaitForPeerCloses(http_fds, 0ms), 0u);
  }

  // A good client on both protocols meanwhile: every request answered OK, promptly.
  LoadClient grpc_client({.grpc_target = otlpd.GrpcTarget(), .attempt_timeout = 2s});
  LoadClient http_client({.transport = LoadClient::Transport::kHttp,
                          .http_url = otlpd.HttpUrl(),
                          .attempt_timeout = 2s});
  for (int i = 0; i < 20; ++i) {
    const auto g = grpc_client.SendOnce(10);
    EXPECT_TRUE(g.ok) << "gRPC attempt " << i << ": code " << g.code << " " << g.message;
    const auto h = http_client.SendOnce(10);
    EXPECT_TRUE(h.ok) << "HTTP attempt " << i << ": status " << h.code << " " << h.message;
  }
  auto acked = grpc_client.Acked();
  const auto http_acked = http_client.Acked();
  acked.insert(acked.end(), http_acked.begin(), http_acked.end());
  EXPECT_EQ(acked.size(), 400u);
  EXPECT_TRUE(backend.WaitForAll(acked, 10s)) << backend.Missing(acked).size() << " missing";

  // read_header_timeout is 1s: every idle HTTP connection is closed after it, none before.
  EXPECT_EQ(WaitForPeerCloses(http_fds, 10s), http_fds.size());
  EXPECT_GE(std::chrono::steady_clock::now() - opened, 900ms);
  EXPECT_TRUE(otlpd.Running()) << otlpd.Output();

  for (int fd : http_fds) ::close(fd);
  for (int fd : grpc_fds) ::close(fd);
  EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
  EXPECT_EQ(backend.Duplicates(), 0u);
}

}  // namespace
}  // namespace otlpd
