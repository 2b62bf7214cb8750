// The JSON object scanner behind token answers: what it accepts, unescapes and refuses.
#include "extensions/oauth2client/json_object_scan.h"

#include <gtest/gtest.h>

namespace otlpd::extension::oauth2client {
namespace {

using Kind = JsonMember::Kind;

TEST(JsonObjectScanTest, ReadsTopLevelStringsAndNumbers) {
  auto m = ScanJsonObject(
      " {\"access_token\" : \"abc\", \"expires_in\": 3600,\n\t\"ratio\": -1.5e+3 ,"
      " \"scope\":\"\"} ");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->at("access_token").kind, Kind::kString);
  EXPECT_EQ(m->at("access_token").value, "abc");
  EXPECT_EQ(m->at("expires_in").kind, Kind::kNumber);
  EXPECT_EQ(m->at("expires_in").value, "3600");
  EXPECT_EQ(m->at("ratio").value, "-1.5e+3");
  EXPECT_EQ(m->at("scope").value, "");
  EXPECT_TRUE(ScanJsonObject("{}").has_value());
}

TEST(JsonObjectScanTest, UnescapesStrings) {
  auto m = ScanJsonObject(
      R"({"s":"q\"b\\s\/n\nt\tu\u0041\u00e9\u20ac\ud83d\ude00","lone":"\ud800x"})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->at("s").value, "q\"b\\s/n\nt\tuA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(m->at("lone").value, "\xEF\xBF\xBDx");  // a lone surrogate becomes U+FFFD
}

TEST(JsonObjectScanTest, SkipsNestedValuesAndLiterals) {
  auto m = ScanJsonObject(
      R"({"a":{"b":[1,{"c":"}"}],"d":null},"t":true,"f":false,"n":null,"k":"v","e":[]})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->at("a").kind, Kind::kOther);
  EXPECT_EQ(m->at("t").kind, Kind::kOther);
  EXPECT_EQ(m->at("k").value, "v");
}

TEST(JsonObjectScanTest, LastDuplicateWins) {
  auto m = ScanJsonObject(R"({"k":"1","k":"2"})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->at("k").value, "2");
}

TEST(JsonObjectScanTest, RefusesWhatIsNotOneObject) {
  for (const char* bad :
       {"", "[]", "\"s\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{a:1}",
        "{\"a\":01}", "{\"a\":1.}", "{\"a\":\"\\x\"}", "{\"a\":\"\x01\"}", "{\"a\":tru}",
        "{\"a\":\"unterminated}", "{\"a\":[1,2}", "{\"a\":\"\\u12G4\"}"}) {
    EXPECT_FALSE(ScanJsonObject(bad).has_value()) << bad;
  }
  // Nesting is bounded, so hostile input cannot exhaust the stack.
  std::string deep = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_FALSE(ScanJsonObject(deep).has_value());
}

}  // namespace
}  // namespace otlpd::extension::oauth2client
