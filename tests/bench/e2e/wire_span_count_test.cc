// CountSpansOnWire, the benchmark sink's counter: it must agree with a full parse on real requests
// (several resources and scopes, unknown fields skipped) and refuse malformed bytes.
#include <string>

#include <gtest/gtest.h>

#include "bench/e2e/wire_span_count.h"
#include "cmd/otlpgen/request_shapes.h"

namespace otlpd::bench {
namespace {

TEST(WireSpanCountTest, AgreesWithAFullParse) {
  TraceRequest req = otlpgen::MakeTraceRequest(123, 1);
  // A second resource with two scopes, one of them empty.
  auto* rs = req.add_resource_spans();
  rs->mutable_resource()->add_attributes()->set_key("service.name");
  rs->add_scope_spans();
  auto* ss = rs->add_scope_spans();
  for (int i = 0; i < 7; ++i) ss->add_spans()->set_name("x");
  EXPECT_EQ(CountItems(req), 130);
  EXPECT_EQ(CountSpansOnWire(req.SerializeAsString()), 130);
  EXPECT_EQ(CountSpansOnWire(""), 0);
}

TEST(WireSpanCountTest, MalformedBytesAreRefused) {
  const std::string body = otlpgen::MakeTraceRequest(10, 1).SerializeAsString();
  EXPECT_FALSE(CountSpansOnWire(body.substr(0, body.size() - 3)).has_value());
  EXPECT_FALSE(CountSpansOnWire(std::string("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)).has_value());
  EXPECT_FALSE(CountSpansOnWire(std::string("\x0f", 1)).has_value());  // wire type 7 does not exist
}

}  // namespace
}  // namespace otlpd::bench
