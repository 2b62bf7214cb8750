// The building blocks of the debug exporter's text: IDs, timestamps, numbers, values, enums.
#include "exporters/debug/value_text.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace otlpd::exporter::debug {
namespace {

TEST(ValueTextTest, HexIdsAreLowerCaseAndEmptyWhenAbsent) {
  EXPECT_EQ(HexId(std::string("\x01\xab\xff\x00", 4)), "01abff00");
  EXPECT_EQ(HexId(""), "");
}

TEST(ValueTextTest, TimestampsPrintLikeGo) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(FormatTimestamp(1581452772000000321ull), "2020-02-11 20:26:12.000000321 +0000 UTC");
  EXPECT_EQ(FormatTimestamp(1581452773500000000ull), "2020-02-11 20:26:13.5 +0000 UTC");
}

TEST(ValueTextTest, DoublesUseShortestDigits) {
  EXPECT_EQ(FormatDouble(1.5), "1.5");
  EXPECT_EQ(FormatDouble(123.456), "123.456");
  EXPECT_EQ(FormatDouble(1000000), "1000000");
  EXPECT_EQ(FormatDouble(0), "0");
  EXPECT_EQ(FormatDouble(1e21), "1e+21");
  EXPECT_EQ(FormatDouble(1e-7), "1e-7");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatDouble(std::nan("")), "NaN");
}

TEST(ValueTextTest, ValuesAsStringAndTyped) {
  AnyValue v;
  EXPECT_EQ(TypedValue(v), "Empty()");
  v.set_string_value("GET");
  EXPECT_EQ(TypedValue(v), "Str(GET)");
  v.set_int_value(-42);
  EXPECT_EQ(TypedValue(v), "Int(-42)");
  v.set_double_value(0.25);
  EXPECT_EQ(TypedValue(v), "Double(0.25)");
  v.set_bool_value(true);
  EXPECT_EQ(TypedValue(v), "Bool(true)");
  v.set_bytes_value(std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(TypedValue(v), "Bytes(AQIDBA==)");

  AnyValue list;
  auto* arr = list.mutable_array_value();
  arr->add_values()->set_string_value("a\"b");
  arr->add_values()->set_int_value(1);
  arr->add_values()->set_double_value(2.5);
  arr->add_values();
  EXPECT_EQ(TypedValue(list), R"(Slice(["a\"b",1,2.5,null]))");

  AnyValue map;
  auto* kv = map.mutable_kvlist_value()->add_values();
  kv->set_key("z");
  kv->mutable_value()->set_bool_value(false);
  kv = map.mutable_kvlist_value()->add_values();
  kv->set_key("a");
  kv->mutable_value()->mutable_kvlist_value();
  EXPECT_EQ(ValueAsString(map), R"({"a":{},"z":false})");  // keys sorted, like Go's encoder
}

TEST(ValueTextTest, EnumNames) {
  EXPECT_EQ(SpanKindName(0), "Unspecified");
  EXPECT_EQ(SpanKindName(2), "Server");
  EXPECT_EQ(SpanKindName(5), "Consumer");
  EXPECT_EQ(SpanKindName(9), "9");
  EXPECT_EQ(StatusCodeName(2), "Error");
  EXPECT_EQ(SeverityName(0), "Unspecified");
  EXPECT_EQ(SeverityName(9), "Info");
  EXPECT_EQ(SeverityName(10), "Info2");
  EXPECT_EQ(SeverityName(24), "Fatal4");
  EXPECT_EQ(TemporalityName(2), "Cumulative");
}

}  // namespace
}  // namespace otlpd::exporter::debug
