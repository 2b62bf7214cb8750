// oauth2client config decoding (the reference pipeline's block among it) and the pure pieces of
// the token client: form encoding and parsing the token endpoint's answer.
#include <cstdlib>
#include <optional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "extensions/oauth2client/config.h"
#include "extensions/oauth2client/factory.h"
#include "extensions/oauth2client/token_client.h"

namespace otlpd::extension::oauth2client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

config::EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// Decodes the `oauth2client` map of `yaml` (a whole config, or just that map under
// `extensions:`) through the factory, as the service does.
Config Decode(const std::string& yaml, config::Errors& errors,
              std::map<std::string, std::string> vars = {}) {
  config::LoadResult loaded = config::LoadString(yaml, "c.yaml", Env(std::move(vars)), errors);
  Oauth2ClientFactory factory;
  auto cfg = factory.CreateDefaultConfig();
  const config::Node* node = loaded.root.Find("extensions")->Find("oauth2client");
  EXPECT_NE(node, nullptr);
  if (node == nullptr) return Config();
  config::MapReader reader(*node, "extensions::oauth2client", errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  return static_cast<Config&>(*cfg);
}

TEST(Oauth2ClientConfigTest, ReferencePipelineDecodesAsWritten) {
  const char* dir = std::getenv("OTLPD_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  config::Errors errors;
  config::LoadResult loaded = config::LoadFiles(
      {std::string(dir) + "/tests/testdata/config/valid/scout-pipeline.yaml"}, {},
      Env({{"SCOUT_CLIENT_ID", "scout-id"},
           {"SCOUT_CLIENT_SECRET", "scout-secret"},
           {"SCOUT_TOKEN_URL", "https://auth.example.com/oauth2/token"}}),
      errors);
  ASSERT_NE(loaded.root.Find("extensions"), nullptr);
  const config::Node* node = loaded.root.Find("extensions")->Find("oauth2client");
  ASSERT_NE(node, nullptr);
  Oauth2ClientFactory factory;
  auto base = factory.CreateDefaultConfig();
  config::MapReader reader(*node, "extensions::oauth2client", errors);
  factory.DecodeConfig(reader, *base);
  reader.Finish();
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  const Config& cfg = static_cast<Config&>(*base);
  EXPECT_EQ(cfg.client_id, "scout-id");
  EXPECT_EQ(cfg.client_secret.Reveal(), "scout-secret");
  EXPECT_EQ(cfg.token_url, "https://auth.example.com/oauth2/token");
  EXPECT_EQ(cfg.endpoint_params.at("audience"), std::vector<std::string>{"b14collector"});
  EXPECT_EQ(cfg.timeout, 10s);
  EXPECT_TRUE(cfg.tls.insecure_skip_verify);
  EXPECT_EQ(cfg.expiry_buffer, 5min);
  EXPECT_EQ(cfg.default_token_lifetime, 1h);
  EXPECT_TRUE(cfg.scopes.empty());
}

TEST(Oauth2ClientConfigTest, EveryKey) {
  config::Errors errors;
  Config cfg = Decode(R"(extensions:
  oauth2client:
    client_id_file: /run/id
    client_secret_file: /run/secret
    token_url: http://localhost:9000/token
    scopes: [a, b]
    endpoint_params: {audience: x, resource: [r1, r2], grant_type: urn:custom}
    timeout: 2s
    expiry_buffer: 30s
    default_token_lifetime: 0s
    tls: {ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem, insecure_skip_verify: false}
)",
                      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.client_id_file, "/run/id");
  EXPECT_EQ(cfg.client_secret_file, "/run/secret");
  EXPECT_EQ(cfg.scopes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(cfg.endpoint_params.at("resource"), (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(cfg.endpoint_params.at("grant_type"), std::vector<std::string>{"urn:custom"});
  EXPECT_EQ(cfg.timeout, 2s);
  EXPECT_EQ(cfg.expiry_buffer, 30s);
  EXPECT_EQ(cfg.default_token_lifetime, 0s);
  EXPECT_EQ(cfg.tls.ca_file, "/ca.pem");
  EXPECT_EQ(cfg.tls.key_file, "/k.pem");
}

TEST(Oauth2ClientConfigTest, RequiredKeysAreNamed) {
  config::Errors errors;
  Decode("extensions:\n  oauth2client:\n", errors);
  const std::string text = errors.ToString();
  EXPECT_THAT(text, HasSubstr("extensions::oauth2client::client_id: missing"));
  EXPECT_THAT(text, HasSubstr("extensions::oauth2client::client_secret: missing"));
  EXPECT_THAT(text, HasSubstr("extensions::oauth2client::token_url: missing"));
}

TEST(Oauth2ClientConfigTest, ContradictionsAndTyposAreErrors) {
  config::Errors errors;
  Decode(R"(extensions:
  oauth2client:
    client_id: a
    client_id_file: /f
    client_secret: b
    token_url: ftp://x
    endpoint_params: {scope: x}
    tls: {cert_file: /c.pem}
    expiry_bufer: 1m
)",
         errors);
  const std::string text = errors.ToString();
  EXPECT_THAT(text, HasSubstr("client_id_file: set client_id or client_id_file, not both"));
  EXPECT_THAT(text, HasSubstr("token_url: must start with http:// or https://"));
  EXPECT_THAT(text, HasSubstr("endpoint_params::scope: cannot overwrite \"scope\""));
  EXPECT_THAT(text, HasSubstr("cert_file and key_file must be set together"));
  EXPECT_THAT(text, HasSubstr("unknown key \"expiry_bufer\" (did you mean \"expiry_buffer\"?)"));
}

TEST(Oauth2ClientConfigTest, SecretIsNotPrintedInErrors) {
  config::Errors errors;
  Decode(R"(extensions:
  oauth2client:
    client_secret: hunter2-secret
    client_secret_file: /f
)",
         errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("not both"));
  EXPECT_THAT(errors.ToString(), Not(HasSubstr("hunter2-secret")));
}

TEST(TokenClientTest, FormEncodingMatchesGo) {
  EXPECT_EQ(FormEscape("a b+c/d~e_f.g-h"), "a+b%2Bc%2Fd~e_f.g-h");
  EXPECT_EQ(FormEscape("é"), "%C3%A9");
  EXPECT_EQ(FormEncode({{"scope", "x y"}, {"grant_type", "client_credentials"}, {"a", "1"},
                        {"a", "2"}}),
            "a=1&a=2&grant_type=client_credentials&scope=x+y");
}

TEST(TokenClientTest, ParsesJsonAnswer) {
  auto t = ParseTokenResponse(
      200, "application/json; charset=utf-8",
      R"({"access_token":"abc","token_type":"bearer","expires_in":3600,"scope":"x"})", "U");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->access_token, "abc");
  EXPECT_EQ(t->token_type, "Bearer");
  EXPECT_EQ(t->expires_in, std::chrono::seconds(3600));
}

TEST(TokenClientTest, ExpiresInMayBeAStringOrMissing) {
  auto s = ParseTokenResponse(200, "application/json", R"({"access_token":"a","expires_in":"60"})",
                              "U");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->expires_in, std::chrono::seconds(60));
  EXPECT_EQ(s->token_type, "Bearer");  // none given
  auto none = ParseTokenResponse(200, "application/json", R"({"access_token":"a"})", "U");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->expires_in.has_value());
  auto zero = ParseTokenResponse(200, "", R"({"access_token":"a","expires_in":0})", "U");
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(zero->expires_in.has_value());
}

