#include "processors/filter/condition_group.h"

#include <gtest/gtest.h>

#include "processors/filter/ottl/parser.h"

namespace otlpd::processor::filter {
namespace {

using ottl::Level;

std::unique_ptr<ottl::Condition> SpanCondition(std::string_view text) {
  ottl::ParseResult r = ottl::Parse(text, {.family = ottl::Family::kTraces, .context = Level::kSpan});
  EXPECT_TRUE(r.ok()) << r.error.ToString();
  return std::move(r.condition);
}

class ConditionGroupTest : public ::testing::Test {
 protected:
  bool Matches(const ConditionGroup& group, const std::string& name, ConditionErrors* errors) {
    span_.set_name(name);
    ottl::EvalContext ctx;
    ctx.span = &span_;
    return group.Matches(ctx, errors);
  }
  opentelemetry::proto::trace::v1::Span span_;
};

TEST_F(ConditionGroupTest, IsMatchOnOnePathBecomesOneRegexSet) {
  ConditionGroup group;
  group.Add(SpanCondition(R"(IsMatch(name, "^a"))"), ErrorMode::kIgnore);
  group.Add(SpanCondition(R"(IsMatch(span.name, "b$"))"), ErrorMode::kIgnore);
  group.Add(SpanCondition(R"(IsMatch(name, "zz"))"), ErrorMode::kIgnore);
  group.Compile();
  EXPECT_EQ(group.size(), 3u);
  EXPECT_EQ(group.regex_set_count(), 1u);
  ConditionErrors errors;
  EXPECT_TRUE(Matches(group, "abc", &errors));
  EXPECT_TRUE(Matches(group, "xxb", &errors));
  EXPECT_TRUE(Matches(group, "xzzx", &errors));
  EXPECT_FALSE(Matches(group, "bbba", &errors));
  EXPECT_EQ(errors.ignored, 0);
}

TEST_F(ConditionGroupTest, DifferentPathsOrSingleRegexesStayPlain) {
  ConditionGroup group;
  group.Add(SpanCondition(R"(IsMatch(name, "^a"))"), ErrorMode::kIgnore);
  group.Add(SpanCondition(R"(IsMatch(attributes["x"], "^a"))"), ErrorMode::kIgnore);
  group.Compile();
  EXPECT_EQ(group.regex_set_count(), 0u);
  ConditionErrors errors;
  EXPECT_TRUE(Matches(group, "abc", &errors));
  EXPECT_FALSE(Matches(group, "cba", &errors));
}

TEST_F(ConditionGroupTest, NoMergeAcrossAConditionWhoseErrorMustPropagate) {
  ConditionGroup group;
  group.Add(SpanCondition(R"(IsMatch(name, "^a"))"), ErrorMode::kPropagate);
  group.Add(SpanCondition(R"(Len(attributes["n"]) > 100)"), ErrorMode::kPropagate);
  group.Add(SpanCondition(R"(IsMatch(name, "b$"))"), ErrorMode::kPropagate);
  group.Compile();
  EXPECT_EQ(group.regex_set_count(), 0u);
  // The Collector evaluates in order: the error of the second condition comes before the third
  // condition could drop the span.
  auto* attr = span_.add_attributes();
  attr->set_key("n");
  attr->mutable_value()->set_int_value(1);
  ConditionErrors errors;
  EXPECT_FALSE(Matches(group, "xxb", &errors));
  EXPECT_TRUE(errors.propagate);
  EXPECT_NE(errors.propagate_message.find("Len: expected a string"), std::string::npos);
}

TEST_F(ConditionGroupTest, MergeAcrossAConditionWhoseErrorIsIgnored) {
  ConditionGroup group;
  group.Add(SpanCondition(R"(IsMatch(name, "^a"))"), ErrorMode::kIgnore);
  group.Add(SpanCondition(R"(Len(attributes["n"]) > 100)"), ErrorMode::kIgnore);
  group.Add(SpanCondition(R"(IsMatch(name, "b$"))"), ErrorMode::kIgnore);
  group.Compile();
  EXPECT_EQ(group.regex_set_count(), 1u);
  ConditionErrors errors;
  EXPECT_TRUE(Matches(group, "xxb", &errors));
}

TEST_F(ConditionGroupTest, ErrorModes) {
  auto* attr = span_.add_attributes();
  attr->set_key("n");
  attr->mutable_value()->set_int_value(1);
  for (ErrorMode mode : {ErrorMode::kIgnore, ErrorMode::kSilent, ErrorMode::kPropagate}) {
    ConditionGroup group;
    group.Add(SpanCondition(R"(Len(attributes["n"]) > 0)"), mode);
    group.Add(SpanCondition(R"(name == "drop")"), mode);
    group.Compile();
    ConditionErrors errors;
    const bool hit = Matches(group, "drop", &errors);
    switch (mode) {
      case ErrorMode::kIgnore:
        EXPECT_TRUE(hit);  // the failing condition counts as false; the next one still runs
        EXPECT_EQ(errors.ignored, 1);
        EXPECT_NE(errors.first_ignored.find(R"(condition "Len(attributes["n"]) > 0")"),
                  std::string::npos)
            << errors.first_ignored;
        EXPECT_FALSE(errors.propagate);
        break;
      case ErrorMode::kSilent:
        EXPECT_TRUE(hit);
        EXPECT_EQ(errors.ignored, 0);
        EXPECT_FALSE(errors.propagate);
        break;
      case ErrorMode::kPropagate:
        EXPECT_FALSE(hit);
        EXPECT_TRUE(errors.propagate);
        break;
    }
  }
}

}  // namespace
}  // namespace otlpd::processor::filter
