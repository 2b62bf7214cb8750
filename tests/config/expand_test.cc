// ${...} expansion through LoadString: every syntax, the $$ escape, defaults, whole-value
// re-typing, unset warnings, and syntax errors with their locations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "tests/config/test_env.h"

namespace otlpd::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::LoadText;

// The scalar text of top-level key `key` (fails the test if it is not a scalar).
std::string ValueOf(const LoadResult& r, std::string_view key) {
  const Node* n = r.root.Find(key);
  if (n == nullptr) {
    ADD_FAILURE() << "no key " << key;
    return "<missing>";
  }
  EXPECT_TRUE(n->IsScalar()) << key << " is a " << n->KindName();
  return n->scalar();
}

TEST(ConfigExpand, PlainAndEnvScheme) {
  Errors errors;
  LoadResult r = LoadText("a: ${HOST}\nb: ${env:HOST}\n", {{"HOST", "example.com"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ValueOf(r, "a"), "example.com");
  EXPECT_EQ(ValueOf(r, "b"), "example.com");
  EXPECT_THAT(r.unset_variables, IsEmpty());
  EXPECT_THAT(errors.warnings(), IsEmpty());
}

TEST(ConfigExpand, SeveralExpansionsInOneValue) {
  Errors errors;
  LoadResult r = LoadText("url: http://${HOST}:${env:PORT}/x/${HOST}\n",
                          {{"HOST", "h"}, {"PORT", "4318"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ValueOf(r, "url"), "http://h:4318/x/h");
}

TEST(ConfigExpand, DefaultAppliesOnlyWhenUnset) {
  Errors errors;
  LoadResult r = LoadText(
      "unset: x${env:MISSING:-fallback}y\n"
      "empty: x${env:EMPTY:-fallback}y\n"
      "set: x${env:SET:-fallback}y\n"
      "odd: ${env:MISSING:-http://u:p@h:1/a?b=$c&d={e}\n",
      {{"EMPTY", ""}, {"SET", "v"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ValueOf(r, "unset"), "xfallbacky");
  EXPECT_EQ(ValueOf(r, "empty"), "xy");  // set but empty stays empty
  EXPECT_EQ(ValueOf(r, "set"), "xvy");
  // The default is literal text up to the first `}`: colons, `$` and `{` included.
  EXPECT_EQ(ValueOf(r, "odd"), "http://u:p@h:1/a?b=$c&d={e");
  EXPECT_THAT(r.unset_variables, IsEmpty());  // a default is not "unset"
  EXPECT_THAT(errors.warnings(), IsEmpty());
}

TEST(ConfigExpand, WholeValueEmptyBecomesNull) {
  Errors errors;
  LoadResult r = LoadText("empty: ${env:EMPTY:-fallback}\n", {{"EMPTY", ""}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* n = r.root.Find("empty");
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->IsNull());
  EXPECT_EQ(n->location().ToString(), "c.yaml:1:8");
}

TEST(ConfigExpand, DollarDollarEscapesLikeTheCollector) {
  Errors errors;
  LoadResult r = LoadText(
      "k1: \"$${HOST}\"\n"
      "k2: \"$${env:HOST}\"\n"
      "k3: \"$$\"\n"
      "k4: \"text$$\"\n"
      "k5: \"$$$${HOST}\"\n"
      "k6: \"$$${HOST}\"\n"
      "k7: \"$HOST and $ alone\"\n"
      "k8: \"a$\"\n"
      "k9: \"some$${HOST}text${HOST}\"\n"
      "k10: \"$$HOST\"\n",
      {{"HOST", "h"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ValueOf(r, "k1"), "${HOST}");
  EXPECT_EQ(ValueOf(r, "k2"), "${env:HOST}");
  EXPECT_EQ(ValueOf(r, "k3"), "$");
  EXPECT_EQ(ValueOf(r, "k4"), "text$");
  EXPECT_EQ(ValueOf(r, "k5"), "$${HOST}");
  EXPECT_EQ(ValueOf(r, "k6"), "$h");
  EXPECT_EQ(ValueOf(r, "k7"), "$HOST and $ alone");
  EXPECT_EQ(ValueOf(r, "k8"), "a$");
  EXPECT_EQ(ValueOf(r, "k9"), "some${HOST}texth");
  EXPECT_EQ(ValueOf(r, "k10"), "$HOST");
  EXPECT_THAT(errors.warnings(), IsEmpty());
}

TEST(ConfigExpand, KeysAreNotExpanded) {
  Errors errors;
  LoadResult r = LoadText("${HOST}: v\n", {{"HOST", "h"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_NE(r.root.Find("${HOST}"), nullptr);
  EXPECT_EQ(r.root.Find("h"), nullptr);
}

TEST(ConfigExpand, ValuesFromTheEnvironmentAreTakenAsIs) {
  Errors errors;
  LoadResult r = LoadText("a: x${PW}\nb: ${PW}\n", {{"PW", "p$$w${HOST}"}, {"HOST", "h"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ValueOf(r, "a"), "xp$$w${HOST}");
  EXPECT_EQ(ValueOf(r, "b"), "p$$w${HOST}");
}

TEST(ConfigExpand, ExpandsInsideSequencesAndNestedMapsKeepingLocations) {
  Errors errors;
  LoadResult r = LoadText("outer:\n  list: [a, \"${HOST}:1\"]\n  inner:\n    k: ${HOST}\n",
                          {{"HOST", "h"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* list = r.root.Find("outer")->Find("list");
  ASSERT_EQ(list->items().size(), 2u);
  EXPECT_EQ(list->items()[1].scalar(), "h:1");
  EXPECT_EQ(list->items()[1].style(), Node::ScalarStyle::kQuoted);  // embedded: style kept
  EXPECT_EQ(list->items()[1].location().ToString(), "c.yaml:2:13");
  const Node* k = r.root.Find("outer")->Find("inner")->Find("k");
  EXPECT_EQ(k->scalar(), "h");
  EXPECT_EQ(k->location().ToString(), "c.yaml:4:8");
}

TEST(ConfigExpand, WholeValueNumberKeepsTextAndBecomesPlain) {
  Errors errors;
  LoadResult r = LoadText("port: ${PORT}\nquoted: \"${PORT}\"\n", {{"PORT", "4317"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* port = r.root.Find("port");
  EXPECT_EQ(port->scalar(), "4317");
  EXPECT_EQ(port->style(), Node::ScalarStyle::kPlain);
  EXPECT_EQ(port->location().ToString(), "c.yaml:1:7");
  // Quotes around the reference do not make it a string: the value is typed by YAML.
  EXPECT_EQ(r.root.Find("quoted")->style(), Node::ScalarStyle::kPlain);
}

TEST(ConfigExpand, WholeValueStringKeepsItsExactText) {
  Errors errors;
  LoadResult r = LoadText("a: ${V}\nb: ${Q}\nc: ${BAD}\n",
                          {{"V", "abc #not a comment"}, {"Q", "\"8080\""}, {"BAD", "[unclosed"}},
                          errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(ValueOf(r, "a"), "abc #not a comment");
  // A quoted YAML string in the variable is a string: quotes removed, style quoted.
  EXPECT_EQ(ValueOf(r, "b"), "8080");
  EXPECT_EQ(r.root.Find("b")->style(), Node::ScalarStyle::kQuoted);
  // Not valid YAML: simply a string.
  EXPECT_EQ(ValueOf(r, "c"), "[unclosed");
}

TEST(ConfigExpand, WholeValueListAndMapReplaceTheNode) {
  Errors errors;
  LoadResult r = LoadText("x:\n  list: ${LIST}\n  map: ${env:MAP}\n",
                          {{"LIST", "[a, \"b\", 3]"}, {"MAP", "{k: v, n: [1]}"}}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* list = r.root.Find("x")->Find("list");
  ASSERT_TRUE(list->IsSequence());
  ASSERT_EQ(list->items().size(), 3u);
  EXPECT_EQ(list->items()[0].scalar(), "a");
  EXPECT_EQ(list->items()[1].style(), Node::ScalarStyle::kQuoted);
  EXPECT_EQ(list->items()[2].scalar(), "3");
  EXPECT_EQ(list->location().ToString(), "c.yaml:2:9");
  EXPECT_EQ(list->items()[2].location().ToString(), "c.yaml:2:9");

  const Node* map = r.root.Find("x")->Find("map");
  ASSERT_TRUE(map->IsMap());
  EXPECT_EQ(map->Find("k")->scalar(), "v");
  ASSERT_TRUE(map->Find("n")->IsSequence());
  EXPECT_EQ(map->entries()[1].key_location.ToString(), "c.yaml:3:8");
  EXPECT_EQ(map->Find("n")->items()[0].location().ToString(), "c.yaml:3:8");
}

TEST(ConfigExpand, UnsetWithoutDefaultWarnsAndListsTheName) {
  Errors errors;
  LoadResult r = LoadText("a: ${NOPE}\nb:\n  c: x${env:ALSO_NOPE}y${NOPE}\n", {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();  // a warning does not invalidate
  EXPECT_THAT(r.unset_variables, ElementsAre("ALSO_NOPE", "NOPE"));
  EXPECT_TRUE(r.root.Find("a")->IsNull());
  EXPECT_EQ(r.root.Find("b")->Find("c")->scalar(), "xy");
  ASSERT_EQ(errors.warnings().size(), 3u);
  EXPECT_EQ(errors.warnings()[0].ToString(),
            "c.yaml:1:4: a: variable \"NOPE\" is not set; using an empty value");
  EXPECT_EQ(errors.warnings()[1].ToString(),
            "c.yaml:3:6: b::c: variable \"ALSO_NOPE\" is not set; using an empty value");
  EXPECT_EQ(errors.warnings()[2].location.ToString(), "c.yaml:3:6");
}

TEST(ConfigExpand, InvalidSyntaxIsAnErrorAtTheScalar) {
  Errors errors;
  LoadText(
      "a: x${HOST\n"
      "b: ${1X}\n"
      "c:\n"
      "  - ${file:/etc/passwd}\n"
      "d: ${env:}\n"
      "e: ${VAR:-x}\n"
      "f: ${A-B}\n"
      "g: ${}\n"
      "h: ${env:A:x}\n",
      {{"HOST", "h"}}, errors);
  EXPECT_EQ(errors.ToString(),
            "c.yaml:1:4: a: unterminated \"${\" in \"x${HOST\"\n"
            "c.yaml:2:4: b: invalid variable name \"1X\" in \"${1X}\"\n"
            "c.yaml:4:5: c[0]: unsupported scheme \"file\" in \"${file:/etc/passwd}\" "
            "(only env is supported)\n"
            "c.yaml:5:4: d: invalid variable name \"\" in \"${env:}\"\n"
            "c.yaml:6:4: e: unsupported reference \"${VAR:-x}\" (write \"${env:VAR:-x}\")\n"
            "c.yaml:7:4: f: invalid variable name \"A-B\" in \"${A-B}\"\n"
            "c.yaml:8:4: g: invalid variable name \"\" in \"${}\"\n"
            "c.yaml:9:4: h: invalid variable name \"A:x\" in \"${env:A:x}\"\n");
}

}  // namespace
}  // namespace otlpd::config
