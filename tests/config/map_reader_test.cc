// MapReader: every field type, bounds, durations, enums, lists and maps, nested readers and
// their paths, unknown keys, and where each error points (key or value).
#include "config/map_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "tests/config/test_env.h"

namespace otlpd::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::LoadText;
using namespace std::chrono_literals;

// Loads `yaml` (no variables); fails the test on load errors.
Node Load(std::string_view yaml) {
  Errors errors;
  LoadResult r = LoadText(yaml, {}, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  return std::move(r.root);
}

// The single error recorded, as one line.
std::string OnlyError(const Errors& errors) {
  EXPECT_EQ(errors.size(), 1u) << errors.ToString();
  return errors.empty() ? "<none>" : errors.errors()[0].ToString();
}

TEST(MapReader, AbsentAndNullKeysLeaveDefaults) {
  Node root = Load("a: ~\nb:\n");
  Errors errors;
  MapReader r(root, "x", errors);
  std::string s = "default";
  int64_t i = 7;
  bool b = true;
  config::Duration d = 5s;
  EXPECT_FALSE(r.String("a", &s));
  EXPECT_FALSE(r.Int("b", &i));
  EXPECT_FALSE(r.Bool("missing", &b));
  EXPECT_FALSE(r.Duration("missing2", &d));
  r.Finish();
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(s, "default");
  EXPECT_EQ(i, 7);
  EXPECT_TRUE(b);
  EXPECT_EQ(d, 5s);
}

TEST(MapReader, StringAndSecret) {
  Node root = Load("endpoint: localhost:4318\nsecret: hunter2\nmap: {a: 1}\n");
  Errors errors;
  MapReader r(root, "exporters::otlp_http", errors);
  std::string endpoint;
  config::Secret secret;
  std::string from_map = "unchanged";
  EXPECT_TRUE(r.String("endpoint", &endpoint));
  EXPECT_TRUE(r.Secret("secret", &secret));
  EXPECT_FALSE(r.String("map", &from_map));
  r.Finish();
  EXPECT_EQ(endpoint, "localhost:4318");
  EXPECT_EQ(secret.Reveal(), "hunter2");
  std::ostringstream printed;
  printed << secret;
  EXPECT_EQ(printed.str(), "[REDACTED]");
  EXPECT_EQ(from_map, "unchanged");
  EXPECT_EQ(OnlyError(errors), "c.yaml:3:6: exporters::otlp_http::map: expected a string, got a map");
}

TEST(MapReader, BoolAcceptsYaml12BooleansOnly) {
  Node root = Load("a: true\nb: False\nc: TRUE\nd: \"false\"\ne: yes\n");
  Errors errors;
  MapReader r(root, "p", errors);
  bool a = false, b = true, c = false, d = true, e = false;
  EXPECT_TRUE(r.Bool("a", &a));
  EXPECT_TRUE(r.Bool("b", &b));
  EXPECT_TRUE(r.Bool("c", &c));
  EXPECT_TRUE(r.Bool("d", &d));
  EXPECT_FALSE(r.Bool("e", &e));
  EXPECT_TRUE(a);
  EXPECT_FALSE(b);
  EXPECT_TRUE(c);
  EXPECT_FALSE(d);
  EXPECT_FALSE(e);  // untouched
  EXPECT_EQ(OnlyError(errors), "c.yaml:5:4: p::e: expected true or false, got \"yes\"");
}

TEST(MapReader, IntParsesAndChecksBounds) {
  Node root = Load(
      "plain: 42\nquoted: \"123\"\nneg: -5\nhex: 0x1F\nfloat: 1.5\nword: abc\n"
      "low: 0\nhigh: 11\nhuge: 99999999999999999999\nlist: [1]\n");
  Errors errors;
  MapReader r(root, "p", errors);
  int64_t plain = 0, quoted = 0, neg = 0, hex = 0, other = -1;
  EXPECT_TRUE(r.Int("plain", &plain));
  EXPECT_TRUE(r.Int("quoted", &quoted));  // the Collector accepts a quoted number
  EXPECT_TRUE(r.Int("neg", &neg));
  EXPECT_TRUE(r.Int("hex", &hex));
  EXPECT_FALSE(r.Int("float", &other));
  EXPECT_FALSE(r.Int("word", &other));
  EXPECT_FALSE(r.Int("low", &other, /*min=*/1));
  EXPECT_FALSE(r.Int("high", &other, /*min=*/0, /*max=*/10));
  EXPECT_FALSE(r.Int("huge", &other));
  EXPECT_FALSE(r.Int("list", &other));
  r.Finish();
  EXPECT_EQ(plain, 42);
  EXPECT_EQ(quoted, 123);
  EXPECT_EQ(neg, -5);
  EXPECT_EQ(hex, 31);
  EXPECT_EQ(other, -1);
  EXPECT_EQ(errors.ToString(),
            "c.yaml:5:8: p::float: expected an integer, got \"1.5\"\n"
            "c.yaml:6:7: p::word: expected an integer, got \"abc\"\n"
            "c.yaml:7:6: p::low: must be >= 1, got 0\n"
            "c.yaml:8:7: p::high: must be <= 10, got 11\n"
            "c.yaml:9:7: p::huge: expected an integer, got \"99999999999999999999\"\n"
            "c.yaml:10:7: p::list: expected an integer, got a sequence\n");
}

TEST(MapReader, DoubleParsesAndChecksBounds) {
  Node root = Load("a: 0.5\nb: 3\nc: 1e3\nd: \"2.5\"\ne: x\nf: 1.5\ng: .inf\nh: .nan\n");
  Errors errors;
  MapReader r(root, "p", errors);
  double a = 0, b = 0, c = 0, d = 0, other = -1, g = 0;
  EXPECT_TRUE(r.Double("a", &a));
  EXPECT_TRUE(r.Double("b", &b));
  EXPECT_TRUE(r.Double("c", &c));
  EXPECT_TRUE(r.Double("d", &d));
  EXPECT_FALSE(r.Double("e", &other));
  EXPECT_FALSE(r.Double("f", &other, 0, 1));
  EXPECT_TRUE(r.Double("g", &g));
  EXPECT_FALSE(r.Double("h", &other));
  EXPECT_DOUBLE_EQ(a, 0.5);
  EXPECT_DOUBLE_EQ(b, 3);
  EXPECT_DOUBLE_EQ(c, 1000);
  EXPECT_DOUBLE_EQ(d, 2.5);
  EXPECT_TRUE(std::isinf(g));
  EXPECT_EQ(other, -1);
  EXPECT_EQ(errors.ToString(),
            "c.yaml:5:4: p::e: expected a number, got \"x\"\n"
            "c.yaml:6:4: p::f: must be <= 1, got 1.5\n"
            "c.yaml:8:4: p::h: expected a number, got \".nan\"\n");
}

TEST(MapReader, Durations) {
  Node root = Load(
      "a: 1h30m\nb: 1.5s\nc: 0\nd: 250us\ne: 10\nf: -1s\ng: 9999999h\nh: 500us\ni: 5 s\n"
      "j: 2µs\n");
  Errors errors;
  MapReader r(root, "p", errors);
  config::Duration a{}, b{}, c{1}, d{}, j{}, other{-1};
  EXPECT_TRUE(r.Duration("a", &a));
  EXPECT_TRUE(r.Duration("b", &b));
  EXPECT_TRUE(r.Duration("c", &c));
  EXPECT_TRUE(r.Duration("d", &d));
  EXPECT_FALSE(r.Duration("e", &other));
  EXPECT_FALSE(r.Duration("f", &other));
  EXPECT_FALSE(r.Duration("g", &other));
  EXPECT_FALSE(r.Duration("h", &other, /*min=*/1ms));
  EXPECT_FALSE(r.Duration("i", &other));
  EXPECT_TRUE(r.Duration("j", &j));
  EXPECT_EQ(a, 90min);
  EXPECT_EQ(b, 1500ms);
  EXPECT_EQ(c, 0s);
  EXPECT_EQ(d, 250us);
  EXPECT_EQ(j, 2us);
  EXPECT_EQ(other, config::Duration{-1});
  EXPECT_EQ(errors.ToString(),
            "c.yaml:5:4: p::e: invalid duration \"10\" (use a unit: ns, us, ms, s, m, h)\n"
            "c.yaml:6:4: p::f: invalid duration \"-1s\" (must not be negative)\n"
            "c.yaml:7:4: p::g: invalid duration \"9999999h\" (too large)\n"
            "c.yaml:8:4: p::h: must be >= 1ms, got 500us\n"
            "c.yaml:9:4: p::i: invalid duration \"5 s\" (use a unit: ns, us, ms, s, m, h)\n");
}

TEST(MapReader, EnumListsTheAllowedValues) {
  Node root = Load("verbosity: loud\nok: detailed\n");
  Errors errors;
  MapReader r(root, "exporters::debug", errors);
  std::string v = "basic";
  std::string ok;
  EXPECT_FALSE(r.Enum("verbosity", &v, {"basic", "normal", "detailed"}));
  EXPECT_TRUE(r.Enum("ok", &ok, {"basic", "normal", "detailed"}));
  EXPECT_EQ(v, "basic");
  EXPECT_EQ(ok, "detailed");
  EXPECT_EQ(OnlyError(errors),
            "c.yaml:1:12: exporters::debug::verbosity: must be one of basic, normal, detailed; "
            "got \"loud\"");
}

TEST(MapReader, StringList) {
  Node root = Load("keys: [a, \"b\", 3]\nnot_list: a\nmixed:\n  - a\n  - {x: 1}\n");
  Errors errors;
  MapReader r(root, "p", errors);
  std::vector<std::string> keys, not_list = {"d"}, mixed = {"d"};
  EXPECT_TRUE(r.StringList("keys", &keys));
  EXPECT_FALSE(r.StringList("not_list", &not_list));
  EXPECT_FALSE(r.StringList("mixed", &mixed));
  EXPECT_THAT(keys, ElementsAre("a", "b", "3"));
  EXPECT_THAT(not_list, ElementsAre("d"));
  EXPECT_THAT(mixed, ElementsAre("d"));
  EXPECT_EQ(errors.ToString(),
            "c.yaml:2:11: p::not_list: expected a sequence, got a scalar\n"
            "c.yaml:5:5: p::mixed[1]: expected a string, got a map\n");
}

TEST(MapReader, StringMapAndSecretMap) {
  Node root = Load("headers:\n  a: x\n  b: 2\n  c:\nbad:\n  k: [1]\nsecrets: {t: s3cret}\n");
  Errors errors;
  MapReader r(root, "exporters::x", errors);
  std::map<std::string, std::string> headers, bad;
  std::map<std::string, config::Secret> secrets;
  EXPECT_TRUE(r.StringMap("headers", &headers));
  EXPECT_FALSE(r.StringMap("bad", &bad));
  EXPECT_TRUE(r.SecretMap("secrets", &secrets));
  EXPECT_THAT(headers, ElementsAre(Pair("a", "x"), Pair("b", "2"), Pair("c", "")));
  EXPECT_THAT(bad, IsEmpty());
  EXPECT_EQ(secrets.at("t").Reveal(), "s3cret");
  EXPECT_EQ(OnlyError(errors), "c.yaml:6:6: exporters::x::bad::k: expected a string, got a sequence");
}

TEST(MapReader, ChildReadersCarryTheirPath) {
  Node root = Load(
      "exporters:\n"
      "  x:\n"
      "    headers:\n"
      "      bogus: 1\n"
      "    retry:\n"
      "    tls: [1]\n");
  Errors errors;
  MapReader top(*root.Find("exporters"), "exporters", errors);
  std::optional<MapReader> x = top.Child("x");
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(x->path(), "exporters::x");
  std::optional<MapReader> headers = x->Child("headers");
  ASSERT_TRUE(headers.has_value());
  EXPECT_EQ(headers->path(), "exporters::x::headers");
  headers->Finish();
  // An empty section is present: its reader reads nothing and reports nothing.
  std::optional<MapReader> retry = x->Child("retry");
  ASSERT_TRUE(retry.has_value());
  bool enabled = true;
  EXPECT_FALSE(retry->Bool("enabled", &enabled));
  retry->Finish();
  EXPECT_FALSE(x->Child("tls").has_value());
  EXPECT_FALSE(x->Child("absent").has_value());
  x->Finish();
  top.Finish();
  EXPECT_EQ(errors.ToString(),
            "c.yaml:4:7: exporters::x::headers::bogus: unknown key \"bogus\"; this section takes no keys\n"
            "c.yaml:6:10: exporters::x::tls: expected a map, got a sequence\n");
}

TEST(MapReader, ForEachMapGivesIndexedPaths) {
  Node root = Load(
      "attributes:\n"
      "  - key: a\n"
      "    action: insert\n"
      "  - key: b\n"
      "    action: explode\n"
      "  - just a string\n"
      "  - key: c\n"
      "    acton: delete\n");
  Errors errors;
  MapReader r(root, "processors::resource", errors);
  std::vector<std::string> seen;
  EXPECT_TRUE(r.ForEachMap("attributes", [&](MapReader& item) {
    std::string key, action;
    item.String("key", &key);
    item.Enum("action", &action, {"insert", "update", "upsert", "delete"});
    seen.push_back(item.path() + "=" + key);
  }));
  EXPECT_FALSE(r.ForEachMap("missing", [&](MapReader&) { ADD_FAILURE(); }));
  r.Finish();
  EXPECT_THAT(seen, ElementsAre("processors::resource::attributes[0]=a",
                                "processors::resource::attributes[1]=b",
                                "processors::resource::attributes[3]=c"));
  EXPECT_EQ(errors.ToString(),
            "c.yaml:5:13: processors::resource::attributes[1]::action: must be one of insert, "
            "update, upsert, delete; got \"explode\"\n"
            "c.yaml:6:5: processors::resource::attributes[2]: expected a map, got a scalar\n"
            "c.yaml:8:5: processors::resource::attributes[3]::acton: unknown key \"acton\" (did you mean "
            "\"action\"?)\n");
}

TEST(MapReader, NotAMapIsReportedOnce) {
  Node root = Load("batch: [1, 2]\n");
  Errors errors;
  MapReader r(*root.Find("batch"), "processors::batch", errors);
  int64_t size = 3;
  EXPECT_FALSE(r.Int("send_batch_size", &size));
  r.Finish();
  EXPECT_EQ(size, 3);
  EXPECT_EQ(OnlyError(errors), "c.yaml:1:8: processors::batch: expected a map, got a sequence");
}

TEST(MapReader, UnknownKeysPointAtTheKey) {
  Node root = Load(
      "retry_on_failure:\n"
      "  enabled: true\n"
      "  max_elapsed_tme: 10s\n"
      "  foo: 1\n");
  Errors errors;
  MapReader top(root, "exporters::otlp_http/b14", errors);
  std::optional<MapReader> retry = top.Child("retry_on_failure");
  ASSERT_TRUE(retry.has_value());
  bool enabled = false;
  config::Duration d{};
  retry->Bool("enabled", &enabled);
  retry->Duration("initial_interval", &d);
  retry->Duration("max_elapsed_time", &d);
  retry->Finish();
  top.Finish();
  EXPECT_EQ(errors.ToString(),
            "c.yaml:3:3: exporters::otlp_http/b14::retry_on_failure::max_elapsed_tme: unknown key "
            "\"max_elapsed_tme\" (did you mean \"max_elapsed_time\"?)\n"
            "c.yaml:4:3: exporters::otlp_http/b14::retry_on_failure::foo: unknown key \"foo\"; valid "
            "keys: enabled, initial_interval, max_elapsed_time\n");
}

TEST(MapReader, RawHasAndCustomErrors) {
  Node root = Load("a: 1\nb:\nc: [x]\n");
  Errors errors;
  MapReader r(root, "p", errors);
  EXPECT_TRUE(r.Has("a"));
  EXPECT_TRUE(r.Has("b"));  // present though empty
  EXPECT_FALSE(r.Has("z"));
  const Node* c = r.Raw("c");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->IsSequence());
  const Node* b = r.Raw("b");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->IsNull());
  EXPECT_EQ(r.Raw("z"), nullptr);
  r.Error("c", "custom problem");
  r.Error("z", "needs z");
  r.ErrorHere("whole map problem");
  EXPECT_EQ(r.PathOf("c"), "p::c");
  r.Finish();  // a, asked for by nobody, is unknown; b, c and z were asked for
  EXPECT_EQ(errors.ToString(),
            "c.yaml:1:1: p::z: needs z\n"
            "c.yaml:1:1: p: whole map problem\n"
            "c.yaml:1:1: p::a: unknown key \"a\"; valid keys: b, c, z\n"
            "c.yaml:3:4: p::c: custom problem\n");
}

