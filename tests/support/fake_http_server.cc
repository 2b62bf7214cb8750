#include "tests/support/fake_http_server.h"

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace otlpd::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// Large enough for any test payload, small enough that a runaway client cannot exhaust memory.
constexpr uint64_t kMaxRequestBody = 256ull << 20;

std::string Lower(std::string_view s) {
  std::string out(s.data(), s.size());
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Beast 1.74 hands out boost::string_view.
std::string Str(beast::string_view s) { return std::string(s.data(), s.size()); }

// mkstemp gives a unique name that no parallel test can race for.
std::string WriteTempFile(std::string_view prefix, const std::string& content) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) return "";
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  return std::string(name.data());
}

template <class T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO, BIO_free_all>>;

bool AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

std::string BioText(BIO* bio) {
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  return mem == nullptr ? std::string() : std::string(mem->data, mem->length);
}

// Everything the sessions share with the server object: the script and the record. Lives in the
// server's Impl; sessions are destroyed (with the io_context) before it.
struct ServerCore {
  mutable std::mutex mu;
  mutable std::condition_variable cv;
  FakeHttpServer::Handler handler;
  std::deque<CannedResponse> queue;
  CannedResponse default_response;
  std::vector<RecordedRequest> requests;
  size_t connections = 0;

  // Records `request` and picks its answer. The handler runs outside the lock, so it may call
  // back into the server (Enqueue, RequestCount).
  CannedResponse Answer(RecordedRequest request) {
    FakeHttpServer::Handler h;
    std::optional<CannedResponse> answer;
    {
      std::lock_guard lock(mu);
      h = handler;
      if (!h) {
        if (!queue.empty()) {
          answer = std::move(queue.front());
          queue.pop_front();
        } else {
          answer = default_response;
        }
      }
    }
    if (h) answer = h(request);
    {
      std::lock_guard lock(mu);
      requests.push_back(std::move(request));
    }
    cv.notify_all();
    return std::move(*answer);
  }
};

// One connection: (TLS handshake,) then read a request, answer, and again while keep-alive.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  Session(ServerCore* core, tcp::socket&& socket, Args&... args)
      : core_(core), stream_(std::move(socket), args...), timer_(stream_.get_executor()) {}

  void Run() {
    // Sessions run on their own strand (the socket's executor); enter it before touching state.
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->stream_.async_handshake(ssl::stream_base::server,
                                      [self](beast::error_code ec) {
                                        if (ec) return self->Close();
                                        self->ReadHeader();
                                      });
      } else {
        self->ReadHeader();
      }
    });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(kMaxRequestBody);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->OnHeader();
                            });
  }

  // Clients that send `Expect: 100-continue` wait (curl: one second) for this interim answer
  // before sending the body; answering at once keeps tests fast and the protocol honest.
  void OnHeader() {
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      interim_.emplace(http::status::continue_, parser_->get().version());
      http::async_write(stream_, *interim_,
                        [self = this->shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->OnRequest();
                     });
  }

  void OnRequest() {
    http::request<http::string_body> req = parser_->release();
    RecordedRequest rec;
    rec.method = Str(req.method_string());
    rec.target = Str(req.target());
    for (const auto& field : req) {
      const beast::string_view name = field.name_string();
      rec.headers.emplace_back(Lower(std::string_view(name.data(), name.size())),
                               Str(field.value()));
    }
    rec.body = std::move(req.body());
    keep_alive_ = req.keep_alive();

    CannedResponse answer = core_->Answer(std::move(rec));
    if (answer.close_without_response) return Close();

    response_ = {};
    response_.version(req.version());
    response_.result(static_cast<unsigned>(answer.status));
    for (const auto& [name, value] : answer.headers) response_.insert(name, value);
    response_.body() = std::move(answer.body);
    response_.keep_alive(keep_alive_);
    response_.prepare_payload();

    if (answer.delay > std::chrono::milliseconds::zero()) {
      timer_.expires_after(answer.delay);
      timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->Close();
        self->Write();
      });
      return;
    }
    Write();
  }

  void Write() {
    http::async_write(stream_, response_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (ec || !self->keep_alive_) return self->Close();
                        self->ReadHeader();
                      });
  }

  // Abrupt on purpose (no TLS close_notify): a test server must never wait for a client.
  void Close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  ServerCore* core_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> interim_;
  http::response<http::string_body> response_;
  bool keep_alive_ = true;
};

}  // namespace

TestCertificate::TestCertificate(std::string cert_pem, std::string key_pem)
    : cert_pem_(std::move(cert_pem)), key_pem_(std::move(key_pem)) {
  cert_file_ = WriteTempFile("otlpd-test-cert-", cert_pem_);
  key_file_ = WriteTempFile("otlpd-test-key-", key_pem_);
}

TestCertificate::~TestCertificate() {
  std::error_code ignored;
  if (!cert_file_.empty()) std::filesystem::remove(cert_file_, ignored);
  if (!key_file_.empty()) std::filesystem::remove(key_file_, ignored);
}

