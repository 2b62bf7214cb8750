#include "processors/attributes/actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"

namespace otlpd::processor::attributes {
namespace {

using ::testing::HasSubstr;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

// Decodes `actions:` of the YAML map `yaml` (Finish included).
ActionList Decode(const std::string& yaml, config::Errors& errors) {
  config::LoadResult loaded = config::LoadString(yaml, "test.yaml", NoEnv, errors);
  ActionList out;
  config::MapReader reader(loaded.root, "processors::attributes", errors);
  DecodeActions(reader, "actions", &out);
  reader.Finish();
  return out;
}

ActionList MustDecode(const std::string& yaml) {
  config::Errors errors;
  ActionList out = Decode(yaml, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  return out;
}

class ActionsTest : public ::testing::Test {
 protected:
  ActionsTest() {
    Str("http.method", "GET");
    Str("http.url", "https://shop.example.com:8443/cart?id=1");
    Int("http.status_code", 404);
    Str("user.password", "hunter2");
    Str("user.token", "abc");
  }
  void Str(const std::string& k, const std::string& v) { UpsertAttribute(&attrs_, k).set_string_value(v); }
  void Int(const std::string& k, int64_t v) { UpsertAttribute(&attrs_, k).set_int_value(v); }
  const AnyValue* Get(const std::string& k) const { return FindAttribute(attrs_, k); }
  void Apply(const std::string& yaml) { MustDecode(yaml).Apply(&attrs_, metadata_); }

  AttributeList attrs_;
  ClientMetadata metadata_;
};

TEST_F(ActionsTest, InsertOnlyWhenAbsent) {
  Apply("actions:\n  - {key: http.method, value: POST, action: insert}\n"
        "  - {key: region, value: eu, action: insert}\n");
  EXPECT_EQ(Get("http.method")->string_value(), "GET");
  EXPECT_EQ(Get("region")->string_value(), "eu");
}

TEST_F(ActionsTest, UpdateOnlyWhenPresent) {
  Apply("actions:\n  - {key: http.method, value: POST, action: update}\n"
        "  - {key: region, value: eu, action: update}\n");
  EXPECT_EQ(Get("http.method")->string_value(), "POST");
  EXPECT_EQ(Get("region"), nullptr);
}

TEST_F(ActionsTest, UpsertAlways) {
  Apply("actions:\n  - {key: http.method, value: POST, action: upsert}\n"
        "  - {key: region, value: eu, action: UPSERT}\n");
  EXPECT_EQ(Get("http.method")->string_value(), "POST");
  EXPECT_EQ(Get("region")->string_value(), "eu");
  EXPECT_EQ(attrs_.size(), 6);
}

TEST_F(ActionsTest, FromAttributeCopiesAndSkipsAMissingSource) {
  Apply("actions:\n  - {key: status, from_attribute: http.status_code, action: upsert}\n"
        "  - {key: nothing, from_attribute: missing, action: upsert}\n"
        "  - {key: http.method, from_attribute: http.method, action: update}\n");
  ASSERT_NE(Get("status"), nullptr);
  EXPECT_EQ(Get("status")->int_value(), 404);
  EXPECT_EQ(Get("nothing"), nullptr);
  EXPECT_EQ(Get("http.method")->string_value(), "GET");
}

TEST_F(ActionsTest, FromContextReadsRequestMetadata) {
  metadata_["x-tenant"] = {"acme"};
  metadata_["x-multi"] = {"a", "b"};
  Apply("actions:\n  - {key: tenant, from_context: metadata.X-Tenant, action: insert}\n"
        "  - {key: multi, from_context: x-multi, action: insert}\n"
        "  - {key: absent, from_context: metadata.x-none, action: insert}\n");
  EXPECT_EQ(Get("tenant")->string_value(), "acme");
  EXPECT_EQ(Get("multi")->string_value(), "a;b");
  EXPECT_EQ(Get("absent"), nullptr);
}

TEST_F(ActionsTest, DeleteByKeyAndByUnanchoredPattern) {
  Apply("actions:\n  - {key: http.method, action: delete}\n"
        "  - {pattern: 'password|token', action: delete}\n");
  EXPECT_EQ(Get("http.method"), nullptr);
  EXPECT_EQ(Get("user.password"), nullptr);
  EXPECT_EQ(Get("user.token"), nullptr);
  EXPECT_NE(Get("http.url"), nullptr);
  EXPECT_EQ(attrs_.size(), 2);
}

TEST_F(ActionsTest, HashIsSha256HexOfTheValueBytes) {
  Str("s", "hello");
  Int("i", 42);
  UpsertAttribute(&attrs_, "b").set_bool_value(true);
  UpsertAttribute(&attrs_, "d").set_double_value(1.5);
  UpsertAttribute(&attrs_, "m").mutable_kvlist_value();
  Apply("actions:\n  - {key: s, action: hash}\n  - {key: i, action: hash}\n"
        "  - {key: b, action: hash}\n  - {key: d, action: hash}\n  - {key: m, action: hash}\n"
        "  - {pattern: '^user\\.', action: hash}\n");
  EXPECT_EQ(Get("s")->string_value(),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(Get("i")->string_value(),
            "ed049108bc18f2c64369e8d0ea42850bdd1a7d1dd340cfde716315579702a76c");
  EXPECT_EQ(Get("b")->string_value(),
            "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a");
  EXPECT_EQ(Get("d")->string_value(),
            "e163f8cb0f7067a7fc78ca859a77f849aea3214f38fb75b884e4a16be725c905");
  EXPECT_EQ(Get("m")->string_value(), "");  // as the Collector: only scalars hash
  EXPECT_EQ(Get("user.password")->string_value(),
            "f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7");
  EXPECT_EQ(Get("user.token")->string_value(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Get("http.method")->string_value(), "GET");
}

TEST_F(ActionsTest, ExtractNamedGroupsIntoAttributes) {
  Apply("actions:\n"
        "  - key: http.url\n"
        "    pattern: '^(?P<http_scheme>\\w+)://(?P<http_host>[^:/]+)(?::(?P<http_port>\\d+))?'\n"
        "    action: extract\n"
        "  - {key: http.status_code, pattern: '(?P<never>.)', action: extract}\n");
  EXPECT_EQ(Get("http_scheme")->string_value(), "https");
  EXPECT_EQ(Get("http_host")->string_value(), "shop.example.com");
  EXPECT_EQ(Get("http_port")->string_value(), "8443");
  EXPECT_EQ(Get("never"), nullptr);  // extract reads strings only
  EXPECT_EQ(Get("http.url")->string_value(), "https://shop.example.com:8443/cart?id=1");
}

TEST_F(ActionsTest, ExtractWithoutAMatchChangesNothing) {
  Str("path", "/no/scheme");
  const int before = attrs_.size();
  Apply("actions:\n  - {key: path, pattern: '^(?P<scheme>\\w+)://', action: extract}\n");
  EXPECT_EQ(attrs_.size(), before);
}

TEST_F(ActionsTest, Convert) {
  Str("si", "123");
  Str("sbad", "12x");
  Str("sd", "2.5");
  UpsertAttribute(&attrs_, "d").set_double_value(7.9);
  UpsertAttribute(&attrs_, "b").set_bool_value(true);
  Int("i", 5);
  UpsertAttribute(&attrs_, "bd").set_bool_value(false);
  UpsertAttribute(&attrs_, "m").mutable_kvlist_value();
  Apply("actions:\n"
        "  - {key: si, converted_type: int, action: convert}\n"
        "  - {key: sbad, converted_type: int, action: convert}\n"
        "  - {key: sd, converted_type: double, action: convert}\n"
        "  - {key: d, converted_type: int, action: convert}\n"
        "  - {key: b, converted_type: int, action: convert}\n"
        "  - {key: i, converted_type: string, action: convert}\n"
        "  - {key: bd, converted_type: double, action: convert}\n"
        "  - {key: http.status_code, converted_type: double, action: convert}\n"
        "  - {key: m, converted_type: int, action: convert}\n"
        "  - {key: missing, converted_type: int, action: convert}\n");
  EXPECT_EQ(Get("si")->int_value(), 123);
  EXPECT_EQ(Get("sbad")->string_value(), "12x");  // cannot parse: left alone
  EXPECT_DOUBLE_EQ(Get("sd")->double_value(), 2.5);
  EXPECT_EQ(Get("d")->int_value(), 7);            // truncation
  EXPECT_EQ(Get("b")->int_value(), 1);
  EXPECT_EQ(Get("i")->string_value(), "5");
  EXPECT_EQ(Get("bd")->value_case(), AnyValue::kDoubleValue);
  EXPECT_DOUBLE_EQ(Get("bd")->double_value(), 0);
  EXPECT_DOUBLE_EQ(Get("http.status_code")->double_value(), 404);
  EXPECT_EQ(Get("m")->value_case(), AnyValue::kKvlistValue);
  EXPECT_EQ(Get("missing"), nullptr);
}

TEST(ConvertValue, ToStringUsesTheCollectorsText) {
  AnyValue d;
  d.set_double_value(0.1);
  ConvertValue(&d, ConvertTo::kString);
  EXPECT_EQ(d.string_value(), "0.1");
  AnyValue b;
  b.set_bool_value(false);
  ConvertValue(&b, ConvertTo::kString);
  EXPECT_EQ(b.string_value(), "false");
  AnyValue m;
  auto* kv = m.mutable_kvlist_value()->add_values();
  kv->set_key("k");
  kv->mutable_value()->set_int_value(1);
  ConvertValue(&m, ConvertTo::kString);
  EXPECT_EQ(m.string_value(), "{\"k\":1}");
}

TEST_F(ActionsTest, ActionsRunInOrder) {
  Apply("actions:\n  - {key: copy, from_attribute: http.method, action: insert}\n"
        "  - {key: http.method, action: delete}\n"
        "  - {key: copy, action: hash}\n");
  EXPECT_EQ(Get("http.method"), nullptr);
  AnyValue get;
  get.set_string_value("GET");
  EXPECT_EQ(Get("copy")->string_value(), HashValue(get));
}

TEST(ValueFromYaml, TypesPlainScalarsAndKeepsQuotedOnesAsStrings) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(
      "a: 123\nb: '123'\nc: 1.5\nd: true\ne: prod\nf: \"true\"\ng: [1, x]\nh: {k: v}\ni: -7\n"
      "j: 0x1F\nk: 1e3\nl: 12abc\nm: null\n",
      "test.yaml", NoEnv, errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  auto v = [&](const char* key) { return ValueFromYaml(*loaded.root.Find(key)); };
  EXPECT_EQ(v("a")->int_value(), 123);
  EXPECT_EQ(v("b")->string_value(), "123");
  EXPECT_DOUBLE_EQ(v("c")->double_value(), 1.5);
  EXPECT_EQ(v("d")->value_case(), AnyValue::kBoolValue);
  EXPECT_TRUE(v("d")->bool_value());
  EXPECT_EQ(v("e")->string_value(), "prod");
  EXPECT_EQ(v("f")->string_value(), "true");
  ASSERT_EQ(v("g")->array_value().values_size(), 2);
  EXPECT_EQ(v("g")->array_value().values(0).int_value(), 1);
  EXPECT_EQ(v("g")->array_value().values(1).string_value(), "x");
  EXPECT_EQ(v("h")->kvlist_value().values(0).value().string_value(), "v");
  EXPECT_EQ(v("i")->int_value(), -7);
  EXPECT_EQ(v("j")->int_value(), 31);
  EXPECT_DOUBLE_EQ(v("k")->double_value(), 1000);
  EXPECT_EQ(v("l")->string_value(), "12abc");
  EXPECT_FALSE(v("m").has_value());
}

TEST(DecodeActions, Errors) {
  struct Case {
    const char* yaml;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {"x: 1\n", "processors::attributes::actions: missing required key \"actions\""},
           {"actions: []\n", "missing required key \"actions\""},
           {"actions: {key: a}\n", "expected a list of actions"},
           {"actions:\n  - {key: a, value: b}\n",
            "processors::attributes::actions[0]: missing required key \"action\""},
           {"actions:\n  - {value: b, action: upsert}\n",
            "processors::attributes::actions[0]: missing required key \"key\""},
           {"actions:\n  - {key: a, value: b, action: replace}\n",
            "actions[0]::action: unknown action \"replace\"; valid: insert, update, upsert, "
            "delete, hash, extract, convert"},
           {"actions:\n  - {key: a, value: b, from_attribute: c, action: upsert}\n",
            "takes only one of \"value\", \"from_attribute\" and \"from_context\""},
           {"actions:\n  - {key: a, action: insert}\n",
            "insert needs one of \"value\", \"from_attribute\" or \"from_context\""},
           {"actions:\n  - {key: a, value: null, action: insert}\n", "insert needs one of"},
           {"actions:\n  - {action: delete}\n", "delete needs \"key\" or \"pattern\""},
           {"actions:\n  - {pattern: '(', action: delete}\n",
            "actions[0]::pattern: invalid regular expression"},
           {"actions:\n  - {key: a, value: 1, action: hash}\n", "hash takes no value"},
           {"actions:\n  - {key: a, action: extract}\n", "extract needs \"pattern\""},
           {"actions:\n  - {key: a, pattern: '(\\w+)', action: extract}\n", "has no named groups"},
           {"actions:\n  - {key: a, pattern: '(?P<x>\\w+)-(\\w+)', action: extract}\n",
            "has an unnamed group"},
           {"actions:\n  - {key: a, action: convert}\n", "convert needs \"converted_type\""},
           {"actions:\n  - {key: a, converted_type: bool, action: convert}\n",
            "converted_type: must be int, double or string, got \"bool\""},
           {"actions:\n  - {key: a, value: 1, converted_type: int, action: upsert}\n",
            "converted_type: is only used by the convert action"},
           {"actions:\n  - {key: a, value: 1, pattern: x, action: upsert}\n",
            "pattern: is not used by the upsert action"},
           {"actions:\n  - {key: a, from_context: auth.subject, action: upsert}\n",
            "from_context: \"auth.subject\" is not supported by otlpd"},
           {"actions:\n  - {key: a, value: 1, action: upsert, colour: red}\n",
            "actions[0]::colour: unknown key"},
       }) {
    config::Errors errors;
    Decode(c.yaml, errors);
    EXPECT_FALSE(errors.empty()) << c.yaml;
    EXPECT_THAT(errors.ToString(), HasSubstr(c.expected)) << c.yaml;
  }
}

}  // namespace
}  // namespace otlpd::processor::attributes