TEST(MapReader, EmptyPathLeavesPathsBare) {
  Node root = Load("a: x\n");
  Errors errors;
  MapReader r(root, "", errors);
  int64_t v = 0;
  r.Int("a", &v);
  EXPECT_EQ(r.PathOf("a"), "a");
  EXPECT_EQ(OnlyError(errors), "c.yaml:1:4: a: expected an integer, got \"x\"");
}

TEST(DidYouMean, PrefersTheClosestPlausibleCandidate) {
  const std::vector<std::string> keys = {"timeout", "send_batch_size", "send_batch_max_size"};
  EXPECT_EQ(DidYouMean("timout", keys), "timeout");
  EXPECT_EQ(DidYouMean("send_batch_sise", keys), "send_batch_size");
  EXPECT_EQ(DidYouMean("send_batch_max_sise", keys), "send_batch_max_size");
  EXPECT_EQ(DidYouMean("endpoint", keys), std::nullopt);
  EXPECT_EQ(DidYouMean("foo", {"a", "b", "c"}), std::nullopt);
  EXPECT_EQ(DidYouMean("ab", {"c"}), std::nullopt);
  EXPECT_EQ(DidYouMean("otlphtp", {"otlp", "otlphttp"}), "otlphttp");
  EXPECT_EQ(DidYouMean("x", {}), std::nullopt);
}

}  // namespace
}  // namespace otlpd::config