TEST(TokenClientTest, ParsesFormAnswer) {
  auto t = ParseTokenResponse(200, "application/x-www-form-urlencoded",
                              "access_token=a%2Fb&token_type=mac&expires_in=10", "U");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->access_token, "a/b");
  EXPECT_EQ(t->token_type, "MAC");
  EXPECT_EQ(t->expires_in, std::chrono::seconds(10));
}

TEST(TokenClientTest, FailuresNameUrlStatusAndServerError) {
  const std::string url = "https://auth.example.com/token";
  auto refused = ParseTokenResponse(
      401, "application/json",
      R"({"error":"invalid_client","error_description":"bad secret"})", url);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message(),
            "token endpoint " + url + " answered HTTP 401 (invalid_client: bad secret)");

  auto error_with_200 = ParseTokenResponse(200, "application/json", R"({"error":"slow_down"})", url);
  ASSERT_FALSE(error_with_200.ok());
  EXPECT_THAT(error_with_200.status().message(), HasSubstr("slow_down"));

  auto no_token = ParseTokenResponse(200, "application/json", R"({"token_type":"bearer"})", url);
  ASSERT_FALSE(no_token.ok());
  EXPECT_THAT(no_token.status().message(), HasSubstr("without an access_token"));

  auto html = ParseTokenResponse(200, "text/html", "<html>login</html>", url);
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().message(), HasSubstr("not a JSON object"));

  auto gateway = ParseTokenResponse(502, "text/html", "<html>bad gateway</html>", url);
  ASSERT_FALSE(gateway.ok());
  EXPECT_EQ(gateway.status().message(), "token endpoint " + url + " answered HTTP 502");
}

}  // namespace
}  // namespace otlpd::extension::oauth2client
