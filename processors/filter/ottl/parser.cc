#include "processors/filter/ottl/parser.h"

#include <algorithm>
#include <utility>

#include "processors/filter/ottl/lexer.h"

namespace otlpd::processor::filter::ottl {
namespace {

// Deeper than any condition a person writes; shallow enough for a small thread stack.
constexpr int kMaxNesting = 100;

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// ` (did you mean "x"?)` when a candidate is a plausible typo of `word`, else "".
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  size_t best_distance = std::string_view::npos;
  for (std::string_view c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  if (best.empty() || best_distance > limit) return "";
  return " (did you mean \"" + std::string(best) + "\"?)";
}

bool IsEnumSpelling(std::string_view ident) {
  if (ident.empty() || ident[0] < 'A' || ident[0] > 'Z') return false;
  bool has_underscore = false;
  for (char c : ident) {
    if (c == '_') has_underscore = true;
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return has_underscore;
}

bool IsCondition(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kCompare:
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
      return true;
    case ExprKind::kLiteral:
    case ExprKind::kCall:
      return e.type == StaticType::kBool;
    default:
      return false;
  }
}

// A comparison, and, or, not: things that need parentheses to become values (and OTTL does not
// allow even then).
bool IsLogic(const Expr& e) {
  return e.kind == ExprKind::kCompare || e.kind == ExprKind::kAnd || e.kind == ExprKind::kOr ||
         e.kind == ExprKind::kNot;
}

std::string Describe(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kPath: return "path " + e.path.canonical;
    case ExprKind::kCall: return "function " + std::string(e.function->name) + " (not a bool)";
    case ExprKind::kMath:
    case ExprKind::kNegate: return "an arithmetic expression";
    case ExprKind::kLiteral:
      switch (e.type) {
        case StaticType::kString: return "a string";
        case StaticType::kInt:
        case StaticType::kDouble: return "a number";
        case StaticType::kBytes: return "a bytes literal";
        case StaticType::kNil: return "nil";
        default: return "a value";
      }
    default: return "a condition";
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens, const ParseOptions& options)
      : text_(text), tokens_(std::move(tokens)), options_(options) {}

  ParseResult Run() {
    ParseResult result;
    ExprPtr root = ParseOr();
    if (root && !At(TokenKind::kEnd)) {
      Fail(Peek().offset, "unexpected " + DescribeToken(Peek()) + " after the condition");
      root = nullptr;
    }
    if (root && !IsCondition(*root)) {
      Fail(root->offset, "a condition must be true or false: write a comparison, true/false or a "
                         "bool function such as IsMatch; found " + Describe(*root));
      root = nullptr;
    }
    if (!root) {
      result.error = error_;
      return result;
    }
    auto condition = std::make_unique<Condition>();
    condition->text = std::string(text_);
    if (options_.context) {
      condition->context = *options_.context;
    } else if (innermost_ < 0) {
      result.error = {1, "cannot tell which context this condition is for: it reads no path "
                         "(start paths with " + PrefixList() + ")"};
      return result;
    } else {
      condition->context = FamilyLevels(options_.family)[static_cast<size_t>(innermost_)];
    }
    condition->fallible = root->fallible;
    if (root->kind == ExprKind::kCall && root->function->id == FunctionId::kIsMatch &&
        root->children[0]->kind == ExprKind::kPath) {
      condition->regex_match =
          RegexMatchShape{root->children[0]->path, std::string(root->children[1]->literal_text)};
    }
    condition->root = std::move(root);
    result.condition = std::move(condition);
    return result;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool At(TokenKind kind) const { return Peek().kind == kind; }
  const Token& Take() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }

  ExprPtr Fail(size_t offset, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_.column = ColumnOf(text_, offset);
      error_.message = std::move(message);
    }
    return nullptr;
  }

