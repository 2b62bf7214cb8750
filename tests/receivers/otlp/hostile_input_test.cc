// Hostile input on both OTLP transports: oversized and numerous headers, big metadata, deep
// nesting in protobuf and JSON, huge attribute arrays, invalid UTF-8, IDs of the wrong length,
// compression bombs. Each case is answered with a refusal (or accepted) the same way on HTTP and
// gRPC, in bounded time, and nothing refused reaches the pipeline. The limits are listed in
// receivers/otlp/README.md ("Limits").
#include <chrono>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "pipeline/compression.h"
#include "pipeline/otlp_json.h"
#include "receivers/otlp/rpc_status.h"
#include "tests/receivers/otlp/harness.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::receiver::otlp::test {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::MakeTraces;
namespace collector = opentelemetry::proto::collector;
namespace common = opentelemetry::proto::common::v1;

constexpr char kProto[] = "application/x-protobuf";
constexpr char kJson[] = "application/json";

opentelemetry::proto::trace::v1::Span& FirstSpan(TraceRequest& r) {
  return *r.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0);
}

// A span attribute whose value is `depth` arrays, each holding the next.
TraceRequest NestedArrays(int depth) {
  TraceRequest r = MakeTraces(1).request();
  common::KeyValue* kv = FirstSpan(r).add_attributes();
  kv->set_key("deep");
  common::AnyValue* v = kv->mutable_value();
  for (int i = 0; i < depth; ++i) v = v->mutable_array_value()->add_values();
  v->set_int_value(1);
  return r;
}

// The same nesting in OTLP/JSON text, built by hand: protobuf will not print what it refuses.
std::string NestedArraysJson(int depth) {
  std::string json =
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"s","attributes":[{"key":"deep","value":)";
  for (int i = 0; i < depth; ++i) json += R"({"arrayValue":{"values":[)";
  json += R"({"intValue":"1"})";
  for (int i = 0; i < depth; ++i) json += "]}}";
  json += "}]}]}]}]}";
  return json;
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.cfg.http.emplace();
    h.cfg.grpc.emplace();
    h.cfg.grpc->max_recv_msg_size_mib = 8;  // room for the million-element array
    Status s = h.Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(h.grpc_port()),
                                   grpc::InsecureChannelCredentials());
  }
  grpc::Status GrpcExport(const TraceRequest& req,
                          const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
    auto stub = collector::trace::v1::TraceService::NewStub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    for (const auto& [k, v] : metadata) ctx.AddMetadata(k, v);
    collector::trace::v1::ExportTraceServiceResponse resp;
    return stub->Export(&ctx, req, &resp);
  }
  HttpResult HttpExport(const std::string& body, const std::string& type = kProto,
                        std::vector<std::string> headers = {}) {
    return HttpPost(h.http_port(), "/v1/traces", body, type, std::move(headers));
  }

  Harness h;
  std::shared_ptr<grpc::Channel> channel_;
};

// Found by otlp_proto_fuzzer. Protobuf's `bytes` takes any length; OTLP/JSON and the Go
// Collector ("unmarshal: invalid SpanID length") do not.
TEST_F(HostileInputTest, IdsOfTheWrongLengthAreRefusedOnBothTransports) {
  TraceRequest bad = MakeTraces(2).request();
  FirstSpan(bad).set_span_id(std::string(16, '\x75'));

  HttpResult r = HttpExport(bad.SerializeAsString());
  EXPECT_EQ(r.code, 400);
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(r.body));
  EXPECT_THAT(status.message(), HasSubstr("span span_id: want 8 bytes or none, got 16"));

  grpc::Status g = GrpcExport(bad);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(g.error_message(), HasSubstr("span span_id"));

  // The JSON form of the same span cannot even be written: 32 hex digits for a span ID.
  const std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"s",)"
                           R"("spanId":"75757575757575757575757575757575"}]}]}]})";
  EXPECT_EQ(HttpExport(json, kJson).code, 400);
  EXPECT_EQ(h.traces.ItemCount(), 0);
}

