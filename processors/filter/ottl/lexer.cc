#include "processors/filter/ottl/lexer.h"

#include <charconv>
#include <cstdlib>

namespace otlpd::processor::filter::ottl {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  LexResult Run() {
    LexResult result;
    while (true) {
      SkipSpace();
      Token token;
      token.offset = pos_;
      if (pos_ >= text_.size()) {
        token.kind = TokenKind::kEnd;
        result.tokens.push_back(std::move(token));
        return result;
      }
      if (!Next(&token)) {
        result.ok = false;
        result.error = error_;
        result.tokens.clear();
        return result;
      }
      result.tokens.push_back(std::move(token));
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Fail(size_t offset, std::string message) {
    error_.offset = offset;
    error_.message = std::move(message);
    return false;
  }

  bool Next(Token* t) {
    const char c = text_[pos_];
    if (IsIdentStart(c)) return Identifier(t);
    if (c == '0' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
      return BytesLiteral(t);
    }
    if (IsDigit(c)) return Number(t);
    if (c == '"') return StringLiteral(t);
    auto two = [&](char second) { return pos_ + 1 < text_.size() && text_[pos_ + 1] == second; };
    switch (c) {
      case '(': t->kind = TokenKind::kLParen; ++pos_; return true;
      case ')': t->kind = TokenKind::kRParen; ++pos_; return true;
      case '[': t->kind = TokenKind::kLBracket; ++pos_; return true;
      case ']': t->kind = TokenKind::kRBracket; ++pos_; return true;
      case '{': t->kind = TokenKind::kLBrace; ++pos_; return true;
      case '}': t->kind = TokenKind::kRBrace; ++pos_; return true;
      case ',': t->kind = TokenKind::kComma; ++pos_; return true;
      case '.': t->kind = TokenKind::kDot; ++pos_; return true;
      case '+': t->kind = TokenKind::kPlus; ++pos_; return true;
      case '-': t->kind = TokenKind::kMinus; ++pos_; return true;
      case '*': t->kind = TokenKind::kStar; ++pos_; return true;
      case '/': t->kind = TokenKind::kSlash; ++pos_; return true;
      case '=':
        if (two('=')) {
          t->kind = TokenKind::kEq;
          pos_ += 2;
          return true;
        }
        return Fail(pos_, "unexpected \"=\" (write == to compare)");
      case '!':
        if (two('=')) {
          t->kind = TokenKind::kNe;
          pos_ += 2;
          return true;
        }
        return Fail(pos_, "unexpected \"!\" (write != to compare, or not to negate)");
      case '<':
        if (two('=')) {
          t->kind = TokenKind::kLe;
          pos_ += 2;
        } else {
          t->kind = TokenKind::kLt;
          ++pos_;
        }
        return true;
      case '>':
        if (two('=')) {
          t->kind = TokenKind::kGe;
          pos_ += 2;
        } else {
          t->kind = TokenKind::kGt;
          ++pos_;
        }
        return true;
      case '\'':
        return Fail(pos_, "strings are written in double quotes");
      case '&':
        return Fail(pos_, "unexpected \"&\" (write and)");
      case '|':
        return Fail(pos_, "unexpected \"|\" (write or)");
      default:
        break;
    }
    std::string shown(1, c);
    if (static_cast<unsigned char>(c) < 0x20) shown = "\\x" + std::to_string(static_cast<int>(c));
    return Fail(pos_, "unexpected character \"" + shown + "\"");
  }

  bool Identifier(Token* t) {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    t->text = std::string(text_.substr(start, pos_ - start));
    if (t->text == "and") t->kind = TokenKind::kAnd;
    else if (t->text == "or") t->kind = TokenKind::kOr;
    else if (t->text == "not") t->kind = TokenKind::kNot;
    else if (t->text == "true") t->kind = TokenKind::kTrue;
    else if (t->text == "false") t->kind = TokenKind::kFalse;
    else if (t->text == "nil") t->kind = TokenKind::kNil;
    else t->kind = TokenKind::kIdent;
    return true;
  }

  bool BytesLiteral(Token* t) {
    const size_t start = pos_;
    pos_ += 2;
    const size_t digits_start = pos_;
    while (pos_ < text_.size() && HexDigit(text_[pos_]) >= 0) ++pos_;
    const size_t n = pos_ - digits_start;
    if (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
      return Fail(pos_, "invalid hex digit \"" + std::string(1, text_[pos_]) + "\" in bytes literal");
    }
    if (n == 0) return Fail(start, "bytes literal 0x needs hex digits");
    if (n % 2 != 0) return Fail(start, "bytes literal needs an even number of hex digits");
    t->kind = TokenKind::kBytes;
    for (size_t i = digits_start; i < pos_; i += 2) {
      t->text.push_back(static_cast<char>(HexDigit(text_[i]) * 16 + HexDigit(text_[i + 1])));
    }
    return true;
  }

  bool Number(Token* t) {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    bool is_float = false;
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
      is_float = true;
      ++pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t p = pos_ + 1;
      if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) ++p;
      if (p < text_.size() && IsDigit(text_[p])) {
        is_float = true;
        pos_ = p;
        while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
      }
    }
    if (pos_ < text_.size() && IsIdentChar(text_[pos_])) {
      return Fail(pos_, "unexpected \"" + std::string(1, text_[pos_]) + "\" after a number");
    }
    t->text = std::string(text_.substr(start, pos_ - start));
    if (is_float) {
      t->kind = TokenKind::kFloat;
      char* end = nullptr;
      t->float_value = std::strtod(t->text.c_str(), &end);
      return true;
    }
    t->kind = TokenKind::kInt;
    auto [ptr, ec] = std::from_chars(t->text.data(), t->text.data() + t->text.size(), t->int_value);
    if (ec != std::errc()) return Fail(start, "integer " + t->text + " is out of range");
    return true;
  }

