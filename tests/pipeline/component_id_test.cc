#include "pipeline/component_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace otlpd {
namespace {

using ::testing::HasSubstr;

TEST(ComponentIdTest, ParsesTypeAndName) {
  auto id = ComponentId::Parse("otlp_http/b14");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->type(), "otlp_http");
  EXPECT_EQ(id->name(), "b14");
  EXPECT_EQ(id->ToString(), "otlp_http/b14");
  auto plain = ComponentId::Parse("batch");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->name(), "");
  EXPECT_EQ(plain->ToString(), "batch");
}

TEST(ComponentIdTest, RejectsMalformedIds) {
  EXPECT_THAT(ComponentId::Parse("").status().message(), HasSubstr("type must match"));
  EXPECT_THAT(ComponentId::Parse("1otlp").status().message(), HasSubstr("type must match"));
  EXPECT_THAT(ComponentId::Parse("otlp-http").status().message(), HasSubstr("type must match"));
  EXPECT_THAT(ComponentId::Parse("otlp/").status().message(), HasSubstr("must not be empty"));
  EXPECT_THAT(ComponentId::Parse("otlp/a/b").status().message(), HasSubstr("only one '/'"));
  EXPECT_THAT(ComponentId::Parse("otlp/a b").status().message(), HasSubstr("spaces"));
  EXPECT_FALSE(ComponentId::Parse(std::string(64, 'a')).ok());
  EXPECT_TRUE(ComponentId::Parse(std::string(63, 'a')).ok());
}

}  // namespace
}  // namespace otlpd
