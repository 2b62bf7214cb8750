#include "exporters/otlp_http/otlp_http_exporter.h"

#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <future>
#include <memory>

#include "google/rpc/status.pb.h"
#include "pipeline/compression.h"
#include "pipeline/otlp_json.h"
#include "pipeline/self_metrics.h"
#include "tests/exporters/helper/encoded_traces.h"
#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::otlp_http {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::MessageDifferencer;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using otlpd::testing::CannedResponse;
using otlpd::testing::FakeAuthenticator;
using otlpd::testing::FakeHost;
using otlpd::testing::FakeHttpServer;
using otlpd::testing::LogCapture;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;
using otlpd::testing::NonCanonicalTraces;
using otlpd::testing::ObservedClock;
using otlpd::testing::RecordedRequest;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr auto kWait = 10s;

TraceRequest BodyAsTraces(const RecordedRequest& r) {
  TraceRequest out;
  std::string body = r.body;
  if (auto c = ParseContentEncoding(r.Header("content-encoding")); c && *c != Compression::kNone) {
    StatusOr<std::string> plain = Decompress(*c, body, 64 << 20);
    EXPECT_TRUE(plain.ok()) << plain.status().ToString();
    if (plain.ok()) body = *plain;
  }
  if (r.Header("content-type") == "application/json") {
    EXPECT_TRUE(ParseOtlpJson(body, out).ok());
  } else {
    EXPECT_TRUE(out.ParseFromString(body));
  }
  return out;
}

class OtlpHttpExporterTest : public ::testing::Test {
 protected:
  void StartServer(bool tls = false) {
    FakeHttpServer::Options options;
    options.tls = tls;
    server_ = std::make_unique<FakeHttpServer>(options);
    ASSERT_TRUE(server_->Start().ok());
    cfg_.endpoint = server_->Url();
  }

  OtlpHttpExporterTest() {
    cfg_.helper.retry.initial_interval = 1s;
    cfg_.helper.retry.randomization_factor = 0;
    cfg_.helper.retry.multiplier = 2;
    cfg_.helper.queue.num_consumers = 1;
  }

  CreateSettings Settings() {
    CreateSettings s;
    s.id = ComponentId("otlp_http", "b14");
    s.logger = log_.logger();
    s.metrics = &metrics_;
    s.health = &health_;
    s.clock = clock_override_ != nullptr ? clock_override_ : &clock_;
    return s;
  }

  template <class B = TracesBatch>
  std::unique_ptr<Exporter<B>> Make() {
    auto created = CreateOtlpHttpExporter<B>(Settings(), cfg_);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? std::move(*created) : nullptr;
  }

  int64_t Count(const std::string& name) {
    return metrics_.CounterValue(name, {{"exporter", "otlp_http/b14"}});
  }
  int64_t Dropped(const std::string& reason) {
    return metrics_.CounterValue("otelcol_exporter_dropped_spans",
                                 {{"exporter", "otlp_http/b14"}, {"reason", reason}});
  }
  void PassWait(int64_t n) {
    ASSERT_TRUE(clock_.WaitForEntries(n, kWait)) << "no retry wait #" << n;
    clock_.Advance(clock_.LastWait());
  }
  // Sends on the caller's thread, without retries: Consume returns the attempt's status.
  void SendSynchronouslyOnce() {
    cfg_.helper.queue.enabled = false;
    cfg_.helper.retry.enabled = false;
  }

  Config cfg_;
  ObservedClock clock_;
  Clock* clock_override_ = nullptr;
  SelfMetrics metrics_;
  HealthBoard health_;
  LogCapture log_;
  FakeHost host_;
  std::unique_ptr<FakeHttpServer> server_;
};

TEST_F(OtlpHttpExporterTest, SendsGzippedProtobufToTheTracesPath) {
  StartServer();
  cfg_.headers["X-Tenant"] = config::Secret("acme");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch batch = MakeTraces(3);
  const TraceRequest original = batch.request();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());

  const RecordedRequest r = server_->Requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/traces");
  EXPECT_EQ(r.Header("content-type"), "application/x-protobuf");
  EXPECT_EQ(r.Header("content-encoding"), "gzip");
  EXPECT_THAT(r.Header("user-agent"), StartsWith("otlpd/"));
  EXPECT_EQ(r.Header("x-tenant"), "acme");
  EXPECT_FALSE(r.HasHeader("expect"));
  EXPECT_TRUE(MessageDifferencer::Equals(BodyAsTraces(r), original));
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  EXPECT_EQ(health_.Exporters().at("otlp_http/b14").consecutive_failures, 0);
}

