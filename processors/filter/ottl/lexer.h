// ottl::Lex: splits one OTTL condition into tokens (identifiers, literals, operators), each with
// its byte offset so that every later error can name the column it is about.
//
// String literals follow Go's quoting rules, as OTTL's grammar does: \" \\ \n \t \xHH \uHHHH ...
// are escapes and any other backslash sequence is an error (so a regex dot is written "\\.").
//
//   LexResult r = Lex(R"(IsMatch(name, "^GET "))");
//   if (!r.ok()) return r.error;                        // column + message
//   r.tokens[0].kind == TokenKind::kIdent;               // "IsMatch"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace otlpd::processor::filter::ottl {

enum class TokenKind : uint8_t {
  kIdent,     // name, IsMatch, SPAN_KIND_SERVER
  kString,    // "text" (text holds the unescaped value)
  kInt,       // 42
  kFloat,     // 1.5, .5, 1e3
  kBytes,     // 0x0102 (text holds the raw bytes)
  kAnd,       // and
  kOr,        // or
  kNot,       // not
  kTrue,      // true
  kFalse,     // false
  kNil,       // nil
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kComma,
  kDot,
  kEq,        // ==
  kNe,        // !=
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kEnd,       // end of the condition
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;      // byte offset of the first character in the condition
  std::string text;       // identifier, unescaped string, raw bytes, or the number as written
  int64_t int_value = 0;  // kInt
  double float_value = 0; // kFloat
};

// A problem at a byte offset of the condition text.
struct SyntaxError {
  size_t offset = 0;
  std::string message;
};

struct LexResult {
  std::vector<Token> tokens;  // always ends with kEnd when ok
  bool ok = true;
  SyntaxError error;
};

LexResult Lex(std::string_view text);

// How a token is shown in "expected X, found Y" messages: `"and"`, `")"`, `end of condition`.
std::string DescribeToken(const Token& token);

// The 1-based column of byte `offset` in `text`, counting characters (UTF-8 code points), so
// that a column points where an editor shows it.
int ColumnOf(std::string_view text, size_t offset);

}  // namespace otlpd::processor::filter::ottl
