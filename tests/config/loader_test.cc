// Loading YAML: locations and styles, YAML errors, duplicate keys, files and their merge, and
// --set overrides.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/loader.h"
#include "tests/config/test_env.h"

namespace otlpd::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::FakeEnv;
using testing::LoadText;

std::vector<std::string> Keys(const Node& map) {
  std::vector<std::string> keys;
  for (const MapEntry& e : map.entries()) keys.push_back(e.key);
  return keys;
}

std::vector<std::string> Scalars(const Node& seq) {
  std::vector<std::string> out;
  for (const Node& n : seq.items()) out.push_back(n.scalar());
  return out;
}

// A fresh directory under gtest's temp dir for one test's files.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("otlpd_config_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

TEST(ConfigLoad, LocationsAreOneBasedForNodesAndKeys) {
  Errors errors;
  LoadResult r = LoadText(
      "processors:\n"
      "  batch:\n"
      "    timeout: 10s\n"
      "    list:\n"
      "      - a\n"
      "      - \"b\"\n",
      {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* processors = r.root.Find("processors");
  ASSERT_NE(processors, nullptr);
  EXPECT_EQ(r.root.entries()[0].key_location.ToString(), "c.yaml:1:1");
  const Node* batch = processors->Find("batch");
  EXPECT_EQ(processors->entries()[0].key_location.ToString(), "c.yaml:2:3");
  EXPECT_EQ(batch->location().ToString(), "c.yaml:3:5");
  EXPECT_EQ(batch->entries()[0].key_location.ToString(), "c.yaml:3:5");
  EXPECT_EQ(batch->Find("timeout")->location().ToString(), "c.yaml:3:14");
  const Node* list = batch->Find("list");
  EXPECT_EQ(list->items()[0].location().ToString(), "c.yaml:5:9");
  EXPECT_EQ(list->items()[1].location().ToString(), "c.yaml:6:9");
}

TEST(ConfigLoad, ScalarStyleRemembersQuoting) {
  Errors errors;
  LoadResult r =
      LoadText("a: 1\nb: \"1\"\nc: '1'\nd: |\n  1\ne: !!str 1\nf: true\n", {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(r.root.Find("a")->style(), Node::ScalarStyle::kPlain);
  EXPECT_EQ(r.root.Find("b")->style(), Node::ScalarStyle::kQuoted);
  EXPECT_EQ(r.root.Find("c")->style(), Node::ScalarStyle::kQuoted);
  EXPECT_EQ(r.root.Find("d")->style(), Node::ScalarStyle::kQuoted);
  EXPECT_EQ(r.root.Find("d")->scalar(), "1\n");
  EXPECT_EQ(r.root.Find("e")->style(), Node::ScalarStyle::kQuoted);
  EXPECT_EQ(r.root.Find("f")->style(), Node::ScalarStyle::kPlain);
}

TEST(ConfigLoad, EmptyValuesAreNullAtTheirKey) {
  Errors errors;
  LoadResult r = LoadText("processors:\n  batch:\n\n\nexporters: ~\n", {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* batch = r.root.Find("processors")->Find("batch");
  ASSERT_NE(batch, nullptr);
  EXPECT_TRUE(batch->IsNull());
  // yaml-cpp marks an absent value at the next token (line 5); it belongs to its key.
  EXPECT_EQ(batch->location().ToString(), "c.yaml:2:3");
  EXPECT_TRUE(r.root.Find("exporters")->IsNull());
  EXPECT_EQ(r.root.Find("exporters")->location().ToString(), "c.yaml:5:12");
}

TEST(ConfigLoad, EmptyDocumentIsAnEmptyMap) {
  Errors errors;
  LoadResult r = LoadText("# only a comment\n", {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_TRUE(r.root.IsMap());
  EXPECT_THAT(r.root.entries(), IsEmpty());
}

TEST(ConfigLoad, YamlSyntaxErrorHasLineAndColumn) {
  Errors errors;
  LoadResult r = LoadText("a: [1, 2\nb: 3\n", {}, errors);
  EXPECT_EQ(errors.ToString(), "c.yaml:2:2: yaml: end of sequence flow not found\n");
  EXPECT_TRUE(r.root.IsMap());

  Errors bad_indent;
  LoadText("a:\n  b: 1\n c: 2\n", {}, bad_indent);
  ASSERT_EQ(bad_indent.size(), 1u);
  EXPECT_EQ(bad_indent.errors()[0].location.ToString(), "c.yaml:3:2");
  EXPECT_THAT(bad_indent.errors()[0].message, HasSubstr("yaml: "));
}

TEST(ConfigLoad, DuplicateKeyIsAnErrorAtTheSecondKey) {
  Errors errors;
  LoadText("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n", {}, errors);
  EXPECT_EQ(errors.ToString(), "c.yaml:5:3: b::x: yaml: mapping key \"x\" already defined at line 3\n");

  Errors flow;
  LoadText("m: {k: 1, k: 2}\n", {}, flow);
  EXPECT_EQ(flow.ToString(), "c.yaml:1:11: m::k: yaml: mapping key \"k\" already defined at line 1\n");
}

TEST(ConfigLoad, RootMustBeAMap) {
  Errors errors;
  LoadResult r = LoadText("- a\n- b\n", {}, errors);
  EXPECT_EQ(errors.ToString(), "c.yaml:1:1: yaml: the top level must be a map, got a sequence\n");
  EXPECT_TRUE(r.root.IsMap());
}

TEST(ConfigLoad, NonScalarKeyAndSecondDocumentAreErrors) {
  Errors errors;
  LoadText("? [a, b]\n: 1\n", {}, errors);
  EXPECT_EQ(errors.ToString(), "c.yaml:1:3: yaml: map keys must be scalars, got a sequence\n");

  Errors docs;
  LoadText("a: 1\n---\nb: 2\n", {}, docs);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_THAT(docs.errors()[0].message, HasSubstr("only one document is supported"));
  EXPECT_EQ(docs.errors()[0].location.line, 3);
}

TEST(ConfigLoad, MergeKeysApplyWithWrittenKeysWinning) {
  Errors errors;
  LoadResult r = LoadText(
      "defaults: &d\n"
      "  timeout: 1s\n"
      "  size: 10\n"
      "extra: &e {color: red, size: 20}\n"
      "a:\n"
      "  size: 5\n"
      "  <<: [*d, *e]\n",
      {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* a = r.root.Find("a");
  EXPECT_THAT(Keys(*a), ElementsAre("size", "timeout", "color"));
  EXPECT_EQ(a->Find("size")->scalar(), "5");
  EXPECT_EQ(a->Find("timeout")->scalar(), "1s");
  EXPECT_EQ(a->Find("timeout")->location().ToString(), "c.yaml:2:12");  // where it is written

  Errors bad;
  LoadText("a:\n  <<: 5\n", {}, bad);
  EXPECT_EQ(bad.ToString(),
            "c.yaml:2:7: a: yaml: merge key \"<<\" takes a map or a sequence of maps, got a scalar\n");
}

TEST(ConfigLoad, UnreadableFileIsAnErrorNamingIt) {
  TempDir dir;
  const std::string good = dir.Write("good.yaml", "a: 1\n");
  const std::string missing = dir.Path("missing.yaml");
  Errors errors;
  LoadResult r = LoadFiles({missing, good}, {}, FakeEnv({}), errors);
  EXPECT_EQ(errors.ToString(), missing + ": cannot read config file: No such file or directory\n");
  // The other files still load, so that every problem is reported at once.
  EXPECT_EQ(r.root.Find("a")->scalar(), "1");

  Errors dir_errors;
  LoadFiles({dir.Path("")}, {}, FakeEnv({}), dir_errors);
  EXPECT_EQ(dir_errors.size(), 1u);
  EXPECT_THAT(dir_errors.ToString(), HasSubstr("cannot read config file: Is a directory"));
}

TEST(ConfigLoad, FilesMergeMapsAndReplaceLists) {
  TempDir dir;
  const std::string base = dir.Write("base.yaml",
                                     "receivers:\n"
                                     "  otlp:\n"
                                     "    protocols:\n"
                                     "      grpc:\n"
                                     "        endpoint: a:1\n"
                                     "processors:\n"
                                     "  batch:\n"
                                     "    timeout: 1s\n"
                                     "    keys: [a, b, c]\n"
                                     "exporters:\n"
                                     "  debug: {}\n");
  const std::string prod = dir.Write("prod.yaml",
                                     "extensions:\n"
                                     "  health_check:\n"
                                     "processors:\n"
                                     "  batch:\n"
                                     "    keys: [z]\n"
                                     "    send_batch_size: ${SIZE}\n"
                                     "receivers:\n"
                                     "  otlp:\n"
                                     "    protocols:\n"
                                     "      http:\n"
                                     "exporters: 5\n");
  Errors errors;
  LoadResult r = LoadFiles({base, prod}, {}, FakeEnv({{"SIZE", "10"}}), errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  // Keys keep the order they first appeared in.
  EXPECT_THAT(Keys(r.root), ElementsAre("receivers", "processors", "exporters", "extensions"));
  const Node* protocols = r.root.Find("receivers")->Find("otlp")->Find("protocols");
  EXPECT_THAT(Keys(*protocols), ElementsAre("grpc", "http"));
  EXPECT_EQ(protocols->Find("grpc")->Find("endpoint")->scalar(), "a:1");
  const Node* batch = r.root.Find("processors")->Find("batch");
  EXPECT_EQ(batch->Find("timeout")->scalar(), "1s");
  EXPECT_EQ(batch->Find("timeout")->location().file, base);
  EXPECT_THAT(Scalars(*batch->Find("keys")), ElementsAre("z"));  // lists replace
  EXPECT_EQ(batch->Find("keys")->location().ToString(), prod + ":5:11");
  EXPECT_EQ(batch->Find("send_batch_size")->scalar(), "10");
  EXPECT_EQ(r.root.Find("exporters")->scalar(), "5");  // a scalar replaces a map
}

TEST(ConfigMerge, NullAndScalarsReplaceMapsMerge) {
  Node base = Node::Map({"a", 1, 1});
  Node inner = Node::Map({"a", 1, 4});
  inner.Set("x", {"a", 2, 3}, Node::Scalar("1", {"a", 2, 6}));
  inner.Set("y", {"a", 3, 3}, Node::Scalar("2", {"a", 3, 6}));
  base.Set("m", {"a", 1, 1}, std::move(inner));
  base.Set("s", {"a", 4, 1}, Node::Scalar("old", {"a", 4, 4}));

  Node overlay = Node::Map({"b", 1, 1});
  Node overlay_inner = Node::Map({"b", 1, 4});
  overlay_inner.Set("y", {"b", 2, 3}, Node::Null({"b", 2, 5}));
  overlay_inner.Set("z", {"b", 3, 3}, Node::Scalar("3", {"b", 3, 6}));
  overlay.Set("m", {"b", 1, 1}, std::move(overlay_inner));
  overlay.Set("s", {"b", 4, 1}, Node::Scalar("new", {"b", 4, 4}));

  Merge(base, std::move(overlay));
  const Node* m = base.Find("m");
  EXPECT_THAT(Keys(*m), ElementsAre("x", "y", "z"));
  EXPECT_EQ(m->location().file, "a");  // merged map keeps its first place
  EXPECT_TRUE(m->Find("y")->IsNull());
  EXPECT_EQ(base.Find("s")->scalar(), "new");
  EXPECT_EQ(base.entries()[1].key_location.file, "b");  // replaced with its new key
}

TEST(ConfigSet, DottedPathCreatesMissingMaps) {
  Errors errors;
  Node root = Node::Map({"c.yaml", 1, 1});
  ApplySet(root, "processors.batch.timeout=2s", errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* timeout = root.Find("processors")->Find("batch")->Find("timeout");
  ASSERT_NE(timeout, nullptr);
  EXPECT_EQ(timeout->scalar(), "2s");
  EXPECT_EQ(timeout->location().ToString(), "--set:1:26");
  EXPECT_EQ(root.Find("processors")->entries()[0].key_location.ToString(), "--set:1:12");
}

TEST(ConfigSet, DoubleColonPathKeepsDotsInKeys) {
  Errors errors;
  Node root = Node::Map({});
  ApplySet(root, "exporters::otlp_http::headers::x.api.key=abc", errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* headers = root.Find("exporters")->Find("otlp_http")->Find("headers");
  ASSERT_NE(headers, nullptr);
  EXPECT_THAT(Keys(*headers), ElementsAre("x.api.key"));
  EXPECT_EQ(headers->Find("x.api.key")->scalar(), "abc");
}

TEST(ConfigSet, ValueIsYaml) {
  Errors errors;
  LoadResult r = LoadText("a:\n  m: {x: 1, y: 2}\n  s: old\n", {}, errors);
  ApplySet(r.root, "a.list=[1, \"two\"]", errors);
  ApplySet(r.root, "a.m={y: 3}", errors);
  ApplySet(r.root, "a.s=", errors);
  ApplySet(r.root, "a.q=\"5\"", errors);
  ApplySet(r.root, "a.eq=k=v", errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* a = r.root.Find("a");
  const Node* list = a->Find("list");
  ASSERT_TRUE(list->IsSequence());
  EXPECT_THAT(Scalars(*list), ElementsAre("1", "two"));
  EXPECT_EQ(list->items()[1].location().ToString(), "--set:1:12");
  EXPECT_EQ(a->Find("m")->Find("x")->scalar(), "1");  // a map value merges
  EXPECT_EQ(a->Find("m")->Find("y")->scalar(), "3");
  EXPECT_TRUE(a->Find("s")->IsNull());
  EXPECT_EQ(a->Find("s")->location().ToString(), "--set:1:5");
  EXPECT_EQ(a->Find("q")->style(), Node::ScalarStyle::kQuoted);
  EXPECT_EQ(a->Find("eq")->scalar(), "k=v");  // only the first `=` splits
}

TEST(ConfigSet, MalformedAssignmentsAreErrors) {
  Errors errors;
  Node root = Node::Map({});
  ApplySet(root, "no_equals_sign", errors);
  ApplySet(root, "=1", errors);
  ApplySet(root, "a..b=1", errors);
  ApplySet(root, "a::b::=1", errors);
  ApplySet(root, "a.b=[1, 2", errors);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors.errors()[0].ToString(),
            "--set:1:1: invalid --set \"no_equals_sign\": expected key=value");
  EXPECT_EQ(errors.errors()[1].ToString(), "--set:1:1: invalid --set \"=1\": empty key");
  EXPECT_EQ(errors.errors()[2].ToString(), "--set:1:1: invalid --set \"a..b=1\": empty key segment");
  EXPECT_EQ(errors.errors()[3].ToString(),
            "--set:1:1: invalid --set \"a::b::=1\": empty key segment");
  EXPECT_EQ(errors.errors()[4].location.file, "--set");
  EXPECT_EQ(errors.errors()[4].path, "a::b");
  EXPECT_THAT(errors.errors()[4].message, HasSubstr("yaml: "));
  EXPECT_THAT(root.entries(), IsEmpty());
}

TEST(ConfigSet, LoadFilesAppliesOverridesLastAndExpandsThem) {
  TempDir dir;
  const std::string file = dir.Write("c.yaml", "processors:\n  batch:\n    timeout: 1s\n");
  Errors errors;
  LoadResult r = LoadFiles({file}, {"processors.batch.timeout=${T}", "processors.batch.x=${NOPE}"},
                           FakeEnv({{"T", "5s"}}), errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  const Node* batch = r.root.Find("processors")->Find("batch");
  EXPECT_EQ(batch->Find("timeout")->scalar(), "5s");
  EXPECT_EQ(batch->Find("timeout")->location().file, "--set");
  EXPECT_THAT(r.unset_variables, ElementsAre("NOPE"));
}

}  // namespace
}  // namespace otlpd::config

namespace otlpd::config {
namespace {

// Found by config_fuzzer: an alias inside its own anchor is a cycle yaml-cpp accepts, and the
// conversion recursed until the stack overflowed. Depth is now bounded, with an error.
TEST(ConfigLoadHostile, RecursiveAliasIsAnErrorNotAStackOverflow) {
  Errors errors;
  LoadText("base: &b\n  test_receiver: *b\n", {}, errors);
  ASSERT_EQ(errors.size(), 1u) << errors.ToString();
  EXPECT_THAT(errors.errors()[0].message, HasSubstr("nested deeper than 100 levels"));

  Errors merge;
  LoadText("a: &a\n  <<: *a\n  k: v\n", {}, merge);
  EXPECT_FALSE(merge.empty());
}

TEST(ConfigLoadHostile, DeepNestingIsBoundedAndShallowNestingIsFine) {
  Errors deep;
  LoadText("a: " + std::string(150, '[') + std::string(150, ']') + "\n", {}, deep);
  EXPECT_THAT(deep.ToString(), HasSubstr("nested deeper than 100 levels"));

  Errors fine;
  LoadResult r = LoadText("a: " + std::string(50, '[') + std::string(50, ']') + "\n", {}, fine);
  EXPECT_TRUE(fine.empty()) << fine.ToString();
  EXPECT_TRUE(r.root.Find("a") != nullptr);
}

}  // namespace
}  // namespace otlpd::config

namespace otlpd::config {
namespace {

// Found by config_fuzzer (out of memory): nested aliases in a few hundred bytes expand to a
// million nodes, about 200 MB per document. The cap is now 100 000 nodes.
TEST(ConfigLoadHostile, BillionLaughsStopsAtTheNodeCap) {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  const char* names = "abcdefg";
  for (int i = 1; i < 7; ++i) {
    yaml += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int j = 0; j < 10; ++j) yaml += std::string(j ? ", *" : "*") + names[i - 1];
    yaml += "]\n";
  }
  Errors errors;
  LoadText(yaml, {}, errors);
  ASSERT_EQ(errors.size(), 1u) << errors.ToString();
  EXPECT_THAT(errors.errors()[0].message,
              HasSubstr("document too large (more than 100000 nodes after aliases)"));
}

}  // namespace
}  // namespace otlpd::config

namespace otlpd::config {
namespace {

// Found by config_fuzzer (out of memory): a default value may hold YAML with aliases of its own,
// and aliases copy the `${...}` scalar, so a budget per re-typed value multiplied. Re-typing
// now shares one budget per document.
TEST(ConfigLoadHostile, ExpandedAliasBombsShareOneBudget) {
  // 10 + 100 + 1000 + 10000 nodes once re-typed, and 100 copies of that scalar.
  const std::string fallback =
      "[&a [x, x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], "
      "&c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]]";
  const std::string yaml = "v: &v ${env:UNSET_Q:-" + fallback +
                           "}\n"
                           "l1: &l1 [*v, *v, *v, *v, *v, *v, *v, *v, *v, *v]\n"
                           "l2: [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\n";
  Errors errors;
  LoadText(yaml, {}, errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("variables expand to more than 100000 YAML nodes"));

  Errors one;  // a single such value is fine
  LoadResult r = LoadText("v: ${env:UNSET_Q:-" + fallback + "}\n", {}, one);
  EXPECT_TRUE(one.empty()) << one.ToString();
  ASSERT_TRUE(r.root.Find("v") != nullptr);
  EXPECT_TRUE(r.root.Find("v")->IsSequence());
}

}  // namespace
}  // namespace otlpd::config

namespace otlpd::config {
namespace {

// Found by config_fuzzer (hang, then out of memory): yaml-cpp 0.7's LoadAll never returns on a
// document that is a stray `,` (it appends null documents forever). The loader now finds that
// token before anything is built and reports it. Without the fix each of these never returns,
// which the CTest TIMEOUT of this executable turns into a failure.
TEST(ConfigLoadHostile, StrayCommaDocumentIsAnErrorNotAHang) {
  Errors errors;
  LoadResult r = LoadText(",", {}, errors);
  EXPECT_EQ(errors.ToString(),
            "c.yaml:1:1: yaml: did not find expected node content (found \",\")\n");
  EXPECT_TRUE(r.root.IsMap());

  Errors later;  // after a comment and blank lines the location still points at the comma
  LoadText("# otlpd\n\n  ,\n", {}, later);
  ASSERT_EQ(later.size(), 1u) << later.ToString();
  EXPECT_EQ(later.errors()[0].location.line, 3);
  EXPECT_EQ(later.errors()[0].location.column, 3);
}

TEST(ConfigLoadHostile, StrayCommaInSetOrVariableDoesNotHang) {
  Node root = Node::Map(Location{"c.yaml", 1, 1});
  Errors set_errors;
  ApplySet(root, "processors.batch=,", set_errors);
  ASSERT_EQ(set_errors.size(), 1u) << set_errors.ToString();
  EXPECT_EQ(set_errors.errors()[0].location.file, "--set");
  EXPECT_EQ(set_errors.errors()[0].path, "processors::batch");
  EXPECT_THAT(set_errors.errors()[0].message, HasSubstr("did not find expected node content"));

  // A value that is wholly one variable is re-typed as YAML; "," is not YAML, so it stays text.
  Errors env_errors;
  LoadResult r = LoadText("sep: ${SEP}\nfallback: ${env:UNSET_SEP:-,}\n", {{"SEP", ","}},
                          env_errors);
  EXPECT_TRUE(env_errors.empty()) << env_errors.ToString();
  ASSERT_TRUE(r.root.Find("sep") != nullptr);
  EXPECT_EQ(r.root.Find("sep")->scalar(), ",");
  ASSERT_TRUE(r.root.Find("fallback") != nullptr);
  EXPECT_EQ(r.root.Find("fallback")->scalar(), ",");
}

TEST(ConfigLoadHostile, DocumentCountIsStillExact) {
  Errors three;
  LoadText("a: 1\n---\nb: 2\n---\nc: 3\n", {}, three);
  ASSERT_EQ(three.size(), 1u) << three.ToString();
  EXPECT_THAT(three.errors()[0].message, HasSubstr("only one document is supported, found 3"));

  Errors ended;  // an explicit end marker closes the one document
  LoadResult r = LoadText("---\na: 1\n...\n", {}, ended);
  EXPECT_TRUE(ended.empty()) << ended.ToString();
  EXPECT_TRUE(r.root.Find("a") != nullptr);
}

}  // namespace
}  // namespace otlpd::config
