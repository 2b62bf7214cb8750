// OTLP/HTTP receiver tests: a real receiver on 127.0.0.1:0, real clients (libcurl, raw sockets).
#include <zlib.h>

#include <chrono>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pipeline/compression.h"
#include "pipeline/otlp_json.h"
#include "tests/receivers/otlp/harness.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::receiver::otlp::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using otlpd::testing::ErrConsumer;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;

constexpr char kProto[] = "application/x-protobuf";
constexpr char kJson[] = "application/json";

std::string TracesBody(int n) { return MakeTraces(n).request().SerializeAsString(); }

google::rpc::Status DecodeStatus(const HttpResult& r) {
  google::rpc::Status s;
  if (r.header("content-type") == kJson) {
    EXPECT_TRUE(ParseOtlpJson(r.body, s).ok()) << r.body;
  } else {
    EXPECT_EQ(r.header("content-type"), kProto);
    EXPECT_TRUE(s.ParseFromString(r.body)) << "body is not a google.rpc.Status";
  }
  return s;
}

class HttpReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override { h.cfg.http.emplace(); }
  void StartOrDie(std::optional<ReceiverConsumers> next = std::nullopt) {
    Status s = h.Start(next);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_GT(h.http_port(), 0);
  }
  Harness h;
};

TEST_F(HttpReceiverTest, AcceptsEverySignalAsProtobuf) {
  StartOrDie();
  HttpResult t = HttpPost(h.http_port(), "/v1/traces", TracesBody(3), kProto);
  EXPECT_EQ(t.code, 200);
  EXPECT_EQ(t.header("content-type"), kProto);
  EXPECT_EQ(t.body, "");  // the empty ExportTraceServiceResponse
  HttpResult m = HttpPost(h.http_port(), "/v1/metrics",
                          MakeMetrics(4).request().SerializeAsString(), kProto);
  EXPECT_EQ(m.code, 200);
  HttpResult l = HttpPost(h.http_port(), "/v1/logs", MakeLogs(5).request().SerializeAsString(),
                          kProto);
  EXPECT_EQ(l.code, 200);

  ASSERT_TRUE(h.traces.WaitForItems(3, 5s));
  ASSERT_TRUE(h.metrics_sink.WaitForItems(4, 5s));
  ASSERT_TRUE(h.logs.WaitForItems(5, 5s));
  EXPECT_EQ(h.traces.Batches()[0].request().resource_spans(0).scope_spans(0).spans(2).name(),
            "span-2");
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_spans", "http"), 3);
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_metric_points", "http"), 4);
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_log_records", "http"), 5);
  // Without include_metadata no headers travel with the batch.
  EXPECT_TRUE(h.traces.Batches()[0].metadata().empty());
}

TEST_F(HttpReceiverTest, AcceptsJsonWithHexIdsAndAnswersJson) {
  StartOrDie();
  const std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{
      "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175",
      "name":"from-json","kind":2,"startTimeUnixNano":"1700000000000000000"}]}]}]})";
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", json, "application/json; charset=utf-8");
  EXPECT_EQ(r.code, 200);
  EXPECT_EQ(r.header("content-type"), kJson);
  EXPECT_EQ(r.body, "{}");
  ASSERT_TRUE(h.traces.WaitForItems(1, 5s));
  const std::vector<TracesBatch> batches = h.traces.Batches();
  const auto& span = batches[0].request().resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(span.name(), "from-json");
  EXPECT_EQ(span.trace_id(), std::string("\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c", 16));
  EXPECT_EQ(span.span_id(), std::string("\xee\xe1\x9b\x7e\xc3\xc1\xb1\x75", 8));
}