// protobuf's parser stops at 100 nested messages; an AnyValue array level is two of them.
TEST_F(HostileInputTest, DeeplyNestedProtobufValuesAreRefused) {
  const TraceRequest deep = NestedArrays(200);
  EXPECT_EQ(HttpExport(deep.SerializeAsString()).code, 400);
  const grpc::Status g = GrpcExport(deep);
  EXPECT_FALSE(g.ok());
  // gRPC answers a message it cannot parse itself, before our handler runs: INTERNAL, as
  // grpc-go does for the Go Collector ("grpc: error unmarshalling request").
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(h.traces.ItemCount(), 0);

  // Moderate nesting is data like any other.
  const TraceRequest fine = NestedArrays(20);
  EXPECT_EQ(HttpExport(fine.SerializeAsString()).code, 200);
  EXPECT_TRUE(GrpcExport(fine).ok());
  EXPECT_TRUE(h.traces.WaitForItems(2, 5s));
}

TEST_F(HostileInputTest, DeeplyNestedJsonIsRefusedWithoutExhaustingTheStack) {
  const auto start = std::chrono::steady_clock::now();
  HttpResult r = HttpExport(NestedArraysJson(100000), kJson);
  EXPECT_EQ(r.code, 400);
  // An unknown field is skipped without recursion, however deep: valid JSON, accepted (OTLP
  // asks receivers to ignore unknown fields), and the stack is safe.
  std::string unknown = R"({"resourceSpans":[],"x":)";
  unknown += std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_EQ(HttpExport(unknown, kJson).code, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(h.traces.ItemCount(), 0);
  EXPECT_EQ(HttpExport(NestedArraysJson(20), kJson).code, 200);
}

// Proto3 strings must be UTF-8; protobuf's decoders refuse anything else, in binary and in JSON.
// The Go Collector keeps such bytes (gogo protobuf does not check); otlpd refuses them on every
// transport and encoding alike, so that no exporter has to send invalid UTF-8 onwards.
TEST_F(HostileInputTest, InvalidUtf8IsRefusedOnEveryTransportAndEncoding) {
  // The generated setter does not check; the bytes reach the wire as they are.
  TraceRequest bad = MakeTraces(1).request();
  FirstSpan(bad).set_name("bad \xff\xfe name");
  std::string wire;
  ASSERT_TRUE(bad.SerializePartialToString(&wire));

  EXPECT_EQ(HttpExport(wire).code, 400);
  const grpc::Status g = GrpcExport(bad);
  EXPECT_FALSE(g.ok());
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INTERNAL);  // protobuf's parser refuses it

  const std::string raw_json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"bad "
                               "\xff\xfe name\"}]}]}]}";
  HttpResult r = HttpExport(raw_json, kJson);
  EXPECT_EQ(r.code, 400);
  // The error quotes the input; the answer must still be valid UTF-8 (a proto3 string).
  google::rpc::Status status;
  ASSERT_TRUE(ParseOtlpJson(r.body, status).ok()) << r.body;
  EXPECT_THAT(status.message(), HasSubstr("invalid OTLP/JSON"));
  google::rpc::Status reread;
  EXPECT_TRUE(reread.ParseFromString(status.SerializeAsString()));
  // A lone surrogate escape is not a character either.
  const std::string surrogate =
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"bad \ud800 name"}]}]}]})";
  EXPECT_EQ(HttpExport(surrogate, kJson).code, 400);
  EXPECT_EQ(h.traces.ItemCount(), 0);
}

// The error answer quotes client input; google.rpc.Status.message is a proto3 string, so each
// byte that is not UTF-8 becomes U+FFFD and well-formed characters stay as they are.
TEST(RpcStatusTest, MessagesAreMadeValidUtf8) {
  const google::rpc::Status s =
      ToRpcStatus(InvalidArgumentError("bad \xff\xfe \xed\xa0\x80 ok \xc3\xa9 \xf0\x9f\x98\x80"));
  EXPECT_EQ(s.message(),
            "bad \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd ok \xc3\xa9 "
            "\xf0\x9f\x98\x80");
  std::string wire;
  ASSERT_TRUE(s.SerializeToString(&wire));
  google::rpc::Status back;
  EXPECT_TRUE(back.ParseFromString(wire));  // a strict reader accepts it
}