  bool StringLiteral(Token* t) {
    const size_t start = pos_;
    ++pos_;  // opening quote
    t->kind = TokenKind::kString;
    std::string& out = t->text;
    while (true) {
      if (pos_ >= text_.size()) return Fail(start, "unterminated string (missing closing \")");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\n') return Fail(pos_, "newline inside a string (write \\n)");
      if (c != '\\') {
        out.push_back(c);
        ++pos_;
        continue;
      }
      if (!Escape(&out)) return false;
    }
  }

  // At a backslash inside a string: appends the escaped character(s).
  bool Escape(std::string* out) {
    const size_t at = pos_;
    if (pos_ + 1 >= text_.size()) return Fail(at, "unterminated string (missing closing \")");
    const char e = text_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'a': out->push_back('\a'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'v': out->push_back('\v'); return true;
      case '\\': out->push_back('\\'); return true;
      case '"': out->push_back('"'); return true;
      case 'x': {
        uint32_t v = 0;
        if (!HexDigits(2, &v)) return Fail(at, "\\x needs two hex digits");
        out->push_back(static_cast<char>(v));
        return true;
      }
      case 'u':
      case 'U': {
        uint32_t cp = 0;
        if (!HexDigits(e == 'u' ? 4 : 8, &cp)) {
          return Fail(at, std::string("\\") + e + " needs " + (e == 'u' ? "4" : "8") + " hex digits");
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return Fail(at, "escape is not a valid Unicode code point");
        }
        AppendUtf8(cp, out);
        return true;
      }
      default:
        break;
    }
    if (e >= '0' && e <= '7') {
      // Go's octal escape: exactly three digits, at most \377.
      uint32_t v = static_cast<uint32_t>(e - '0');
      for (int i = 0; i < 2; ++i) {
        if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '7') {
          return Fail(at, "octal escape needs three digits");
        }
        v = v * 8 + static_cast<uint32_t>(text_[pos_++] - '0');
      }
      if (v > 255) return Fail(at, "octal escape is above \\377");
      out->push_back(static_cast<char>(v));
      return true;
    }
    return Fail(at, std::string("invalid escape \"\\") + e +
                        "\" in string (a regex backslash is written \\\\, e.g. \"\\\\.\")");
  }

  bool HexDigits(int n, uint32_t* v) {
    for (int i = 0; i < n; ++i) {
      if (pos_ >= text_.size() || HexDigit(text_[pos_]) < 0) return false;
      *v = *v * 16 + static_cast<uint32_t>(HexDigit(text_[pos_++]));
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  SyntaxError error_;
};

}  // namespace

LexResult Lex(std::string_view text) { return Lexer(text).Run(); }

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kIdent: return "\"" + token.text + "\"";
    case TokenKind::kString: return "string \"" + token.text + "\"";
    case TokenKind::kInt:
    case TokenKind::kFloat: return "number " + token.text;
    case TokenKind::kBytes: return "bytes literal";
    case TokenKind::kAnd: return "\"and\"";
    case TokenKind::kOr: return "\"or\"";
    case TokenKind::kNot: return "\"not\"";
    case TokenKind::kTrue: return "\"true\"";
    case TokenKind::kFalse: return "\"false\"";
    case TokenKind::kNil: return "\"nil\"";
    case TokenKind::kLParen: return "\"(\"";
    case TokenKind::kRParen: return "\")\"";
    case TokenKind::kLBracket: return "\"[\"";
    case TokenKind::kRBracket: return "\"]\"";
    case TokenKind::kLBrace: return "\"{\"";
    case TokenKind::kRBrace: return "\"}\"";
    case TokenKind::kComma: return "\",\"";
    case TokenKind::kDot: return "\".\"";
    case TokenKind::kEq: return "\"==\"";
    case TokenKind::kNe: return "\"!=\"";
    case TokenKind::kLt: return "\"<\"";
    case TokenKind::kLe: return "\"<=\"";
    case TokenKind::kGt: return "\">\"";
    case TokenKind::kGe: return "\">=\"";
    case TokenKind::kPlus: return "\"+\"";
    case TokenKind::kMinus: return "\"-\"";
    case TokenKind::kStar: return "\"*\"";
    case TokenKind::kSlash: return "\"/\"";
    case TokenKind::kEnd: return "end of condition";
  }
  return "?";
}

int ColumnOf(std::string_view text, size_t offset) {
  int column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    // UTF-8 continuation bytes do not start a new character.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

}  // namespace otlpd::processor::filter::ottl
