// FakeHttpServer: a scripted loopback HTTP/1.1 server, plain or HTTPS, for tests of anything that
// talks HTTP (exporters, the oauth2 token client, end-to-end backends). Built on Boost.Beast, so
// the wire format is a real HTTP implementation's, not a hand-made one.
//
// It binds 127.0.0.1:0 (or a port you name, to bring a server back where a stopped one was),
// records every request (method, target, headers, raw body) and answers each one from, in this
// order: the handler when one is set, else the next queued canned response, else the default
// response (200 with an empty body). A canned response may be delayed (without blocking other
// connections) or may close the connection instead of answering, to model a transport error.
//
//   FakeHttpServer server({.tls = true});
//   ASSERT_TRUE(server.Start().ok());
//   server.Enqueue({.status = 503, .headers = {{"Retry-After", "2"}}});
//   // point a client at server.Url() + "/v1/traces" with tls.ca_file = server.CaFile()
//   ASSERT_TRUE(server.WaitForRequests(2, std::chrono::seconds(5)));
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/status.h"

namespace otlpd::testing {

// A self-signed certificate for "localhost" and 127.0.0.1 (EC P-256, valid for two days), usable
// as its own CA. The PEM texts are also written to temporary files, removed when the last
// reference goes away, so clients can name them in `tls.ca_file` / `cert_file` / `key_file`.
class TestCertificate {
 public:
  TestCertificate(std::string cert_pem, std::string key_pem);
  ~TestCertificate();
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  const std::string& cert_pem() const { return cert_pem_; }
  const std::string& key_pem() const { return key_pem_; }
  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }

 private:
  std::string cert_pem_;
  std::string key_pem_;
  std::string cert_file_;
  std::string key_file_;
};

// Generates a fresh key pair and certificate with the OpenSSL API. `common_name` is the subject
// (the subject alternative names are always DNS:localhost and IP:127.0.0.1). Two calls give two
// unrelated certificates: one can serve as the "wrong CA" for the other.
std::shared_ptr<const TestCertificate> MakeSelfSignedCertificate(
    std::string_view common_name = "localhost");

struct RecordedRequest {
  std::string method;  // "POST"
  std::string target;  // "/v1/traces?x=1": path and query as sent
  // In arrival order; names lower case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // raw, as received (still compressed if the client compressed it)

  // The first value of header `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

struct CannedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};  // e.g. {"Content-Type", "..."}
  std::string body{};
  // Wait this long before answering. Other connections are served meanwhile; Stop() abandons the
  // wait.
  std::chrono::milliseconds delay{0};
  // Close the connection after reading the request, without any answer.
  bool close_without_response = false;
};

class FakeHttpServer {
 public:
  struct Options {
    bool tls = false;
    uint16_t port = 0;  // 0: any free port (discover it with port())
    int threads = 2;    // I/O threads; handlers run on them, possibly concurrently
    // The certificate an HTTPS server presents; a fresh one when null. Pass the old server's
    // certificate() when restarting a server on the same port.
    std::shared_ptr<const TestCertificate> certificate{};
  };
  // Computes the answer to one request. Called on an I/O thread, possibly concurrently: it must
  // be thread-safe and must not block (use CannedResponse::delay to be slow).
  using Handler = std::function<CannedResponse(const RecordedRequest&)>;

  FakeHttpServer();
  explicit FakeHttpServer(Options options);
  ~FakeHttpServer();  // Stop()s
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  // Binds and starts serving. UNAVAILABLE when the port cannot be bound.
  Status Start();
  // Closes the listening socket and every connection, abandons delayed answers, joins the I/O
  // threads. Idempotent. Recorded requests stay readable.
  void Stop();

  uint16_t port() const;
  // "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>" (no trailing slash).
  std::string Url() const;
  // The presented certificate (null for plain HTTP) and its PEM file, for clients' ca_file.
  std::shared_ptr<const TestCertificate> certificate() const;
  std::string CaFile() const;

  void SetHandler(Handler handler);
  // Appends to the queue of one-shot answers, used when no handler is set.
  void Enqueue(CannedResponse response);
  // The answer when no handler is set and the queue is empty.
  void SetDefaultResponse(CannedResponse response);

  // True once at least `n` requests have been received (and recorded); false after `timeout`.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;
  size_t RequestCount() const;
  std::vector<RecordedRequest> Requests() const;
  // Connections accepted so far (keep-alive tests compare it with RequestCount()).
  size_t ConnectionCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otlpd::testing