TEST_F(OtlpHttpExporterTest, SendsJsonWithZstd) {
  StartServer();
  cfg_.encoding = Encoding::kJson;
  cfg_.compression = Compression::kZstd;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch batch = MakeTraces(2);
  const TraceRequest original = batch.request();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const RecordedRequest r = server_->Requests().at(0);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("content-encoding"), "zstd");
  EXPECT_TRUE(MessageDifferencer::Equals(BodyAsTraces(r), original));
}

// An encoded batch (a receiver's bytes) goes out as exactly those bytes: never decoded.
TEST_F(OtlpHttpExporterTest, EncodedBatchIsSentAsTheReceiversBytes) {
  StartServer();
  cfg_.compression = Compression::kNone;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch batch = NonCanonicalTraces(3);
  const std::string bytes = batch.encoded();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const RecordedRequest r = server_->Requests().at(0);
  EXPECT_EQ(r.Header("content-type"), "application/x-protobuf");
  EXPECT_EQ(r.body, bytes);
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
}

TEST_F(OtlpHttpExporterTest, EncodedBatchIsGzippedAsItCame) {
  StartServer();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch batch = NonCanonicalTraces(3);
  const std::string bytes = batch.encoded();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const RecordedRequest r = server_->Requests().at(0);
  EXPECT_EQ(r.Header("content-encoding"), "gzip");
  StatusOr<std::string> plain = Decompress(Compression::kGzip, r.body, 64 << 20);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain, bytes);
}