// Protobuf bodies are scanned, not decoded: the next consumer gets the (decompressed) body
// itself as an encoded batch. OTLP/JSON is decoded into a message, so its batch is decoded.
TEST_F(HttpReceiverTest, ProtobufBodiesTravelEncodedAndJsonDecoded) {
  StartOrDie();
  const std::string body = TracesBody(3);
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", body, kProto).code, 200);
  StatusOr<std::string> gz = Compress(Compression::kGzip, body, 0);
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", *gz, kProto, {"Content-Encoding: gzip"}).code,
            200);
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/metrics", MakeMetrics(4).request().SerializeAsString(),
                     kProto).code, 200);
  StatusOr<std::string> json = PrintOtlpJson(MakeLogs(2).request());
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/logs", *json, kJson).code, 200);

  ASSERT_TRUE(h.traces.WaitForBatches(2, 5s));
  for (const TracesBatch& b : h.traces.Batches()) {
    ASSERT_TRUE(b.is_encoded());
    EXPECT_EQ(b.encoded(), body);
    EXPECT_EQ(b.ItemCount(), 3);
  }
  ASSERT_TRUE(h.metrics_sink.WaitForItems(4, 5s));
  EXPECT_TRUE(h.metrics_sink.Batches()[0].is_encoded());
  ASSERT_TRUE(h.logs.WaitForItems(2, 5s));
  EXPECT_FALSE(h.logs.Batches()[0].is_encoded());
  EXPECT_EQ(h.logs.Batches()[0].ItemCount(), 2);
}

TEST_F(HttpReceiverTest, DecodesGzipDeflateAndZstdBodies) {
  StartOrDie();
  int expected = 0;
  for (Compression c : {Compression::kGzip, Compression::kDeflate, Compression::kZstd}) {
    SCOPED_TRACE(std::string(CompressionName(c)));
    StatusOr<std::string> packed = Compress(c, TracesBody(2), 0);
    ASSERT_TRUE(packed.ok());
    HttpResult r = HttpPost(h.http_port(), "/v1/traces", *packed, kProto,
                            {"Content-Encoding: " + std::string(CompressionName(c))});
    EXPECT_EQ(r.code, 200) << r.body;
    expected += 2;
    EXPECT_TRUE(h.traces.WaitForItems(expected, 5s));
  }
  // JSON compressed too.
  StatusOr<std::string> json = PrintOtlpJson(MakeLogs(2).request());
  HttpResult r = HttpPost(h.http_port(), "/v1/logs", *Compress(Compression::kGzip, *json, 0), kJson,
                          {"Content-Encoding: GZIP"});
  EXPECT_EQ(r.code, 200) << r.body;
  EXPECT_TRUE(h.logs.WaitForItems(2, 5s));
}

TEST_F(HttpReceiverTest, WrongMethodIs405WithAllowAndAStatusBody) {
  StartOrDie();
  HttpResult r = HttpRequest(h.http_port(), "GET", "/v1/traces", "", kProto);
  EXPECT_EQ(r.code, 405);
  EXPECT_EQ(r.header("allow"), "POST");
  google::rpc::Status s = DecodeStatus(r);
  EXPECT_EQ(s.code(), 3);
  EXPECT_THAT(s.message(), HasSubstr("GET is not allowed"));
  // Without cors configured, OPTIONS is just another wrong method.
  EXPECT_EQ(HttpRequest(h.http_port(), "OPTIONS", "/v1/traces", "", "").code, 405);
}

TEST_F(HttpReceiverTest, WrongContentTypeIs415InPlainText) {
  StartOrDie();
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", TracesBody(1), "text/plain");
  EXPECT_EQ(r.code, 415);
  EXPECT_THAT(r.header("content-type"), HasSubstr("text/plain"));
  EXPECT_THAT(r.body, HasSubstr("unsupported Content-Type \"text/plain\""));
  EXPECT_EQ(h.traces.ItemCount(), 0);
}

TEST_F(HttpReceiverTest, UnknownPathIs404) {
  StartOrDie();
  HttpResult plain = HttpPost(h.http_port(), "/v1/profiles", "x", "text/plain");
  EXPECT_EQ(plain.code, 404);
  EXPECT_THAT(plain.body, HasSubstr("nothing is served at /v1/profiles"));
  // When the encoding is known, the body is a google.rpc.Status in it.
  HttpResult proto = HttpPost(h.http_port(), "/v2/traces", TracesBody(1), kProto);
  EXPECT_EQ(proto.code, 404);
  EXPECT_EQ(DecodeStatus(proto).code(), 5);
  HttpResult json = HttpPost(h.http_port(), "/nope", "{}", kJson);
  EXPECT_EQ(json.code, 404);
  EXPECT_EQ(DecodeStatus(json).code(), 5);
}

TEST_F(HttpReceiverTest, ConfiguredPathsReplaceTheDefaults) {
  h.cfg.http->traces_url_path = "/custom/traces";
  StartOrDie();
  EXPECT_EQ(HttpPost(h.http_port(), "/custom/traces", TracesBody(1), kProto).code, 200);
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto).code, 404);
  // A query string does not change the route.
  EXPECT_EQ(HttpPost(h.http_port(), "/custom/traces?x=1", TracesBody(1), kProto).code, 200);
}