std::shared_ptr<const TestCertificate> MakeSelfSignedCertificate(std::string_view common_name) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  if (!key || !cert) return nullptr;

  uint64_t serial = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial) != 1) return nullptr;
  serial >>= 1;  // keep it positive
  const std::string cn(common_name);
  bool ok = X509_set_version(cert.get(), 2) == 1 &&
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2 * 86400) != nullptr &&
            X509_set_pubkey(cert.get(), key.get()) == 1;
  X509_NAME* name = X509_get_subject_name(cert.get());
  ok = ok &&
       X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                  reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                  0) == 1 &&
       X509_set_issuer_name(cert.get(), name) == 1;
  // Self-signed and used as its own trust anchor: CA:TRUE lets a client load it as ca_file; the
  // alternative names are what clients check against the address they dialled.
  ok = ok && AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") &&
       AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") &&
       AddExtension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth") &&
       AddExtension(cert.get(), NID_subject_key_identifier, "hash") &&
       AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1") &&
       X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) return nullptr;

  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                               nullptr) != 1) {
    return nullptr;
  }
  return std::make_shared<const TestCertificate>(BioText(cert_bio.get()), BioText(key_bio.get()));
}

std::string RecordedRequest::Header(std::string_view name) const {
  const std::string lower = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == lower) return v;
  }
  return "";
}

bool RecordedRequest::HasHeader(std::string_view name) const {
  const std::string lower = Lower(name);
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return h.first == lower; });
}

struct FakeHttpServer::Impl {
  explicit Impl(Options o) : options(std::move(o)) {}

  void Accept() {
    acceptor->async_accept(asio::make_strand(*ioc), [this](beast::error_code ec,
                                                           tcp::socket socket) {
      if (ec) {
        // Closed by Stop(), or the process is out of descriptors: either way stop accepting
        // rather than spin.
        return;
      }
      {
        std::lock_guard lock(core.mu);
        ++core.connections;
      }
      if (ssl_ctx) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(&core, std::move(socket),
                                                                         *ssl_ctx)
            ->Run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(&core, std::move(socket))->Run();
      }
      Accept();
    });
  }

  Options options;
  std::shared_ptr<const TestCertificate> cert;
  ServerCore core;
  uint16_t port = 0;
  // Destroyed in Stop() in reverse order of creation: the io_context last, taking every
  // pending handler and with it every session and its socket.
  std::unique_ptr<ssl::context> ssl_ctx;
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
};

FakeHttpServer::FakeHttpServer() : FakeHttpServer(Options{}) {}

FakeHttpServer::FakeHttpServer(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeHttpServer::~FakeHttpServer() { Stop(); }

Status FakeHttpServer::Start() {
  Impl& s = *impl_;
  if (s.ioc) return FailedPreconditionError("fake HTTP server already started");
  beast::error_code ec;
  if (s.options.tls) {
    s.cert = s.options.certificate ? s.options.certificate : MakeSelfSignedCertificate();
    if (!s.cert) return InternalError("cannot generate a self-signed certificate");
    s.ssl_ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    s.ssl_ctx->use_certificate_chain(asio::buffer(s.cert->cert_pem()), ec);
    if (!ec) s.ssl_ctx->use_private_key(asio::buffer(s.cert->key_pem()), ssl::context::pem, ec);
    if (ec) return InternalError("cannot load the test certificate: " + ec.message());
  }
  const int threads = std::max(1, s.options.threads);
  s.ioc = std::make_unique<asio::io_context>(threads);
  s.work = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
      s.ioc->get_executor());
  s.acceptor = std::make_unique<tcp::acceptor>(*s.ioc);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), s.options.port);
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    const std::string what = "cannot listen on 127.0.0.1:" + std::to_string(s.options.port) +
                             ": " + ec.message();
    Stop();
    return UnavailableError(what);
  }
  s.port = s.acceptor->local_endpoint().port();
  s.Accept();
  for (int i = 0; i < threads; ++i) s.threads.emplace_back([&s] { s.ioc->run(); });
  return OkStatus();
}

void FakeHttpServer::Stop() {
  Impl& s = *impl_;
  if (!s.ioc) return;
  s.ioc->stop();
  for (std::thread& t : s.threads) t.join();
  s.threads.clear();
  if (s.acceptor) {
    beast::error_code ignored;
    s.acceptor->close(ignored);
  }
  s.acceptor.reset();
  s.work.reset();
  s.ioc.reset();
  s.ssl_ctx.reset();
}

uint16_t FakeHttpServer::port() const { return impl_->port; }

std::string FakeHttpServer::Url() const {
  return std::string(impl_->options.tls ? "https" : "http") + "://127.0.0.1:" +
         std::to_string(impl_->port);
}

std::shared_ptr<const TestCertificate> FakeHttpServer::certificate() const { return impl_->cert; }

std::string FakeHttpServer::CaFile() const {
  return impl_->cert ? impl_->cert->cert_file() : std::string();
}

void FakeHttpServer::SetHandler(Handler handler) {
  std::lock_guard lock(impl_->core.mu);
  impl_->core.handler = std::move(handler);
}

void FakeHttpServer::Enqueue(CannedResponse response) {
  std::lock_guard lock(impl_->core.mu);
  impl_->core.queue.push_back(std::move(response));
}

void FakeHttpServer::SetDefaultResponse(CannedResponse response) {
  std::lock_guard lock(impl_->core.mu);
  impl_->core.default_response = std::move(response);
}

bool FakeHttpServer::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->core.mu);
  return impl_->core.cv.wait_for(lock, timeout,
                                 [&] { return impl_->core.requests.size() >= n; });
}

size_t FakeHttpServer::RequestCount() const {
  std::lock_guard lock(impl_->core.mu);
  return impl_->core.requests.size();
}

std::vector<RecordedRequest> FakeHttpServer::Requests() const {
  std::lock_guard lock(impl_->core.mu);
  return impl_->core.requests;
}

size_t FakeHttpServer::ConnectionCount() const {
  std::lock_guard lock(impl_->core.mu);
  return impl_->core.connections;
}

}  // namespace otlpd::testing
