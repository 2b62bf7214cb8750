#include "processors/filter/ottl/parser.h"

#include <string>

#include <gtest/gtest.h>

namespace otlpd::processor::filter::ottl {
namespace {

ParseResult ParseIn(Level context, std::string_view text, Family family = Family::kTraces) {
  return Parse(text, {.family = family, .context = context});
}

ParseResult ParseFlat(Family family, std::string_view text) {
  return Parse(text, {.family = family, .context = std::nullopt});
}

TEST(OttlParser, ReferenceConditionsParseAsRegexMatches) {
  for (const char* text : {R"(IsMatch(name, ".*(/api)?/health.*"))",
                           R"(IsMatch(name, "^(BEGIN|COMMIT|ROLLBACK)( TRANSACTION)?;?$"))"}) {
    ParseResult r = ParseIn(Level::kSpan, text);
    ASSERT_TRUE(r.ok()) << r.error.ToString();
    EXPECT_EQ(r.condition->context, Level::kSpan);
    ASSERT_TRUE(r.condition->regex_match.has_value());
    EXPECT_EQ(r.condition->regex_match->path.canonical, "span.name");
    EXPECT_FALSE(r.condition->fallible);
  }
}

TEST(OttlParser, PrefixedAndUnprefixedPathsMeanTheSame) {
  ParseResult a = ParseIn(Level::kSpan, R"(IsMatch(name, "x"))");
  ParseResult b = ParseIn(Level::kSpan, R"(IsMatch(span.name, "y"))");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.condition->regex_match->path.canonical, b.condition->regex_match->path.canonical);
  ParseResult c = ParseIn(Level::kSpan, R"(IsMatch(instrumentation_scope.name, "x"))");
  ParseResult d = ParseIn(Level::kSpan, R"(IsMatch(scope.name, "x"))");
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_EQ(c.condition->regex_match->path.canonical, "scope.name");
  EXPECT_EQ(d.condition->regex_match->path.canonical, "scope.name");
}

struct PathCase {
  Level context;
  Family family;
  std::string path;
};

class OttlEveryPath : public ::testing::TestWithParam<PathCase> {};

TEST_P(OttlEveryPath, ParsesInItsContext) {
  const PathCase& c = GetParam();
  ParseResult r = ParseIn(c.context, c.path + " != nil", c.family);
  EXPECT_TRUE(r.ok()) << c.path << ": " << r.error.ToString();
}

std::vector<PathCase> AllPaths() {
  std::vector<PathCase> out;
  for (const char* p :
       {"name", "kind", "kind.string", "status.code", "status.message", "attributes",
        "attributes[\"k\"]", "attributes[\"k\"][\"nested\"]", "attributes[\"list\"][0]",
        "resource.attributes[\"k\"]", "resource.dropped_attributes_count",
        "instrumentation_scope.name", "instrumentation_scope.version", "scope.attributes[\"k\"]",
        "trace_id", "trace_id.string", "span_id", "span_id.string", "parent_span_id",
        "parent_span_id.string", "trace_state", "start_time_unix_nano", "end_time_unix_nano",
        "flags", "dropped_attributes_count", "dropped_events_count", "dropped_links_count",
        "span.name"}) {
    out.push_back({Level::kSpan, Family::kTraces, p});
  }
  for (const char* p : {"name", "attributes[\"k\"]", "time_unix_nano", "dropped_attributes_count",
                        "span.name", "span.attributes[\"k\"]", "span.kind", "resource.attributes[\"k\"]",
                        "instrumentation_scope.name", "spanevent.name"}) {
    out.push_back({Level::kSpanEvent, Family::kTraces, p});
  }
  for (const char* p : {"name", "description", "unit", "type", "aggregation_temporality",
                        "is_monotonic", "resource.attributes[\"k\"]", "metric.name"}) {
    out.push_back({Level::kMetric, Family::kMetrics, p});
  }
  for (const char* p : {"attributes[\"k\"]", "value_int", "value_double", "time_unix_nano",
                        "start_time_unix_nano", "flags", "count", "sum", "metric.name",
                        "metric.type", "resource.attributes[\"k\"]", "instrumentation_scope.name"}) {
    out.push_back({Level::kDataPoint, Family::kMetrics, p});
  }
  for (const char* p : {"body", "body[\"k\"]", "body.string", "severity_number", "severity_text",
                        "attributes[\"k\"]", "time_unix_nano", "observed_time_unix_nano",
                        "trace_id", "trace_id.string", "span_id", "span_id.string", "flags",
                        "event_name", "dropped_attributes_count", "log.body",
                        "resource.attributes[\"k\"]"}) {
    out.push_back({Level::kLog, Family::kLogs, p});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(All, OttlEveryPath, ::testing::ValuesIn(AllPaths()));

TEST(OttlParser, OperatorsAndLiterals) {
  for (const char* text :
       {"name == \"a\"", "name != \"a\"", "kind < 2", "kind <= 2", "kind > 2", "kind >= 2",
        "kind == SPAN_KIND_SERVER and status.code == STATUS_CODE_ERROR",
        "not (kind == 1 or kind == 2)", "attributes[\"x\"] == nil", "attributes[\"x\"] == true",
        "attributes[\"x\"] == 1.5", "attributes[\"x\"] == -3",
        "trace_id == 0x0102030405060708090a0b0c0d0e0f10",
        "trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10)",
        "span_id == SpanID(0x0102030405060708)",
        "end_time_unix_nano - start_time_unix_nano > 1000000", "(kind + 1) * 2 == 6",
        "IsMatch(name, \"x\") == false", "true", "Len(name) > 3 and HasPrefix(name, \"GET\")",
        "IsString(attributes[\"a\"]) or IsInt(attributes[\"a\"]) or IsDouble(attributes[\"a\"]) "
        "or IsBool(attributes[\"a\"]) or IsMap(attributes[\"a\"]) or IsList(attributes[\"a\"])",
        "HasSuffix(name, \"/health\")"}) {
    ParseResult r = ParseIn(Level::kSpan, text);
    EXPECT_TRUE(r.ok()) << text << ": " << r.error.ToString();
  }
}

TEST(OttlParser, FallibilityIsKnownAtParseTime) {
  EXPECT_FALSE(ParseIn(Level::kSpan, "name == \"a\" and attributes[\"k\"] != nil").condition->fallible);
  EXPECT_FALSE(ParseIn(Level::kSpan, "IsMatch(attributes[\"k\"], \"a\")").condition->fallible);
  EXPECT_TRUE(ParseIn(Level::kSpan, "Len(attributes[\"k\"]) > 1").condition->fallible);
  EXPECT_TRUE(ParseIn(Level::kSpan, "attributes[\"k\"][\"j\"] == 1").condition->fallible);
  EXPECT_TRUE(ParseIn(Level::kSpan, "kind + 1 == 2").condition->fallible);
}

struct ErrorCase {
  Level context;
  std::string text;
  int column;
  std::string message_part;
};

class OttlParseErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OttlParseErrors, CarryTheColumn) {
  const ErrorCase& c = GetParam();
  ParseResult r = ParseIn(c.context, c.text);
  ASSERT_FALSE(r.ok()) << c.text;
  EXPECT_EQ(r.error.column, c.column) << c.text << ": " << r.error.ToString();
  EXPECT_NE(r.error.message.find(c.message_part), std::string::npos)
      << c.text << ": " << r.error.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    All, OttlParseErrors,
    ::testing::Values(
        ErrorCase{Level::kSpan, R"(IsMath(name, "x"))", 1,
                  R"(unknown function "IsMath" (did you mean "IsMatch"?))"},
        ErrorCase{Level::kSpan, R"(name == "a" and nme == "b")", 17,
                  R"(unknown path "nme" in the span context (did you mean "name"?))"},
        ErrorCase{Level::kSpan, R"(IsMatch(name, "(unclosed"))", 15, "invalid regular expression"},
        ErrorCase{Level::kSpan, "name == ", 9, "expected a value, found end of condition"},
        ErrorCase{Level::kSpan, R"((name == "x")", 13, R"x(expected ")" to close the "(" at column 1)x"},
        ErrorCase{Level::kSpan, "IsMatch(name)", 1, "IsMatch takes 2 arguments, got 1"},
        ErrorCase{Level::kSpan, "name", 1, "a condition must be true or false"},
        ErrorCase{Level::kSpan, "Len(name)", 1, "a condition must be true or false"},
        ErrorCase{Level::kSpan, "kind == SPAN_KIND_SERVR", 9,
                  R"(unknown enum "SPAN_KIND_SERVR" (did you mean "SPAN_KIND_SERVER"?))"},
        ErrorCase{Level::kSpan, R"(name == "a" and)", 16, "expected a value, found end of condition"},
        ErrorCase{Level::kSpan, R"(name == "a" and kind)", 17, "expected a condition after \"and\""},
        ErrorCase{Level::kSpan, R"(IsMatch(name, attributes["p"]))", 15, "must be a string literal"},
        ErrorCase{Level::kSpan, "trace_id == TraceID(0x01)", 21, "needs 16 bytes"},
        ErrorCase{Level::kSpan, "kind == 1 == 2", 11, "cannot be chained"},
        ErrorCase{Level::kSpan, R"(spanevent.name == "x")", 1,
                  "the span context cannot read spanevent paths"},
        ErrorCase{Level::kSpan, "attributes[0] == 1", 12, "indexed by key"},
        ErrorCase{Level::kSpan, R"(name["x"] == 1)", 5, "cannot be indexed"},
        ErrorCase{Level::kSpan, R"(name == "a" extra)", 13, "unexpected \"extra\" after the condition"},
        ErrorCase{Level::kSpan, R"(name == ["a"])", 9, "list and map literals are not supported"},
        ErrorCase{Level::kSpan, R"("abc" + 1 == 2)", 1, "arithmetic needs numbers"},
        ErrorCase{Level::kSpan, R"("\u00e9" == nme)", 13, "unknown path \"nme\""},
        ErrorCase{Level::kSpan, "", 1, "empty condition"},
        ErrorCase{Level::kSpan, R"(name == "x\.y")", 11, "invalid escape"},
        ErrorCase{Level::kSpan, R"(set(attributes["a"], "b"))", 1, "unknown function \"set\""}));

TEST(OttlParser, UnicodeColumnsCountCharacters) {
  ParseResult r = ParseIn(Level::kSpan, "\"\xc3\xa9\" == nme");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.column, 8);
  EXPECT_EQ(r.error.ToString().substr(0, 10), "column 8: ");
}

TEST(OttlParser, FlatStyleInfersTheInnermostContext) {
  struct Case {
    Family family;
    const char* text;
    Level context;
  };
  for (const Case& c : std::vector<Case>{
           {Family::kTraces, R"(span.name == "a")", Level::kSpan},
           {Family::kTraces, R"(resource.attributes["a"] == "b")", Level::kResource},
           {Family::kTraces, R"(scope.name == "lib")", Level::kScope},
           {Family::kTraces, R"(instrumentation_scope.version == "1")", Level::kScope},
           {Family::kTraces, R"(resource.attributes["a"] == "b" and span.kind == 2)", Level::kSpan},
           {Family::kTraces, R"(IsMatch(spanevent.name, "x") and span.name == "y")",
            Level::kSpanEvent},
           {Family::kMetrics, R"(metric.name == "m")", Level::kMetric},
           {Family::kMetrics, R"(datapoint.value_int > 3 and metric.name == "m")",
            Level::kDataPoint},
           {Family::kLogs, R"(log.severity_number >= SEVERITY_NUMBER_WARN)", Level::kLog},
           {Family::kLogs, R"(resource.attributes["x"] == nil)", Level::kResource}}) {
    ParseResult r = ParseFlat(c.family, c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error.ToString();
    EXPECT_EQ(r.condition->context, c.context) << c.text;
  }
}

TEST(OttlParser, FlatStyleRequiresContextPrefixes) {
  ParseResult r = ParseFlat(Family::kTraces, R"(span.kind == 2 and name == "x")");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.column, 20);
  EXPECT_NE(r.error.message.find("needs a context prefix"), std::string::npos) << r.error.message;
  EXPECT_NE(r.error.message.find("span.name"), std::string::npos) << r.error.message;

  ParseResult no_path = ParseFlat(Family::kTraces, "true");
  ASSERT_FALSE(no_path.ok());
  EXPECT_NE(no_path.error.message.find("cannot tell which context"), std::string::npos);

  // A context from another signal is not a prefix there.
  ParseResult other = ParseFlat(Family::kLogs, R"(span.name == "x")");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error.message.find("needs a context prefix"), std::string::npos);
}

}  // namespace
}  // namespace otlpd::processor::filter::ottl