TEST_F(HttpReceiverTest, BadBodiesAre400WithAStatusInTheRequestEncoding) {
  StartOrDie();
  const std::string body = TracesBody(3);
  struct Case {
    std::string name, body, content_type, encoding, message;
  } cases[] = {
      {"unknown encoding", body, kProto, "br", "unsupported Content-Encoding \"br\""},
      {"corrupt gzip", "definitely not gzip", kProto, "gzip", "invalid gzip data"},
      {"corrupt zstd", "definitely not zstd", kJson, "zstd", "invalid zstd data"},
      {"truncated protobuf", body.substr(0, body.size() / 2), kProto, "", "cannot parse"},
      {"unparsable json", R"({"resourceSpans": [)", kJson, "", "invalid OTLP/JSON"},
      {"bad hex id", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]})", kJson,
       "", "traceId"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> headers;
    if (!c.encoding.empty()) headers.push_back("Content-Encoding: " + c.encoding);
    HttpResult r = HttpPost(h.http_port(), "/v1/traces", c.body, c.content_type, headers);
    EXPECT_EQ(r.code, 400);
    EXPECT_EQ(r.header("content-type"), c.content_type);
    google::rpc::Status s = DecodeStatus(r);
    EXPECT_EQ(s.code(), 3);
    EXPECT_THAT(s.message(), HasSubstr(c.message));
  }
  EXPECT_EQ(h.traces.ItemCount(), 0);
}

TEST_F(HttpReceiverTest, EmptyRequestIsOkAndNotForwarded) {
  StartOrDie();
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", "", kProto).code, 200);
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", "{}", kJson).code, 200);
  EXPECT_TRUE(h.traces.Batches().empty());
}

TEST_F(HttpReceiverTest, RawBodyLimitIsExact) {
  const std::string body = TracesBody(20);
  h.cfg.http->max_request_body_size = static_cast<int64_t>(body.size());
  StartOrDie();
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", body, kProto).code, 200);
  // One byte more (a trailing empty field-7 tag would still parse, so pad the scope instead).
  TraceRequest bigger = MakeTraces(20).request();
  bigger.mutable_resource_spans(0)->set_schema_url("x");
  const std::string over = bigger.SerializeAsString();
  ASSERT_GT(over.size(), body.size());
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", over, kProto);
  EXPECT_EQ(r.code, 400);
  EXPECT_THAT(DecodeStatus(r).message(), HasSubstr("body exceeds " + std::to_string(body.size())));
  // Chunked bodies (no Content-Length) hit the same limit while streaming.
  HttpResult chunked = HttpPost(h.http_port(), "/v1/traces", over, kProto,
                                {"Transfer-Encoding: chunked"});
  EXPECT_EQ(chunked.code, 400);
  EXPECT_EQ(h.traces.ItemCount(), 20);
}

TEST_F(HttpReceiverTest, DecodedBodyLimitIsExact) {
  const std::string body = TracesBody(50);
  h.cfg.http->max_request_body_size = static_cast<int64_t>(body.size());
  StartOrDie();
  StatusOr<std::string> packed = Compress(Compression::kGzip, body, 0);
  ASSERT_LT(packed->size(), body.size());
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", *packed, kProto, {"Content-Encoding: gzip"}).code,
            200);
  // Compressed size well under the limit, decoded size one field over it.
  TraceRequest bigger = MakeTraces(50).request();
  bigger.mutable_resource_spans(0)->set_schema_url("x");
  StatusOr<std::string> packed_over = Compress(Compression::kGzip, bigger.SerializeAsString(), 0);
  ASSERT_LT(packed_over->size(), body.size());
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", *packed_over, kProto,
                          {"Content-Encoding: gzip"});
  EXPECT_EQ(r.code, 400);
  EXPECT_THAT(DecodeStatus(r).message(),
              HasSubstr("decompressed body exceeds " + std::to_string(body.size())));
  EXPECT_EQ(h.traces.ItemCount(), 50);
}

