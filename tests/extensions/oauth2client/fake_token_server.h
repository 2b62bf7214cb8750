// FakeTokenServer: an OAuth2 token endpoint (client-credentials grant) on the loopback
// FakeHttpServer, for oauth2client tests. It checks what a real authorization server checks
// (grant type, client id and secret, in the Basic header or in the body, the audience
// parameter), counts requests, issues numbered tokens with a lifetime the test chooses, and can
// be told to fail.
//
//   FakeTokenServer tokens({.client_secret = "s3cret", .expires_in = 3});
//   ASSERT_TRUE(tokens.Start().ok());
//   cfg.token_url = tokens.TokenUrl();
//   ... EXPECT_EQ(tokens.Issued(), 1); EXPECT_EQ(tokens.LastForm().at("audience"), "b14");
#pragma once

#include <openssl/evp.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/fake_http_server.h"

namespace otlpd::testing {

// A decoded application/x-www-form-urlencoded body: every value of every key, in order.
using Form = std::map<std::string, std::vector<std::string>>;

inline std::string PercentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

inline Form ParseFormBody(std::string_view body) {
  Form form;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    const size_t eq = pair.find('=');
    form[PercentDecode(pair.substr(0, eq))].push_back(
        eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1)));
  }
  return form;
}

inline std::string Base64Decode(const std::string& in) {
  std::string out(in.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0) return "";
  out.resize(static_cast<size_t>(n));
  // EVP_DecodeBlock counts padding as zero bytes.
  for (size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) out.pop_back();
  return out;
}

class FakeTokenServer {
 public:
  struct Options {
    std::string client_id = "agent";
    std::string client_secret = "s3cret-Value-42";
    std::string audience = "b14collector";  // required when non-empty
    int expires_in = 3600;                  // seconds; < 0 leaves expires_in out of the answer
    bool accept_basic = true;               // credentials in the Authorization header
    bool accept_body = true;                // credentials as form fields
    bool form_answer = false;               // answer form-encoded instead of JSON
    bool tls = false;
    uint16_t port = 0;                      // to bring a stopped server back on its port
    std::shared_ptr<const TestCertificate> certificate;
  };

  explicit FakeTokenServer(Options options)
      : options_(std::move(options)),
        server_(FakeHttpServer::Options{.tls = options_.tls,
                                        .port = options_.port,
                                        .certificate = options_.certificate}) {
    server_.SetHandler([this](const RecordedRequest& r) { return Answer(r); });
  }
  // The server's threads run Answer(), which writes the members below; they must be joined
  // before those members are destroyed (members die in reverse order, server_ last).
  ~FakeTokenServer() { server_.Stop(); }
  FakeTokenServer(const FakeTokenServer&) = delete;
  FakeTokenServer& operator=(const FakeTokenServer&) = delete;

  Status Start() { return server_.Start(); }
  void Stop() { server_.Stop(); }
  FakeHttpServer& http() { return server_; }
  std::string TokenUrl() const { return server_.Url() + "/oauth2/token"; }

  void SetClientSecret(std::string secret) {
    std::lock_guard lock(mu_);
    options_.client_secret = std::move(secret);
  }
  void SetExpiresIn(int seconds) {
    std::lock_guard lock(mu_);
    options_.expires_in = seconds;
  }
  // The next `n` requests are answered with `status` (and an RFC 6749 error body).
  void FailNext(int n, int status) {
    std::lock_guard lock(mu_);
    fail_next_ = n;
    fail_status_ = status;
  }

  size_t Requests() const { return server_.RequestCount(); }
  int Issued() const {
    std::lock_guard lock(mu_);
    return issued_;
  }
  // The form of the last request, and how its credentials came.
  Form LastForm() const {
    std::lock_guard lock(mu_);
    return last_form_;
  }
  bool LastUsedBasic() const {
    std::lock_guard lock(mu_);
    return last_basic_;
  }

 private:
  static CannedResponse Json(int status, const std::string& body) {
    return {.status = status, .headers = {{"Content-Type", "application/json"}}, .body = body};
  }
  static CannedResponse Error(int status, const std::string& code, const std::string& why) {
    return Json(status, "{\"error\":\"" + code + "\",\"error_description\":\"" + why + "\"}");
  }

  CannedResponse Answer(const RecordedRequest& r) {
    std::lock_guard lock(mu_);
    if (r.method != "POST" || r.target != "/oauth2/token") return Error(404, "not_found", "");
    if (fail_next_ > 0) {
      --fail_next_;
      return Error(fail_status_, "temporarily_unavailable", "scripted failure");
    }
    if (r.Header("content-type") != "application/x-www-form-urlencoded") {
      return Error(400, "invalid_request", "not a form");
    }
    Form form = ParseFormBody(r.body);
    last_form_ = form;
    auto one = [&](const std::string& key) {
      auto it = form.find(key);
      return it == form.end() || it->second.empty() ? std::string() : it->second.front();
    };
    std::string id, secret;
    const std::string auth = r.Header("authorization");
    last_basic_ = auth.rfind("Basic ", 0) == 0;
    if (last_basic_) {
      if (!options_.accept_basic) return Error(401, "invalid_client", "use the body");
      const std::string pair = Base64Decode(auth.substr(6));
      const size_t colon = pair.find(':');
      id = PercentDecode(pair.substr(0, colon));
      secret = colon == std::string::npos ? "" : PercentDecode(pair.substr(colon + 1));
    } else {
      if (!options_.accept_body) return Error(401, "invalid_client", "use basic auth");
      id = one("client_id");
      secret = one("client_secret");
    }
    if (one("grant_type") != "client_credentials") {
      return Error(400, "unsupported_grant_type", "expected client_credentials");
    }
    if (id != options_.client_id || secret != options_.client_secret) {
      return Error(401, "invalid_client", "client authentication failed");
    }
    if (!options_.audience.empty() && one("audience") != options_.audience) {
      return Error(400, "invalid_request", "unknown audience");
    }
    const std::string token = "token-" + std::to_string(++issued_);
    if (options_.form_answer) {
      std::string body = "access_token=" + token + "&token_type=bearer";
      if (options_.expires_in >= 0) body += "&expires_in=" + std::to_string(options_.expires_in);
      return {.status = 200,
              .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
              .body = body};
    }
    std::string body = "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\"";
    if (options_.expires_in >= 0) body += ",\"expires_in\":" + std::to_string(options_.expires_in);
    return Json(200, body + "}");
  }

  mutable std::mutex mu_;
  Options options_;
  FakeHttpServer server_;
  int issued_ = 0;
  int fail_next_ = 0;
  int fail_status_ = 503;
  Form last_form_;
  bool last_basic_ = false;
};

}  // namespace otlpd::testing