// JSON needs the objects: the encoded batch is decoded, and the JSON says the same.
TEST_F(OtlpHttpExporterTest, EncodedBatchAsJsonIsDecodedFirst) {
  StartServer();
  cfg_.encoding = Encoding::kJson;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(NonCanonicalTraces(2)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const RecordedRequest r = server_->Requests().at(0);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_TRUE(MessageDifferencer::Equals(BodyAsTraces(r), MakeTraces(2).request()));
}

TEST_F(OtlpHttpExporterTest, MetricsWithoutCompressionGoToTheMetricsPath) {
  StartServer();
  cfg_.compression = Compression::kNone;
  auto exporter = Make<MetricsBatch>();
  ASSERT_TRUE(exporter->Start(host_).ok());
  MetricsBatch batch = MakeMetrics(4);
  const MetricsRequest original = batch.request();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const RecordedRequest r = server_->Requests().at(0);
  EXPECT_EQ(r.target, "/v1/metrics");
  EXPECT_FALSE(r.HasHeader("content-encoding"));
  MetricsRequest got;
  ASSERT_TRUE(got.ParseFromString(r.body));
  EXPECT_TRUE(MessageDifferencer::Equals(got, original));
  EXPECT_EQ(metrics_.CounterValue("otelcol_exporter_sent_metric_points",
                                  {{"exporter", "otlp_http/b14"}}),
            4);
}

TEST_F(OtlpHttpExporterTest, KeepsABasePathAndUsesSignalEndpointsVerbatim) {
  StartServer();
  cfg_.endpoint = server_->Url() + "/prefix/";
  cfg_.metrics_endpoint = server_->Url() + "/custom/metrics-in";
  auto traces = Make();
  auto metrics = Make<MetricsBatch>();
  ASSERT_TRUE(traces->Start(host_).ok());
  ASSERT_TRUE(metrics->Start(host_).ok());
  ASSERT_TRUE(traces->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(metrics->Consume(MakeMetrics(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(traces->Shutdown(clock_.Now() + 10s).ok());
  ASSERT_TRUE(metrics->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->Requests().at(0).target, "/prefix/v1/traces");
  EXPECT_EQ(server_->Requests().at(1).target, "/custom/metrics-in");
}

TEST_F(OtlpHttpExporterTest, HttpsWithTheServersCaFile) {
  StartServer(/*tls=*/true);
  cfg_.tls.ca_file = server_->CaFile();
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(server_->RequestCount(), 1u);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpHttpExporterTest, HttpsWithInsecureSkipVerify) {
  StartServer(/*tls=*/true);
  cfg_.tls.insecure_skip_verify = true;
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpHttpExporterTest, HttpsWithTheWrongCaIsRefusedWithAClearError) {
  StartServer(/*tls=*/true);
  auto other = otlpd::testing::MakeSelfSignedCertificate("some-other-ca");
  ASSERT_NE(other, nullptr);
  cfg_.tls.ca_file = other->cert_file();
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("TLS with https://127.0.0.1"));
  EXPECT_THAT(s.message(), HasSubstr("certificate"));
  EXPECT_THAT(s.message(), HasSubstr("tls::ca_file"));
  EXPECT_EQ(server_->RequestCount(), 0u);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpHttpExporterTest, ServerNameOverrideIsWhatTheCertificateIsCheckedAgainst) {
  StartServer(/*tls=*/true);
  cfg_.tls.ca_file = server_->CaFile();
  SendSynchronouslyOnce();
  cfg_.tls.server_name_override = "localhost";  // in the certificate
  auto good = Make();
  ASSERT_TRUE(good->Start(host_).ok());
  EXPECT_TRUE(good->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(good->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->Requests().at(0).Header("host"),
            "127.0.0.1:" + std::to_string(server_->port()));

  cfg_.tls.server_name_override = "wrong.example";  // not in it
  auto bad = Make();
  ASSERT_TRUE(bad->Start(host_).ok());
  Status s = bad->Consume(MakeTraces(1));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("TLS with"));
  ASSERT_TRUE(bad->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpHttpExporterTest, UnreadableCaFileIsAStartError) {
  StartServer(/*tls=*/true);
  cfg_.tls.ca_file = "/nonexistent/otlpd-ca.pem";
  auto exporter = Make();
  Status s = exporter->Start(host_);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("tls::ca_file"));
  EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
}

TEST_F(OtlpHttpExporterTest, Retries503ThenDeliversOnce) {
  StartServer();
  for (int i = 0; i < 3; ++i) server_->Enqueue({.status = 503});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(server_->WaitForRequests(i, kWait));
    PassWait(i);
  }
  ASSERT_TRUE(server_->WaitForRequests(4, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const auto requests = server_->Requests();
  ASSERT_THAT(requests, SizeIs(4));
  for (const auto& r : requests) EXPECT_EQ(r.body, requests[0].body);  // encoded once
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 0);
  EXPECT_THAT(clock_.Waits(), ::testing::Contains(Clock::Duration(4s)));
}

TEST_F(OtlpHttpExporterTest, TooManyRequestsWaitsForRetryAfterSeconds) {
  StartServer();
  cfg_.helper.retry.initial_interval = 100ms;
  server_->Enqueue({.status = 429, .headers = {{"Retry-After", "2"}}});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_GE(clock_.LastWait(), Clock::Duration(2s));  // on the fake clock
  clock_.Advance(clock_.LastWait());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 1);
}

TEST_F(OtlpHttpExporterTest, ServiceUnavailableWaitsForRetryAfterHttpDate) {
  StartServer();
  cfg_.helper.retry.initial_interval = 100ms;
  // Ten seconds after the fake wall clock's "now".
  const std::time_t at = std::chrono::system_clock::to_time_t(clock_.WallNow()) + 10;
  char date[64];
  std::tm tm{};
  gmtime_r(&at, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  server_->Enqueue({.status = 503, .headers = {{"Retry-After", date}}});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_GE(clock_.LastWait(), Clock::Duration(9s));
  EXPECT_LE(clock_.LastWait(), Clock::Duration(10s));
  clock_.Advance(clock_.LastWait());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpHttpExporterTest, BadRequestIsDroppedAtOnceWithTheServersMessage) {
  StartServer();
  google::rpc::Status status;
  status.set_code(3);
  status.set_message("span name too long");
  server_->Enqueue({.status = 400,
                    .headers = {{"Content-Type", "application/x-protobuf"}},
                    .body = status.SerializeAsString()});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 1u);
  EXPECT_EQ(Dropped("permanent"), 2);
  const auto lines = log_.Matching("dropped 2 spans");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("INVALID_ARGUMENT: HTTP 400 from http://127.0.0.1"));
  EXPECT_THAT(lines[0], HasSubstr("span name too long"));
}

TEST_F(OtlpHttpExporterTest, InternalServerErrorIsPermanent) {
  StartServer();
  server_->Enqueue({.status = 500, .body = "boom"});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 1u);
  EXPECT_EQ(Dropped("permanent"), 2);
  EXPECT_THAT(log_.Matching("INTERNAL: HTTP 500"), SizeIs(1));
}

TEST_F(OtlpHttpExporterTest, AttemptTimesOutAfterTimeout) {
  StartServer();
  server_->SetDefaultResponse({.status = 200, .delay = 5s});
  cfg_.helper.timeout = 300ms;
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  const auto start = std::chrono::steady_clock::now();
  Status s = exporter->Consume(MakeTraces(1));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_TRUE(IsRetryable(s));
  EXPECT_LT(took, 3s);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpHttpExporterTest, ConnectionRefusedThenTheBackendComesUp) {
  StartServer();
  const uint16_t port = server_->port();
  server_->Stop();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));  // the refused attempt is waiting to retry
  EXPECT_EQ(health_.Exporters().at("otlp_http/b14").consecutive_failures, 1);

  FakeHttpServer::Options options;
  options.port = port;
  FakeHttpServer revived(options);
  ASSERT_TRUE(revived.Start().ok());
  clock_.Advance(clock_.LastWait());
  ASSERT_TRUE(revived.WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 2);
  EXPECT_EQ(health_.Exporters().at("otlp_http/b14").consecutive_failures, 0);
}

