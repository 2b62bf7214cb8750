// TLS on both transports, with a self-signed certificate made by the test (OpenSSL API) for
// 127.0.0.1, and the start errors for unusable TLS files.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <filesystem>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "tests/receivers/otlp/harness.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::receiver::otlp::test {
namespace {

using ::testing::HasSubstr;

// A key and a self-signed certificate for IP 127.0.0.1, written as PEM into a fresh directory.
class SelfSignedCert {
 public:
  SelfSignedCert() {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("otlpd_tls_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("otlpd test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                     std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(cert, key, EVP_sha256());
    FILE* f = std::fopen(cert_file().c_str(), "w");
    PEM_write_X509(f, cert);
    std::fclose(f);
    f = std::fopen(key_file().c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~SelfSignedCert() { std::filesystem::remove_all(dir_); }
  std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  std::string key_file() const { return (dir_ / "key.pem").string(); }
  std::string cert_pem() const {
    std::ifstream in(cert_file());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

TEST(TlsTest, HttpsServesOnlyTls) {
  SelfSignedCert cert;
  Harness h;
  h.cfg.http.emplace();
  h.cfg.http->tls = TlsServerConfig{cert.cert_file(), cert.key_file(), ""};
  Status s = h.Start();
  ASSERT_TRUE(s.ok()) << s.ToString();

  const std::string body = otlpd::testing::MakeTraces(2).request().SerializeAsString();
  CURL* curl = curl_easy_init();
  std::string response;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-protobuf");
  const std::string url = "https://127.0.0.1:" + std::to_string(h.http_port()) + "/v1/traces";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, cert.cert_file().c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  EXPECT_EQ(code, 200);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  EXPECT_TRUE(h.traces.WaitForItems(2, 5s));

  // Plain HTTP to the TLS port gets no HTTP answer.
  HttpResult plain = HttpPost(h.http_port(), "/v1/traces", body, "application/x-protobuf");
  EXPECT_NE(plain.code, 200);
}

TEST(TlsTest, GrpcServesTls) {
  SelfSignedCert cert;
  Harness h;
  h.cfg.grpc.emplace();
  h.cfg.grpc->tls = TlsServerConfig{cert.cert_file(), cert.key_file(), ""};
  Status s = h.Start();
  ASSERT_TRUE(s.ok()) << s.ToString();
  grpc::SslCredentialsOptions opts;
  opts.pem_root_certs = cert.cert_pem();
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(h.grpc_port()),
                                     grpc::SslCredentials(opts));
  auto stub = opentelemetry::proto::collector::trace::v1::TraceService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse resp;
  grpc::Status st = stub->Export(&ctx, otlpd::testing::MakeTraces(3).request(), &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(h.traces.WaitForItems(3, 5s));
}

TEST(TlsTest, UnusableFilesAreStartErrors) {
  Harness h;
  h.cfg.http.emplace();
  h.cfg.http->tls = TlsServerConfig{"/nonexistent/cert.pem", "/nonexistent/key.pem", ""};
  Status s = h.Start();
  EXPECT_THAT(s.message(), HasSubstr("(http): cannot load tls cert_file \"/nonexistent/cert.pem\""));

  Harness g;
  g.cfg.grpc.emplace();
  g.cfg.grpc->tls = TlsServerConfig{"/nonexistent/cert.pem", "/nonexistent/key.pem", ""};
  Status gs = g.Start();
  EXPECT_THAT(gs.message(), HasSubstr("(grpc): cannot read tls cert_file \"/nonexistent/cert.pem\""));
}

}  // namespace
}  // namespace otlpd::receiver::otlp::test
