// CorsPolicy: origin patterns and preflight answers.
#include "receivers/otlp/cors.h"

#include <gtest/gtest.h>

namespace otlpd::receiver::otlp {
namespace {

CorsConfig Config(std::vector<std::string> origins, std::vector<std::string> headers = {},
                  int64_t max_age = 0) {
  CorsConfig c;
  c.allowed_origins = std::move(origins);
  c.allowed_headers = std::move(headers);
  c.max_age = max_age;
  return c;
}

TEST(CorsPolicyTest, ExactOriginsMatchCaseInsensitively) {
  CorsPolicy p(Config({"https://app.example.com"}));
  EXPECT_EQ(p.AllowOrigin("https://app.example.com"), "https://app.example.com");
  EXPECT_EQ(p.AllowOrigin("HTTPS://APP.example.com"), "HTTPS://APP.example.com");
  EXPECT_EQ(p.AllowOrigin("https://app.example.com.evil"), std::nullopt);
  EXPECT_EQ(p.AllowOrigin(""), std::nullopt);
}

TEST(CorsPolicyTest, WildcardsMatchPrefixAndSuffix) {
  CorsPolicy p(Config({"https://*.example.com"}));
  EXPECT_TRUE(p.AllowOrigin("https://a.example.com"));
  EXPECT_TRUE(p.AllowOrigin("https://a.b.example.com"));
  EXPECT_FALSE(p.AllowOrigin("http://a.example.com"));
  EXPECT_FALSE(p.AllowOrigin("https://example.com"));
  EXPECT_FALSE(p.AllowOrigin("https://a.example.com.evil.org"));
  CorsPolicy any(Config({"*"}));
  EXPECT_EQ(any.AllowOrigin("https://whatever.org"), "*");
}

TEST(CorsPolicyTest, PreflightChecksMethodAndHeaders) {
  CorsPolicy p(Config({"https://*.example.com"}, {"X-Tenant"}, 600));
  auto ok = p.Preflight("https://a.example.com", "POST", "Content-Type, x-tenant");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->allow_origin, "https://a.example.com");
  EXPECT_EQ(ok->allow_methods, "POST");
  EXPECT_EQ(ok->allow_headers, "content-type, x-tenant");
  EXPECT_EQ(ok->max_age, 600);
  EXPECT_FALSE(p.Preflight("https://a.example.com", "DELETE", ""));
  EXPECT_FALSE(p.Preflight("https://a.example.com", "POST", "x-secret"));
  EXPECT_FALSE(p.Preflight("https://other.org", "POST", ""));
  CorsPolicy any_header(Config({"*"}, {"*"}));
  EXPECT_TRUE(any_header.Preflight("https://x.org", "POST", "x-anything"));
}

}  // namespace
}  // namespace otlpd::receiver::otlp