TEST_F(OtlpHttpExporterTest, TransportErrorMidRequestIsRetried) {
  StartServer();
  server_->Enqueue({.close_without_response = true});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  PassWait(1);
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 1);
}

TEST_F(OtlpHttpExporterTest, PartialSuccessIsLoggedAndCounted) {
  StartServer();
  ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(2);
  response.mutable_partial_success()->set_error_message("spans too old");
  server_->Enqueue({.status = 200,
                    .headers = {{"Content-Type", "application/x-protobuf"}},
                    .body = response.SerializeAsString()});
  server_->Enqueue({.status = 200,
                    .headers = {{"Content-Type", "application/json"}},
                    .body = R"({"partialSuccess":{"rejectedSpans":"1","errorMessage":"bad"}})"});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 2u);  // a partial success is not retried
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 3);
  EXPECT_THAT(log_.Matching("rejected 2 of 3 spans: spans too old"), SizeIs(1));
  EXPECT_THAT(log_.Matching("rejected 1 of 3 spans: bad"), SizeIs(1));
}

TEST_F(OtlpHttpExporterTest, BackendDownLongerThanMaxElapsedTimeDropsCountsAndLogsOnce) {
  StartServer();
  server_->SetDefaultResponse({.status = 503});
  cfg_.helper.retry.max_elapsed_time = 5s;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(4)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  PassWait(1);
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  PassWait(2);
  ASSERT_TRUE(server_->WaitForRequests(3, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 3u);
  EXPECT_EQ(Dropped("retries_exhausted"), 4);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 4);
  const auto lines = log_.Matching("dropped");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("otlp_http/b14"));
  EXPECT_THAT(lines[0], HasSubstr("4 spans"));
  EXPECT_THAT(lines[0], HasSubstr("HTTP 503"));
  EXPECT_EQ(health_.Exporters().at("otlp_http/b14").consecutive_failures, 3);
}

TEST_F(OtlpHttpExporterTest, FullQueueRefusesAndShutdownCancelsTheSlowRequest) {
  StartServer();
  server_->SetDefaultResponse({.status = 200, .delay = 30s});
  cfg_.helper.queue.queue_size = 1;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));  // in flight, answer delayed
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());  // queued
  Status refused = exporter->Consume(MakeTraces(1));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_THAT(refused.message(), HasSubstr("queue"));
  EXPECT_TRUE(refused.retry_after().has_value());
  EXPECT_EQ(Count("otelcol_exporter_enqueue_failed_spans"), 1);

  const auto start = std::chrono::steady_clock::now();
  auto shutdown =
      std::async(std::launch::async, [&] { return exporter->Shutdown(clock_.Now() + 5s); });
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  clock_.Advance(5s);
  EXPECT_EQ(shutdown.get().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // not the server's 30s
  EXPECT_EQ(Dropped("shutdown"), 2);
}