  ExprPtr NewExpr(ExprKind kind, size_t offset) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    return e;
  }

  static void Adopt(Expr& parent, ExprPtr child) {
    parent.height = std::max(parent.height, child->height + 1);
    parent.children.push_back(std::move(child));
  }

  // Parsing recurses once per "(", call, "not" and unary minus; evaluation and destruction
  // recurse once per tree level. Both are bounded here, whatever the text: a real condition
  // nests a handful of levels, a hostile one must not overflow the stack.
  class NestingGuard {
   public:
    explicit NestingGuard(int& depth) : depth_(depth) { ++depth_; }
    ~NestingGuard() { --depth_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    int& depth_;
  };
  ExprPtr TooDeep(size_t offset) {
    return Fail(offset, "the condition nests deeper than " + std::to_string(kMaxNesting) +
                            " levels");
  }

  ExprPtr RequireCondition(ExprPtr e, std::string_view where) {
    if (!e) return nullptr;
    if (!IsCondition(*e)) {
      return Fail(e->offset, "expected a condition " + std::string(where) +
                                 " (a comparison, true/false or a bool function such as IsMatch), "
                                 "found " + Describe(*e));
    }
    return e;
  }

  ExprPtr ParseOr() {
    NestingGuard nesting(depth_);
    if (depth_ > kMaxNesting) return TooDeep(Peek().offset);
    ExprPtr left = ParseAnd();
    if (!left || !At(TokenKind::kOr)) return left;
    left = RequireCondition(std::move(left), "before \"or\"");
    if (!left) return nullptr;
    ExprPtr node = NewExpr(ExprKind::kOr, left->offset);
    node->type = StaticType::kBool;
    node->fallible = left->fallible;
    Adopt(*node, std::move(left));
    while (At(TokenKind::kOr)) {
      Take();
      ExprPtr right = RequireCondition(ParseAnd(), "after \"or\"");
      if (!right) return nullptr;
      node->fallible = node->fallible || right->fallible;
      Adopt(*node, std::move(right));
    }
    return node;
  }

  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    if (!left || !At(TokenKind::kAnd)) return left;
    left = RequireCondition(std::move(left), "before \"and\"");
    if (!left) return nullptr;
    ExprPtr node = NewExpr(ExprKind::kAnd, left->offset);
    node->type = StaticType::kBool;
    node->fallible = left->fallible;
    Adopt(*node, std::move(left));
    while (At(TokenKind::kAnd)) {
      Take();
      ExprPtr right = RequireCondition(ParseNot(), "after \"and\"");
      if (!right) return nullptr;
      node->fallible = node->fallible || right->fallible;
      Adopt(*node, std::move(right));
    }
    return node;
  }

  ExprPtr ParseNot() {
    if (!At(TokenKind::kNot)) return ParseComparison();
    const size_t offset = Take().offset;
    NestingGuard nesting(depth_);
    if (depth_ > kMaxNesting) return TooDeep(offset);
    ExprPtr operand = RequireCondition(ParseNot(), "after \"not\"");
    if (!operand) return nullptr;
    ExprPtr node = NewExpr(ExprKind::kNot, offset);
    node->type = StaticType::kBool;
    node->fallible = operand->fallible;
    Adopt(*node, std::move(operand));
    return node;
  }

  static std::optional<CompareOp> ComparisonAt(TokenKind kind) {
    switch (kind) {
      case TokenKind::kEq: return CompareOp::kEq;
      case TokenKind::kNe: return CompareOp::kNe;
      case TokenKind::kLt: return CompareOp::kLt;
      case TokenKind::kLe: return CompareOp::kLe;
      case TokenKind::kGt: return CompareOp::kGt;
      case TokenKind::kGe: return CompareOp::kGe;
      default: return std::nullopt;
    }
  }

  ExprPtr ComparisonOperand(ExprPtr e) {
    if (e && IsLogic(*e)) {
      return Fail(e->offset, "cannot compare the result of a condition; combine conditions with "
                             "and / or");
    }
    return e;
  }

  ExprPtr ParseComparison() {
    ExprPtr left = ParseAdditive();
    if (!left) return nullptr;
    std::optional<CompareOp> op = ComparisonAt(Peek().kind);
    if (!op) return left;
    left = ComparisonOperand(std::move(left));
    if (!left) return nullptr;
    Take();
    ExprPtr right = ComparisonOperand(ParseAdditive());
    if (!right) return nullptr;
    if (ComparisonAt(Peek().kind)) {
      return Fail(Peek().offset, "comparisons cannot be chained; combine them with and / or");
    }
    ExprPtr node = NewExpr(ExprKind::kCompare, left->offset);
    node->type = StaticType::kBool;
    node->compare = *op;
    node->fallible = left->fallible || right->fallible;
    Adopt(*node, std::move(left));
    Adopt(*node, std::move(right));
    return node;
  }

  ExprPtr MathOperand(ExprPtr e) {
    if (!e) return nullptr;
    if (IsLogic(*e)) return Fail(e->offset, "arithmetic needs numbers, found a condition");
    switch (e->type) {
      case StaticType::kAny:
      case StaticType::kInt:
      case StaticType::kDouble:
        return e;
      default:
        return Fail(e->offset, "arithmetic needs numbers, found " + Describe(*e));
    }
  }

  static StaticType MathType(const Expr& a, const Expr& b) {
    if (a.type == StaticType::kInt && b.type == StaticType::kInt) return StaticType::kInt;
    if ((a.type == StaticType::kDouble || a.type == StaticType::kInt) &&
        (b.type == StaticType::kDouble || b.type == StaticType::kInt)) {
      return StaticType::kDouble;
    }
    return StaticType::kAny;
  }

  ExprPtr ParseBinaryMath(ExprPtr (Parser::*next)(), TokenKind plus_like, TokenKind minus_like,
                          MathOp plus_op, MathOp minus_op) {
    ExprPtr left = (this->*next)();
    while (left && (At(plus_like) || At(minus_like))) {
      const MathOp op = At(plus_like) ? plus_op : minus_op;
      left = MathOperand(std::move(left));
      if (!left) return nullptr;
      Take();
      ExprPtr right = MathOperand((this->*next)());
      if (!right) return nullptr;
      ExprPtr node = NewExpr(ExprKind::kMath, left->offset);
      node->math = op;
      node->type = MathType(*left, *right);
      // Types of paths are unknown until run time, and integer division can divide by zero.
      node->fallible = true;
      Adopt(*node, std::move(left));
      Adopt(*node, std::move(right));
      // `1 + 1 + ...` is a loop here but a left-deep tree: its length counts as nesting.
      if (node->height > kMaxNesting) return TooDeep(node->children.back()->offset);
      left = std::move(node);
    }
    return left;
  }

  ExprPtr ParseAdditive() {
    return ParseBinaryMath(&Parser::ParseMultiplicative, TokenKind::kPlus, TokenKind::kMinus,
                           MathOp::kAdd, MathOp::kSub);
  }

  ExprPtr ParseMultiplicative() {
    return ParseBinaryMath(&Parser::ParseUnary, TokenKind::kStar, TokenKind::kSlash, MathOp::kMul,
                           MathOp::kDiv);
  }

  ExprPtr ParseUnary() {
    if (!At(TokenKind::kMinus)) return ParsePrimary();
    const size_t offset = Take().offset;
    // A negative number literal stays a literal.
    if (At(TokenKind::kInt) || At(TokenKind::kFloat)) {
      ExprPtr lit = ParsePrimary();
      if (!lit) return nullptr;
      lit->offset = offset;
      if (lit->type == StaticType::kInt) lit->literal = Value::Int(-lit->literal.int_value());
      else lit->literal = Value::Double(-lit->literal.double_value());
      return lit;
    }
    NestingGuard nesting(depth_);
    if (depth_ > kMaxNesting) return TooDeep(offset);
    ExprPtr operand = MathOperand(ParseUnary());
    if (!operand) return nullptr;
    ExprPtr node = NewExpr(ExprKind::kNegate, offset);
    node->type = operand->type;
    node->fallible = true;
    Adopt(*node, std::move(operand));
    return node;
  }

  ExprPtr Literal(const Token& t, Value value, StaticType type) {
    ExprPtr e = NewExpr(ExprKind::kLiteral, t.offset);
    e->type = type;
    e->literal = std::move(value);
    return e;
  }

  ExprPtr TextLiteral(const Token& t, bool bytes) {
    ExprPtr e = NewExpr(ExprKind::kLiteral, t.offset);
    e->type = bytes ? StaticType::kBytes : StaticType::kString;
    e->literal_text = t.text;
    // The node never moves (it lives behind a unique_ptr), so the value may point into it.
    e->literal = bytes ? Value::Bytes(e->literal_text) : Value::String(e->literal_text);
    return e;
  }

  ExprPtr ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kString: Take(); return TextLiteral(t, false);
      case TokenKind::kBytes: Take(); return TextLiteral(t, true);
      case TokenKind::kInt: Take(); return Literal(t, Value::Int(t.int_value), StaticType::kInt);
      case TokenKind::kFloat:
        Take();
        return Literal(t, Value::Double(t.float_value), StaticType::kDouble);
      case TokenKind::kTrue: Take(); return Literal(t, Value::Bool(true), StaticType::kBool);
      case TokenKind::kFalse: Take(); return Literal(t, Value::Bool(false), StaticType::kBool);
      case TokenKind::kNil: Take(); return Literal(t, Value(), StaticType::kNil);
      case TokenKind::kLParen: {
        Take();
        ExprPtr inner = ParseOr();
        if (!inner) return nullptr;
        if (!At(TokenKind::kRParen)) {
          return Fail(Peek().offset, "expected \")\" to close the \"(\" at column " +
                                         std::to_string(ColumnOf(text_, t.offset)) + ", found " +
                                         DescribeToken(Peek()));
        }
        Take();
        return inner;
      }
      case TokenKind::kIdent:
        if (Peek(1).kind == TokenKind::kLParen) return ParseCall();
        if (IsEnumSpelling(t.text)) return ParseEnum();
        return ParsePath();
      case TokenKind::kLBracket:
      case TokenKind::kLBrace:
        return Fail(t.offset, "list and map literals are not supported in filter conditions");
      default:
        return Fail(t.offset, "expected a value, found " + DescribeToken(t));
    }
  }

  ExprPtr ParseEnum() {
    const Token& t = Take();
    std::optional<int64_t> v = FindEnum(t.text);
    if (!v) return Fail(t.offset, "unknown enum \"" + t.text + "\"" + DidYouMean(t.text, EnumNames()));
    return Literal(t, Value::Int(*v), StaticType::kInt);
  }

  ExprPtr ParseCall() {
    const Token& name = Take();
    const FunctionInfo* f = FindFunction(name.text);
    if (f == nullptr) {
      return Fail(name.offset, "unknown function \"" + name.text + "\"" +
                                   DidYouMean(name.text, FunctionNames()));
    }
    const size_t open = Take().offset;  // "("
    ExprPtr call = NewExpr(ExprKind::kCall, name.offset);
    call->function = f;
    call->type = f->result;
    call->fallible = f->fallible;
    if (!At(TokenKind::kRParen)) {
      while (true) {
        ExprPtr arg = ParseOr();
        if (!arg) return nullptr;
        if (IsLogic(*arg)) {
          return Fail(arg->offset, "a function argument must be a value, not a condition");
        }
        call->fallible = call->fallible || arg->fallible;
        Adopt(*call, std::move(arg));
        if (At(TokenKind::kComma)) {
          Take();
          continue;
        }
        break;
      }
    }
    if (!At(TokenKind::kRParen)) {
      return Fail(Peek().offset, "expected \",\" or \")\" in the call of " + name.text +
                                     " at column " + std::to_string(ColumnOf(text_, open)) +
                                     ", found " + DescribeToken(Peek()));
    }
    Take();
    const int got = static_cast<int>(call->children.size());
    if (got != f->arity) {
      return Fail(name.offset, name.text + " takes " + std::to_string(f->arity) + " argument" +
                                   (f->arity == 1 ? "" : "s") + ", got " + std::to_string(got));
    }
    return CheckCall(std::move(call));
  }

  ExprPtr CheckCall(ExprPtr call) {
    switch (call->function->id) {
      case FunctionId::kIsMatch: {
        const Expr& pattern = *call->children[1];
        if (pattern.kind != ExprKind::kLiteral || pattern.type != StaticType::kString) {
          return Fail(pattern.offset, "the pattern of IsMatch must be a string literal");
        }
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_unique<RE2>(pattern.literal_text, options);
        if (!re->ok()) {
          return Fail(pattern.offset, "invalid regular expression \"" + pattern.literal_text +
                                          "\": " + re->error());
        }
        call->regex = std::move(re);
        return call;
      }
      case FunctionId::kTraceId:
      case FunctionId::kSpanId: {
        const Expr& arg = *call->children[0];
        const size_t want = call->function->id == FunctionId::kTraceId ? 16 : 8;
        if (arg.kind != ExprKind::kLiteral || arg.type != StaticType::kBytes) {
          return Fail(arg.offset, std::string(call->function->name) +
                                      " needs a bytes literal such as 0x0102...");
        }
        if (arg.literal_text.size() != want) {
          return Fail(arg.offset, std::string(call->function->name) + " needs " +
                                      std::to_string(want) + " bytes (" + std::to_string(want * 2) +
                                      " hex digits), got " + std::to_string(arg.literal_text.size()));
        }
        return call;
      }
      default:
        return call;
    }
  }

  std::string PrefixList() const {
    std::string out;
    for (Level l : FamilyLevels(options_.family)) {
      if (!out.empty()) out += ", ";
      out += std::string(LevelName(l)) + ".";
    }
    return out;
  }

  // The context a path prefix names, if it is one of the family's.
  std::optional<Level> PrefixLevel(std::string_view segment) const {
    if (segment == "instrumentation_scope") segment = "scope";
    for (Level l : FamilyLevels(options_.family)) {
      if (LevelName(l) == segment) return l;
    }
    return std::nullopt;
  }

  ExprPtr ParsePath() {
    const size_t offset = Peek().offset;
    std::vector<std::string> segments;
    segments.push_back(Take().text);
    while (At(TokenKind::kDot)) {
      Take();
      if (!At(TokenKind::kIdent)) {
        return Fail(Peek().offset, "expected a field name after \".\", found " + DescribeToken(Peek()));
      }
      segments.push_back(Take().text);
    }
    std::string written;
    for (const auto& s : segments) written += (written.empty() ? "" : ".") + s;

    Level level;
    size_t consumed = 0;
    const std::optional<Level> named = PrefixLevel(segments[0]);
    if (options_.context) {
      const Level ctx = *options_.context;
      if (named && segments.size() > 1) {
        if (!Encloses(options_.family, *named, ctx)) {
          return Fail(offset, "the " + std::string(LevelName(ctx)) + " context cannot read " +
                                  std::string(LevelName(*named)) + " paths (\"" + written + "\")");
        }
        level = *named;
        consumed = 1;
      } else {
        level = ctx;
      }
    } else {
      if (!named) {
        return Fail(offset, "path \"" + written + "\" needs a context prefix: start it with " +
                                PrefixList() + " (e.g. " +
                                std::string(LevelName(FamilyLevels(options_.family)[2])) + "." +
                                written + ")");
      }
      if (segments.size() == 1) {
        return Fail(offset, "path \"" + written + "\" needs a field after the context name");
      }
      level = *named;
      consumed = 1;
    }
    std::string field_name;
    for (size_t i = consumed; i < segments.size(); ++i) {
      field_name += (field_name.empty() ? "" : ".") + segments[i];
    }
    const std::optional<Field> field = FindField(level, field_name);
    if (!field) {
      return Fail(offset, "unknown path \"" + written + "\" in the " + std::string(LevelName(level)) +
                              " context" + DidYouMean(field_name, FieldNames(level)));
    }
    const auto& levels = FamilyLevels(options_.family);
    const int position =
        static_cast<int>(std::find(levels.begin(), levels.end(), level) - levels.begin());
    innermost_ = std::max(innermost_, position);

    ExprPtr e = NewExpr(ExprKind::kPath, offset);
    e->path.level = level;
    e->path.field = *field;
    e->path.canonical = std::string(LevelName(level)) + "." + field_name;
    while (At(TokenKind::kLBracket)) {
      const size_t bracket = Take().offset;
      if (!IsIndexable(level, *field)) {
        return Fail(bracket, "\"" + written + "\" cannot be indexed with [...]");
      }
      PathKey key;
      const bool first = e->path.keys.empty();
      if (At(TokenKind::kString)) {
        key.key = Take().text;
        e->path.canonical += "[\"" + key.key + "\"]";
      } else if (At(TokenKind::kInt)) {
        if (first && *field == Field::kAttributes) {
          return Fail(Peek().offset, "attributes are indexed by key, e.g. attributes[\"http.route\"]");
        }
        key.is_index = true;
        key.index = Take().int_value;
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "[" + std::to_string().
        e->path.canonical.append("[").append(std::to_string(key.index)).append("]");
      } else {
        return Fail(Peek().offset, "expected a string key or an index inside [...], found " +
                                       DescribeToken(Peek()));
      }
      if (!At(TokenKind::kRBracket)) {
        return Fail(Peek().offset, "expected \"]\", found " + DescribeToken(Peek()));
      }
      Take();
      // Indexing a value that turns out not to be a map (or a list) is a run-time error; the
      // first key of `attributes` always indexes a map, so it cannot fail.
      if (!first || *field != Field::kAttributes) e->fallible = true;
      e->path.keys.push_back(std::move(key));
    }
    return e;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  ParseOptions options_;
  bool failed_ = false;
  ParseError error_;
  int depth_ = 0;  // NestingGuards alive: parentheses, calls, not and unary minus being parsed
  int innermost_ = -1;  // position in FamilyLevels of the innermost context a path named
};

}  // namespace

std::string ParseError::ToString() const {
  return "column " + std::to_string(column) + ": " + message;
}

ParseResult Parse(std::string_view text, const ParseOptions& options) {
  LexResult lexed = Lex(text);
  if (!lexed.ok) {
    ParseResult r;
    r.error = {ColumnOf(text, lexed.error.offset), lexed.error.message};
    return r;
  }
  if (lexed.tokens.size() == 1) {
    ParseResult r;
    r.error = {1, "empty condition"};
    return r;
  }
  return Parser(text, std::move(lexed.tokens), options).Run();
}

}  // namespace otlpd::processor::filter::ottl