namespace otlpd::processor::filter::ottl {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Found by ottl_fuzzer: thousands of "(" overflowed the stack of the recursive parser. Nesting is
// now bounded (parentheses, calls, not, unary minus, arithmetic chains), with a parse error.
TEST(OttlParser, HostileNestingIsAParseErrorNotAStackOverflow) {
  const std::string cases[] = {
      Repeat("(", 100000) + "true" + Repeat(")", 100000),
      Repeat("not ", 100000) + "true",
      "Len(attributes[\"x\"]) == " + Repeat("-", 100000) + "1.5",
      "Len(" + Repeat("Len(", 100000) + "name" + Repeat(")", 100001) + " > 0",
      "1 " + Repeat("+ 1 ", 100000) + "== 2",
      "1 " + Repeat("* 1 ", 100000) + "== 1",
  };
  for (const std::string& text : cases) {
    ParseResult r = ParseIn(Level::kSpan, text);
    ASSERT_FALSE(r.ok()) << text.substr(0, 40);
    EXPECT_NE(r.error.message.find("nests deeper than 100 levels"), std::string::npos)
        << r.error.ToString();
  }
}

TEST(OttlParser, ReasonableNestingStillParses) {
  EXPECT_TRUE(ParseIn(Level::kSpan, Repeat("(", 50) + "true" + Repeat(")", 50)).ok());
  EXPECT_TRUE(ParseIn(Level::kSpan, Repeat("not ", 50) + "true").ok());
  EXPECT_TRUE(ParseIn(Level::kSpan, "1 " + Repeat("+ 1 ", 90) + "== 91").ok());
}

}  // namespace
}  // namespace otlpd::processor::filter::ottl