// 1 GiB of zeros as a ~1 MiB gzip body (see tests/pipeline/compression for the construction).
std::string GzipBomb() {
  const std::string zeros(1 << 20, '\0');
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string buf(1 << 20, '\0');
  auto run = [&](int flush, std::string_view in) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    deflate(&zs, flush);
    return std::string(buf.data(), buf.size() - zs.avail_out);
  };
  std::string out = run(Z_FULL_FLUSH, zeros);
  const std::string chunk = run(Z_FULL_FLUSH, zeros);
  for (int i = 1; i < 1024; ++i) out += chunk;
  std::string finish = run(Z_FINISH, "");
  deflateEnd(&zs);
  out += finish;  // its trailer describes 2 MiB, irrelevant: decoding stops long before it
  return out;
}

TEST_F(HttpReceiverTest, GzipBombIsRefusedWith400) {
  h.cfg.http->max_request_body_size = 2 << 20;
  StartOrDie();
  const std::string bomb = GzipBomb();
  ASSERT_LT(bomb.size(), static_cast<size_t>(2 << 20));  // passes the raw limit
  const auto start = std::chrono::steady_clock::now();
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", bomb, kProto, {"Content-Encoding: gzip"});
  EXPECT_EQ(r.code, 400);
  EXPECT_THAT(DecodeStatus(r).message(), HasSubstr("decompressed body exceeds 2097152 bytes"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(h.traces.ItemCount(), 0);
}

TEST_F(HttpReceiverTest, UnservedSignalIs404) {
  StartOrDie(ReceiverConsumers{.traces = &h.traces});
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto).code, 200);
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/logs", MakeLogs(1).request().SerializeAsString(), kProto)
                .code,
            404);
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/metrics", "{}", kJson).code, 404);
}

TEST_F(HttpReceiverTest, RetryableRefusalIs503WithRetryAfter) {
  ErrConsumer<TracesBatch> full(UnavailableError("queue is full", 2500ms));
  ErrConsumer<LogsBatch> quota(ResourceExhaustedError("rate limited", 100ms));
  StartOrDie(ReceiverConsumers{.traces = &full, .logs = &quota});
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", TracesBody(4), kProto);
  EXPECT_EQ(r.code, 503);
  EXPECT_EQ(r.header("retry-after"), "3");  // 2.5 s rounded up
  google::rpc::Status s = DecodeStatus(r);
  EXPECT_EQ(s.code(), 14);
  EXPECT_EQ(s.message(), "queue is full");
  ASSERT_EQ(s.details_size(), 1);
  google::rpc::RetryInfo info;
  ASSERT_TRUE(s.details(0).UnpackTo(&info));
  EXPECT_EQ(info.retry_delay().seconds(), 2);
  EXPECT_EQ(info.retry_delay().nanos(), 500'000'000);
  EXPECT_EQ(h.Counter("otelcol_receiver_refused_spans", "http"), 4);
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_spans", "http"), 0);

  HttpResult q = HttpPost(h.http_port(), "/v1/logs", MakeLogs(1).request().SerializeAsString(),
                          kProto);
  EXPECT_EQ(q.code, 429);
  EXPECT_EQ(q.header("retry-after"), "1");  // at least one second
}

TEST_F(HttpReceiverTest, RefusalWithoutHintStillCarriesRetryAfterAndJsonStatus) {
  ErrConsumer<TracesBatch> full(UnavailableError("memory"));
  StartOrDie(ReceiverConsumers{.traces = &full});
  StatusOr<std::string> json = PrintOtlpJson(MakeTraces(1).request());
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", *json, kJson);
  EXPECT_EQ(r.code, 503);
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_THAT(r.body, HasSubstr("type.googleapis.com/google.rpc.RetryInfo"));
  google::rpc::Status s = DecodeStatus(r);
  EXPECT_EQ(s.code(), 14);
}

TEST_F(HttpReceiverTest, PermanentPipelineErrorIs500) {
  ErrConsumer<TracesBatch> broken(InternalError("exporter misconfigured"));
  StartOrDie(ReceiverConsumers{.traces = &broken});
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto);
  EXPECT_EQ(r.code, 500);
  EXPECT_EQ(r.header("retry-after"), "");
  google::rpc::Status s = DecodeStatus(r);
  EXPECT_EQ(s.code(), 13);
  EXPECT_EQ(s.details_size(), 0);
}

