// Test harness for the otlp receiver: an in-process OtlpReceiver on 127.0.0.1:0 feeding
// SinkConsumers (or any consumers a test passes), plus small HTTP clients - libcurl for
// ordinary requests and a raw socket for what curl will not do (pipelining, stalling headers).
//
//   Harness h;
//   h.cfg.http.emplace();                        // endpoint 127.0.0.1:0 is set by Start
//   ASSERT_TRUE(h.Start().ok());
//   HttpResult r = HttpPost(h.http_port(), "/v1/traces", body, "application/x-protobuf");
//   ASSERT_TRUE(h.traces.WaitForItems(3, 5s));
#pragma once

#include <curl/curl.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/self_metrics.h"
#include "receivers/otlp/otlp_receiver.h"
#include "tests/support/sink_consumer.h"

namespace otlpd::receiver::otlp::test {

using namespace std::chrono_literals;

class NoExtensionsHost : public Host {
 public:
  Extension* GetExtension(const ComponentId&) const override { return nullptr; }
};

struct Harness {
  Harness() {
    cfg.grpc.reset();
    cfg.http.reset();
  }
  ~Harness() { Stop(); }

  // Starts a receiver with `cfg` (endpoints forced to 127.0.0.1:0 unless `keep_endpoints`),
  // feeding `next` or, by default, the three sinks.
  Status Start(std::optional<ReceiverConsumers> next = std::nullopt, bool keep_endpoints = false) {
    if (!keep_endpoints) {
      if (cfg.grpc) cfg.grpc->endpoint = "127.0.0.1:0";
      if (cfg.http) cfg.http->endpoint = "127.0.0.1:0";
    }
    CreateSettings settings;
    settings.id = ComponentId("otlp");
    settings.metrics = &metrics;
    receiver = std::make_unique<OtlpReceiver>(
        settings, cfg, next.value_or(ReceiverConsumers{&traces, &metrics_sink, &logs}));
    return receiver->Start(host);
  }
  void Stop() {
    if (receiver) {
      EXPECT_TRUE(receiver->Shutdown(std::chrono::steady_clock::now() + 5s).ok());
      receiver.reset();
    }
  }
  int http_port() const { return receiver->http_port(); }
  int grpc_port() const { return receiver->grpc_port(); }
  int64_t Counter(const std::string& name, const std::string& transport) const {
    return metrics.CounterValue(name, {{"receiver", "otlp"}, {"transport", transport}});
  }

  OtlpReceiverConfig cfg;
  SelfMetrics metrics;
  otlpd::testing::SinkConsumer<TracesBatch> traces;
  otlpd::testing::SinkConsumer<MetricsBatch> metrics_sink;
  otlpd::testing::SinkConsumer<LogsBatch> logs;
  NoExtensionsHost host;
  std::unique_ptr<OtlpReceiver> receiver;
};

struct HttpResult {
  long code = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  CURLcode curl = CURLE_OK;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline size_t CollectBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

inline size_t CollectHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

// One request with libcurl. `headers` are full lines ("Content-Encoding: gzip"). curl's own
// "Expect: 100-continue" is switched off unless a test asks for it.
inline HttpResult HttpRequest(int port, const std::string& method, const std::string& path,
                              const std::string& body, const std::string& content_type,
                              std::vector<std::string> headers = {}, CURL* reuse = nullptr) {
  HttpResult r;
  CURL* curl = reuse != nullptr ? reuse : curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_slist* list = nullptr;
  if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
  bool expect_set = false;
  for (const auto& h : headers) expect_set |= h.rfind("Expect:", 0) == 0;
  if (!expect_set) headers.push_back("Expect:");
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  r.curl = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.code);
  curl_slist_free_all(list);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  if (reuse == nullptr) curl_easy_cleanup(curl);
  return r;
}

inline HttpResult HttpPost(int port, const std::string& path, const std::string& body,
                           const std::string& content_type,
                           std::vector<std::string> headers = {}) {
  return HttpRequest(port, "POST", path, body, content_type, std::move(headers));
}

// A blocking TCP client for byte-exact HTTP: what a test writes is what the server reads.
class RawClient {
 public:
  explicit RawClient(int port) : socket_(ioc_) {
    boost::system::error_code ec;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)}, ec);
    connected_ = !ec;
  }
  bool connected() const { return connected_; }
  void Write(const std::string& data) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(data), ec);
  }
  // Bytes received until `pred(all_so_far)` holds, the peer closes, or `timeout` passes.
  template <class Pred>
  std::string ReadUntil(Pred pred, std::chrono::milliseconds timeout, bool* closed = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (closed != nullptr) *closed = false;
    while (!pred(received_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd pfd{socket_.native_handle(), POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[65536];
      const ssize_t n = ::recv(socket_.native_handle(), buf, sizeof(buf), 0);
      if (n <= 0) {
        if (closed != nullptr) *closed = true;
        break;
      }
      received_.append(buf, static_cast<size_t>(n));
    }
    return received_;
  }
  // Waits until the server closes the connection; true if it did within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout) {
    bool closed = false;
    ReadUntil([](const std::string&) { return false; }, timeout, &closed);
    return closed;
  }
  // Number of complete "HTTP/1.1 " status lines received so far.
  static size_t CountResponses(const std::string& s) {
    size_t n = 0;
    for (size_t pos = s.find("HTTP/1.1 "); pos != std::string::npos; pos = s.find("HTTP/1.1 ", pos + 1)) ++n;
    return n;
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  bool connected_ = false;
  std::string received_;
};

}  // namespace otlpd::receiver::otlp::test