// One million array elements (about 6 MB of protobuf, inside the 20 MiB body limit and the 8 MiB
// gRPC limit set above): accepted, in linear time, on both transports.
TEST_F(HostileInputTest, MillionElementAttributeArrayIsAcceptedInBoundedTime) {
  TraceRequest big = MakeTraces(1).request();
  common::KeyValue* kv = FirstSpan(big).add_attributes();
  kv->set_key("many");
  common::ArrayValue* array = kv->mutable_value()->mutable_array_value();
  for (int i = 0; i < 1'000'000; ++i) array->add_values()->set_int_value(i);
  const std::string wire = big.SerializeAsString();
  ASSERT_LT(wire.size(), 8u << 20);

  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(HttpExport(wire).code, 200);
  EXPECT_TRUE(GrpcExport(big).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(h.traces.WaitForItems(2, 5s));
}

// Beast's header limit (64 KiB for the request line and all headers): 431, then the connection
// closes. Many small headers hit the same byte limit; there is no separate count.
TEST_F(HostileInputTest, OversizedOrCountlessHeadersGet431) {
  for (const bool many : {false, true}) {
    RawClient c(h.http_port());
    ASSERT_TRUE(c.connected());
    std::string request = "POST /v1/traces HTTP/1.1\r\nHost: x\r\n";
    if (many) {
      for (int i = 0; i < 20000; ++i) request += "X-" + std::to_string(i) + ": y\r\n";
    } else {
      request += "X-Big: " + std::string(100 * 1024, 'a') + "\r\n";
    }
    request += "Content-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n";
    c.Write(request);
    bool closed = false;
    const std::string answer = c.ReadUntil(
        [](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; }, 5s,
        &closed);
    EXPECT_THAT(answer, HasSubstr("HTTP/1.1 431")) << (many ? "many headers" : "one big header");
    EXPECT_TRUE(c.WaitClosed(5s));
  }
  // The server is unharmed.
  EXPECT_EQ(HttpExport(MakeTraces(1).request().SerializeAsString()).code, 200);
}

// gRPC's own metadata limit (grpc.max_metadata_size, 8 KiB by default): the call fails, the
// server carries on.
TEST_F(HostileInputTest, OversizedGrpcMetadataIsRefused) {
  const grpc::Status g = GrpcExport(MakeTraces(1).request(), {{"x-big", std::string(64 * 1024, 'a')}});
  EXPECT_EQ(g.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << g.error_message();
  // gRPC may drop the connection the oversized call came on, and a call started on the old
  // channel can still land on the closing socket (UNAVAILABLE "Socket closed", which a real
  // client retries). The server must take the next call: make it on a fresh connection.
  grpc::ChannelArguments own_connection;  // channels share connections unless told not to
  own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto fresh = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(h.grpc_port()),
                                         grpc::InsecureChannelCredentials(), own_connection);
  auto stub = collector::trace::v1::TraceService::NewStub(fresh);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  ctx.set_wait_for_ready(true);
  collector::trace::v1::ExportTraceServiceResponse resp;
  const grpc::Status next = stub->Export(&ctx, MakeTraces(1).request(), &resp);
  EXPECT_TRUE(next.ok()) << next.error_code() << " " << next.error_message();
  EXPECT_TRUE(h.traces.WaitForItems(1, 5s));
  EXPECT_EQ(h.traces.ItemCount(), 1);
}

// A zstd bomb over HTTP (the gzip one is in http_test.cc): a small frame describing far more
// than the body limit.
TEST_F(HostileInputTest, ZstdBombIsRefusedOverHttp) {
  const std::string zeros(64 << 20, '\0');
  StatusOr<std::string> bomb = Compress(Compression::kZstd, zeros, 0);
  ASSERT_TRUE(bomb.ok());
  ASSERT_LT(bomb->size(), 64u * 1024);
  const auto start = std::chrono::steady_clock::now();
  HttpResult r = HttpExport(*bomb, kProto, {"Content-Encoding: zstd"});
  EXPECT_EQ(r.code, 400);
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(r.body));
  EXPECT_THAT(status.message(), HasSubstr("decompressed body exceeds"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

// gRPC decompresses (gzip, deflate) inside the library and holds the result to
// max_recv_msg_size_mib: a compressed message that inflates past it is RESOURCE_EXHAUSTED.
TEST_F(HostileInputTest, GzipBombIsRefusedOverGrpc) {
  TraceRequest big = MakeTraces(1).request();
  FirstSpan(big).set_name(std::string(32 << 20, 'x'));  // 32 MiB, compresses to ~32 KiB
  auto stub = collector::trace::v1::TraceService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  collector::trace::v1::ExportTraceServiceResponse resp;
  const grpc::Status g = stub->Export(&ctx, big, &resp);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << g.error_message();
  EXPECT_EQ(h.traces.ItemCount(), 0);
  EXPECT_TRUE(GrpcExport(MakeTraces(1).request()).ok());
}

}  // namespace
}  // namespace otlpd::receiver::otlp::test