TEST_F(HttpReceiverTest, AdmitRefusalAnswersBeforeTheBodyIsSent) {
  StartOrDie();
  h.traces.SetAdmit(UnavailableError("data refused due to high memory usage"));
  RawClient c(h.http_port());
  ASSERT_TRUE(c.connected());
  // Headers announce a 10 MB body that never comes: only an answer given before reading the
  // body can arrive.
  c.Write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
          "Content-Length: 10000000\r\n\r\n");
  bool closed = false;
  const std::string got = c.ReadUntil(
      [](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; }, 5s, &closed);
  EXPECT_THAT(got, HasSubstr("HTTP/1.1 503"));
  EXPECT_THAT(got, HasSubstr("Retry-After: 1"));
  EXPECT_THAT(got, HasSubstr("Connection: close"));
  EXPECT_TRUE(c.WaitClosed(5s));
  EXPECT_EQ(h.traces.ItemCount(), 0);

  // The same with curl and a real body.
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", TracesBody(2), kProto);
  EXPECT_EQ(r.code, 503);
  EXPECT_EQ(r.header("retry-after"), "1");
  h.traces.SetAdmit(OkStatus());
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", TracesBody(2), kProto).code, 200);
}

TEST_F(HttpReceiverTest, ExpectContinueIsAnswered) {
  StartOrDie();
  const auto start = std::chrono::steady_clock::now();
  HttpResult r = HttpPost(h.http_port(), "/v1/traces", TracesBody(2), kProto,
                          {"Expect: 100-continue"});
  EXPECT_EQ(r.code, 200);
  // curl waits 1 s for "100 Continue" before sending the body anyway.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
}

TEST_F(HttpReceiverTest, KeepAliveServesPipelinedRequestsOnOneConnection) {
  StartOrDie();
  const std::string body = TracesBody(1);
  const std::string request = "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: "
                              "application/x-protobuf\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
  RawClient c(h.http_port());
  ASSERT_TRUE(c.connected());
  c.Write(request + request);  // both at once: pipelined
  const std::string got = c.ReadUntil(
      [](const std::string& s) { return RawClient::CountResponses(s) >= 2; }, 5s);
  EXPECT_EQ(RawClient::CountResponses(got), 2u);
  EXPECT_THAT(got, Not(HasSubstr("Connection: close")));
  c.Write(request);  // and a third after the pause, on the same connection
  const std::string more = c.ReadUntil(
      [](const std::string& s) { return RawClient::CountResponses(s) >= 3; }, 5s);
  EXPECT_EQ(RawClient::CountResponses(more), 3u);
  EXPECT_TRUE(h.traces.WaitForBatches(3, 5s));

  // curl reuses its connection too.
  CURL* curl = curl_easy_init();
  EXPECT_EQ(HttpRequest(h.http_port(), "POST", "/v1/traces", body, kProto, {}, curl).code, 200);
  EXPECT_EQ(HttpRequest(h.http_port(), "POST", "/v1/traces", body, kProto, {}, curl).code, 200);
  long new_connections = -1;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
  EXPECT_EQ(new_connections, 0);
  curl_easy_cleanup(curl);
}

