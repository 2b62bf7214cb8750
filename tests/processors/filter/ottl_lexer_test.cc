#include "processors/filter/ottl/lexer.h"

#include <gtest/gtest.h>

namespace otlpd::processor::filter::ottl {
namespace {

std::vector<TokenKind> Kinds(const LexResult& r) {
  std::vector<TokenKind> out;
  for (const auto& t : r.tokens) out.push_back(t.kind);
  return out;
}

TEST(OttlLexer, SplitsACondition) {
  LexResult r = Lex(R"(IsMatch(name, "^GET ") and kind >= 2 or not x.y["k"][0] != 1.5)");
  ASSERT_TRUE(r.ok) << r.error.message;
  EXPECT_EQ(Kinds(r),
            (std::vector<TokenKind>{
                TokenKind::kIdent, TokenKind::kLParen, TokenKind::kIdent, TokenKind::kComma,
                TokenKind::kString, TokenKind::kRParen, TokenKind::kAnd, TokenKind::kIdent,
                TokenKind::kGe, TokenKind::kInt, TokenKind::kOr, TokenKind::kNot, TokenKind::kIdent,
                TokenKind::kDot, TokenKind::kIdent, TokenKind::kLBracket, TokenKind::kString,
                TokenKind::kRBracket, TokenKind::kLBracket, TokenKind::kInt, TokenKind::kRBracket,
                TokenKind::kNe, TokenKind::kFloat, TokenKind::kEnd}));
  EXPECT_EQ(r.tokens[4].text, "^GET ");
  EXPECT_EQ(r.tokens[4].offset, 14u);
  EXPECT_EQ(r.tokens[9].int_value, 2);
  EXPECT_DOUBLE_EQ(r.tokens[22].float_value, 1.5);
}

TEST(OttlLexer, KeywordsAndLiterals) {
  LexResult r = Lex("true false nil 0x0aFF 1e3 42");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Kinds(r), (std::vector<TokenKind>{TokenKind::kTrue, TokenKind::kFalse, TokenKind::kNil,
                                              TokenKind::kBytes, TokenKind::kFloat, TokenKind::kInt,
                                              TokenKind::kEnd}));
  EXPECT_EQ(r.tokens[3].text, std::string("\x0a\xff", 2));
  EXPECT_DOUBLE_EQ(r.tokens[4].float_value, 1000);
}

TEST(OttlLexer, GoStringEscapes) {
  LexResult r = Lex(R"("a\"b\\c\n\t\x41\u00e9\101")");
  ASSERT_TRUE(r.ok) << r.error.message;
  EXPECT_EQ(r.tokens[0].text, "a\"b\\c\n\tA\xc3\xa9" "A");
}

TEST(OttlLexer, RegexBackslashMustBeDoubled) {
  LexResult bad = Lex(R"("^a\.b$")");
  ASSERT_FALSE(bad.ok);
  EXPECT_EQ(bad.error.offset, 3u);
  EXPECT_NE(bad.error.message.find("invalid escape"), std::string::npos);
  LexResult good = Lex(R"("^a\\.b$")");
  ASSERT_TRUE(good.ok);
  EXPECT_EQ(good.tokens[0].text, R"(^a\.b$)");
}

struct LexErrorCase {
  std::string text;
  size_t offset;
  std::string message_part;
};

class OttlLexErrors : public ::testing::TestWithParam<LexErrorCase> {};

TEST_P(OttlLexErrors, ReportOffsetAndMessage) {
  LexResult r = Lex(GetParam().text);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.offset, GetParam().offset);
  EXPECT_NE(r.error.message.find(GetParam().message_part), std::string::npos) << r.error.message;
}

INSTANTIATE_TEST_SUITE_P(
    All, OttlLexErrors,
    ::testing::Values(LexErrorCase{R"(name == "abc)", 8, "unterminated string"},
                      LexErrorCase{"name = 1", 5, "write == to compare"},
                      LexErrorCase{"name ! 1", 5, "write != to compare"},
                      LexErrorCase{"a && b", 2, "write and"},
                      LexErrorCase{"name == 'x'", 8, "double quotes"},
                      LexErrorCase{"trace_id == 0x123", 12, "even number of hex digits"},
                      LexErrorCase{"x == 0xzz", 7, "invalid hex digit"},
                      LexErrorCase{"x == 99999999999999999999", 5, "out of range"},
                      LexErrorCase{"x == 12abc", 7, "after a number"},
                      LexErrorCase{"x == @", 5, "unexpected character"},
                      LexErrorCase{R"(x == "\u12")", 6, "4 hex digits"}));

TEST(OttlLexer, ColumnsCountCharactersNotBytes) {
  const std::string text = "\"\xc3\xa9\" == x";  // "é" == x
  EXPECT_EQ(ColumnOf(text, 0), 1);
  EXPECT_EQ(ColumnOf(text, 4), 4);   // the space after the closing quote
  EXPECT_EQ(ColumnOf(text, 8), 8);   // x
}

}  // namespace
}  // namespace otlpd::processor::filter::ottl
