// Errors and Location: exact line format, leaving out empty parts, and the stable sort by file
// (first appearance), line and column.
#include "config/errors.h"

#include <gtest/gtest.h>

namespace otlpd::config {
namespace {

TEST(ConfigLocation, ToString) {
  EXPECT_EQ((Location{"config.yaml", 27, 7}).ToString(), "config.yaml:27:7");
  EXPECT_EQ((Location{"config.yaml", 0, 0}).ToString(), "config.yaml");
  EXPECT_EQ((Location{"--set", 1, 12}).ToString(), "--set:1:12");
  EXPECT_EQ(Location{}.ToString(), "");
}

TEST(ConfigError, ToStringLeavesOutEmptyParts) {
  EXPECT_EQ((Error{{"c.yaml", 3, 5}, "a::b", "bad"}).ToString(), "c.yaml:3:5: a::b: bad");
  EXPECT_EQ((Error{{"c.yaml", 3, 5}, "", "bad"}).ToString(), "c.yaml:3:5: bad");
  EXPECT_EQ((Error{{}, "service", "bad"}).ToString(), "service: bad");
  EXPECT_EQ((Error{{"c.yaml", 0, 0}, "", "cannot read"}).ToString(), "c.yaml: cannot read");
}

TEST(ConfigErrors, SortsByFileInOrderOfAppearanceThenLineAndColumn) {
  Errors errors;
  errors.Add({"b.yaml", 10, 1}, "x", "b10");
  errors.Add({"a.yaml", 5, 9}, "y", "a5c9");
  errors.Add({"b.yaml", 2, 3}, "", "b2");
  errors.Add({"a.yaml", 5, 2}, "z", "a5c2");
  errors.Add({"b.yaml", 2, 3}, "", "b2 again");  // same place: found order kept
  errors.Add({"a.yaml", 1, 1}, "w", "a1");
  errors.Warn({"a.yaml", 1, 1}, "", "only a warning");
  EXPECT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors.warnings().size(), 1u);
  EXPECT_EQ(errors.ToString(),
            "b.yaml:2:3: b2\n"
            "b.yaml:2:3: b2 again\n"
            "b.yaml:10:1: x: b10\n"
            "a.yaml:1:1: w: a1\n"
            "a.yaml:5:2: z: a5c2\n"
            "a.yaml:5:9: y: a5c9\n");
}

TEST(ConfigErrors, WarningsAloneLeaveItEmpty) {
  Errors errors;
  errors.Warn({"c.yaml", 1, 1}, "a", "unset");
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(errors.ToString(), "");
}

}  // namespace
}  // namespace otlpd::config