TEST_F(HttpReceiverTest, SlowHeadersAreCutOffWhileOthersAreServed) {
  h.cfg.http->read_header_timeout = 300ms;
  StartOrDie();
  RawClient slow(h.http_port());
  ASSERT_TRUE(slow.connected());
  slow.Write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Ty");  // and nothing more
  // Another client is served meanwhile.
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto).code, 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.WaitClosed(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(HttpReceiverTest, ConnectionsBeyondTheLimitAreClosedAndCounted) {
  h.cfg.http->max_connections = 1;
  StartOrDie();
  const std::string body = TracesBody(1);
  RawClient first(h.http_port());
  first.Write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_EQ(RawClient::CountResponses(first.ReadUntil(
                [](const std::string& s) { return RawClient::CountResponses(s) >= 1; }, 5s)),
            1u);
  RawClient second(h.http_port());  // the kernel accepts; the server closes at once
  EXPECT_TRUE(second.WaitClosed(5s));
  EXPECT_EQ(h.metrics.CounterValue("otlpd_receiver_refused_connections",
                                   {{"receiver", "otlp"}, {"transport", "http"}}),
            1);
}

TEST_F(HttpReceiverTest, CorsPreflightAndSimpleRequests) {
  h.cfg.http->cors.emplace();
  h.cfg.http->cors->allowed_origins = {"https://*.example.com", "http://localhost:3000"};
  h.cfg.http->cors->allowed_headers = {"X-Custom"};
  h.cfg.http->cors->max_age = 600;
  StartOrDie();
  HttpResult ok = HttpRequest(h.http_port(), "OPTIONS", "/v1/traces", "", "",
                              {"Origin: https://app.example.com",
                               "Access-Control-Request-Method: POST",
                               "Access-Control-Request-Headers: content-type, x-custom"});
  EXPECT_EQ(ok.code, 204);
  EXPECT_EQ(ok.header("access-control-allow-origin"), "https://app.example.com");
  EXPECT_EQ(ok.header("access-control-allow-methods"), "POST");
  EXPECT_EQ(ok.header("access-control-allow-headers"), "content-type, x-custom");
  EXPECT_EQ(ok.header("access-control-max-age"), "600");
  EXPECT_EQ(ok.header("vary"), "Origin");

  HttpResult bad_origin = HttpRequest(h.http_port(), "OPTIONS", "/v1/traces", "", "",
                                      {"Origin: https://evil.com",
                                       "Access-Control-Request-Method: POST"});
  EXPECT_EQ(bad_origin.code, 204);
  EXPECT_EQ(bad_origin.header("access-control-allow-origin"), "");
  HttpResult bad_header = HttpRequest(h.http_port(), "OPTIONS", "/v1/traces", "", "",
                                      {"Origin: http://localhost:3000",
                                       "Access-Control-Request-Method: POST",
                                       "Access-Control-Request-Headers: x-other"});
  EXPECT_EQ(bad_header.header("access-control-allow-origin"), "");

  HttpResult post = HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto,
                             {"Origin: http://localhost:3000"});
  EXPECT_EQ(post.code, 200);
  EXPECT_EQ(post.header("access-control-allow-origin"), "http://localhost:3000");
  HttpResult foreign = HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto,
                                {"Origin: https://evil.com"});
  EXPECT_EQ(foreign.code, 200);  // CORS is for browsers to enforce; the data is accepted
  EXPECT_EQ(foreign.header("access-control-allow-origin"), "");
}

TEST_F(HttpReceiverTest, IncludeMetadataCopiesHeaders) {
  h.cfg.http->include_metadata = true;
  StartOrDie();
  EXPECT_EQ(HttpPost(h.http_port(), "/v1/traces", TracesBody(1), kProto,
                     {"X-Tenant: acme", "X-Multi: a", "X-Multi: b"})
                .code,
            200);
  ASSERT_TRUE(h.traces.WaitForItems(1, 5s));
  const std::vector<TracesBatch> batches = h.traces.Batches();
  const ClientMetadata& md = batches[0].metadata();
  ASSERT_TRUE(md.count("x-tenant"));
  EXPECT_EQ(md.at("x-tenant"), std::vector<std::string>{"acme"});
  EXPECT_EQ(md.at("x-multi"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(md.at("content-type"), std::vector<std::string>{kProto});
}

TEST_F(HttpReceiverTest, PortInUseIsAStartErrorNamingTheAddress) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor taken(
      ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const int port = taken.local_endpoint().port();
  h.cfg.http->endpoint = "127.0.0.1:" + std::to_string(port);
  Status s = h.Start(std::nullopt, /*keep_endpoints=*/true);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "otlp: cannot listen on 127.0.0.1:" + std::to_string(port) +
                             " (http): address already in use");
}

TEST_F(HttpReceiverTest, ShutdownClosesIdleConnectionsPromptly) {
  StartOrDie();
  RawClient idle(h.http_port());
  const std::string body = TracesBody(1);
  idle.Write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
             "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  idle.ReadUntil([](const std::string& s) { return RawClient::CountResponses(s) >= 1; }, 5s);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(h.receiver->Shutdown(std::chrono::steady_clock::now() + 5s).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(idle.WaitClosed(2s));
  EXPECT_EQ(h.http_port(), 0);
}

TEST(HttpReceiverLifecycleTest, ShutdownWithoutStartIsSafe) {
  otlpd::testing::SinkConsumer<TracesBatch> traces;
  OtlpReceiverConfig cfg;
  cfg.http = HttpServerConfig{};
  cfg.grpc = GrpcServerConfig{};
  CreateSettings settings;
  settings.id = ComponentId("otlp");
  OtlpReceiver r(settings, cfg, {&traces, nullptr, nullptr});
  EXPECT_TRUE(r.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
  EXPECT_TRUE(r.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
  EXPECT_EQ(r.http_port(), 0);
}

}  // namespace
}  // namespace otlpd::receiver::otlp::test
