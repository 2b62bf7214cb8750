#include "config/yaml_scalar.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace otlpd::config {
namespace {

TEST(ConfigYamlScalar, Integers) {
  EXPECT_EQ(ParseYamlInt("42"), 42);
  EXPECT_EQ(ParseYamlInt("-7"), -7);
  EXPECT_EQ(ParseYamlInt("+7"), 7);
  EXPECT_EQ(ParseYamlInt("0x1F"), 31);
  EXPECT_EQ(ParseYamlInt("0X1f"), 31);
  EXPECT_EQ(ParseYamlInt("0o17"), 15);
  EXPECT_EQ(ParseYamlInt("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ParseYamlInt("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseYamlInt("9223372036854775808"), std::nullopt);
  for (const char* bad : {"", "-", "1.5", "12a", "0x", "1_000", " 1"}) {
    EXPECT_EQ(ParseYamlInt(bad), std::nullopt) << bad;
  }
}

TEST(ConfigYamlScalar, Floats) {
  EXPECT_EQ(ParseYamlFloat("1.5"), 1.5);
  EXPECT_EQ(ParseYamlFloat("-2e3"), -2000.0);
  EXPECT_EQ(ParseYamlFloat(".5"), 0.5);
  EXPECT_EQ(ParseYamlFloat("-.inf"), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(*ParseYamlFloat(".nan")));
  for (const char* bad : {"", ".", "1e", "e5", "1.2.3", "abc", "inf"}) {
    EXPECT_EQ(ParseYamlFloat(bad), std::nullopt) << bad;
  }
}

TEST(ConfigYamlScalar, BoolsAndNull) {
  EXPECT_EQ(ParseYamlBool("True"), true);
  EXPECT_EQ(ParseYamlBool("FALSE"), false);
  EXPECT_EQ(ParseYamlBool("yes"), std::nullopt);  // YAML 1.1 only
  EXPECT_TRUE(IsYamlNull("~"));
  EXPECT_TRUE(IsYamlNull(""));
  EXPECT_FALSE(IsYamlNull("nil"));
}

}  // namespace
}  // namespace otlpd::config