TEST_F(OtlpHttpExporterTest, GracefulShutdownWithASlowBackendDrainsWhatItCan) {
  StartServer();
  server_->SetDefaultResponse({.status = 200, .delay = 400ms});
  clock_override_ = &RealClock::Get();
  cfg_.helper.queue.num_consumers = 2;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());

  const auto start = std::chrono::steady_clock::now();
  Status s = exporter->Shutdown(start + 1s);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_LT(took, 2500ms);
  const int64_t sent = Count("otelcol_exporter_sent_spans");
  const int64_t dropped = Dropped("shutdown");
  EXPECT_GE(sent, 2);
  EXPECT_GE(dropped, 2);
  EXPECT_EQ(sent + dropped, 12);
  EXPECT_THAT(log_.Matching("shutdown deadline reached"), SizeIs(1));
}

TEST_F(OtlpHttpExporterTest, UnauthorizedInvalidatesTheTokenAndRetriesOnceAtOnce) {
  StartServer();
  server_->SetHandler([](const RecordedRequest& r) {
    return CannedResponse{.status = r.Header("authorization") == "Bearer token-1" ? 401 : 200};
  });
  FakeAuthenticator auth;
  host_.extensions[ComponentId("oauth2client")] = &auth;
  cfg_.auth.authenticator = ComponentId("oauth2client");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(3)).ok());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const auto requests = server_->Requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer token-1");
  EXPECT_EQ(requests[1].Header("authorization"), "Bearer token-2");
  EXPECT_EQ(auth.invalidations(), 1);
  EXPECT_EQ(clock_.Waits().size(), 1u);  // no backoff: only Shutdown's wait
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
}

TEST_F(OtlpHttpExporterTest, UnauthorizedTwiceIsPermanent) {
  StartServer();
  server_->SetDefaultResponse({.status = 401});
  FakeAuthenticator auth;
  host_.extensions[ComponentId("oauth2client")] = &auth;
  cfg_.auth.authenticator = ComponentId("oauth2client");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 2u);
  EXPECT_EQ(auth.invalidations(), 1);
  EXPECT_EQ(Dropped("permanent"), 1);
  EXPECT_THAT(log_.Matching("UNAUTHENTICATED: HTTP 401"), SizeIs(1));
}

TEST_F(OtlpHttpExporterTest, CredentialFailureIsRetryable) {
  StartServer();
  FakeAuthenticator auth;
  auth.FailWith(UnavailableError("token endpoint https://idp/token unreachable"));
  host_.extensions[ComponentId("oauth2client")] = &auth;
  cfg_.auth.authenticator = ComponentId("oauth2client");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_EQ(server_->RequestCount(), 0u);
  auth.FailWith(OkStatus());
  clock_.Advance(clock_.LastWait());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 1);
}

TEST_F(OtlpHttpExporterTest, AuthenticatorProblemsAreStartErrorsNamingIt) {
  StartServer();
  cfg_.auth.authenticator = ComponentId("oauth2client");
  {
    auto exporter = Make();
    Status s = exporter->Start(host_);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(s.message(), HasSubstr("\"oauth2client\" is not configured"));
    EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
  }
  class NotAnAuthenticator : public Extension {} plain;
  host_.extensions[ComponentId("oauth2client")] = &plain;
  {
    auto exporter = Make();
    Status s = exporter->Start(host_);
    EXPECT_THAT(s.message(), HasSubstr("\"oauth2client\" is not an authenticator"));
    EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
  }
  FakeAuthenticator auth;
  auth.allow_insecure = false;
  host_.extensions[ComponentId("oauth2client")] = &auth;
  {
    auto exporter = Make();
    Status s = exporter->Start(host_);
    EXPECT_THAT(s.message(), HasSubstr("plaintext"));
    EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
  }
}

TEST_F(OtlpHttpExporterTest, OneWorkerReusesOneConnection) {
  StartServer();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  for (size_t i = 1; i <= 3; ++i) {
    ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
    ASSERT_TRUE(server_->WaitForRequests(i, kWait));
  }
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->ConnectionCount(), 1u);
}

TEST_F(OtlpHttpExporterTest, NoUrlForTheSignalIsACreateError) {
  cfg_.endpoint.clear();
  cfg_.traces_endpoint = "http://127.0.0.1:1/v1/traces";
  auto created = CreateOtlpHttpExporter<LogsBatch>(Settings(), cfg_);
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(created.status().message(), HasSubstr("logs_endpoint"));
}

}  // namespace
}  // namespace otlpd::exporter::otlp_http
