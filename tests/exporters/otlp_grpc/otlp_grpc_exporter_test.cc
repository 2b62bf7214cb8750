#include "exporters/otlp_grpc/otlp_grpc_exporter.h"

#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "exporters/otlp_grpc/factory.h"
#include "exporters/otlp_grpc/grpc_status.h"
#include "pipeline/self_metrics.h"
#include "tests/exporters/helper/encoded_traces.h"
#include "tests/exporters/helper/exporter_test_util.h"
#include "tests/exporters/otlp_grpc/fake_trace_service.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::otlp_grpc {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::MessageDifferencer;
using otlpd::testing::DecodeYaml;
using otlpd::testing::FakeAuthenticator;
using otlpd::testing::FakeHost;
using otlpd::testing::FakeTraceServer;
using otlpd::testing::LogCapture;
using otlpd::testing::MakeTraces;
using otlpd::testing::NonCanonicalTraces;
using otlpd::testing::ObservedClock;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr auto kWait = 10s;
using Answer = FakeTraceServer::Answer;

class OtlpGrpcExporterTest : public ::testing::Test {
 protected:
  OtlpGrpcExporterTest() {
    cfg_.tls.insecure = true;
    cfg_.helper.retry.initial_interval = 1s;
    cfg_.helper.retry.randomization_factor = 0;
    cfg_.helper.retry.multiplier = 2;
    cfg_.helper.queue.num_consumers = 1;
  }

  void StartServer(std::shared_ptr<const otlpd::testing::TestCertificate> cert = nullptr) {
    server_ = std::make_unique<FakeTraceServer>();
    ASSERT_TRUE(server_->Start(0, cert));
    cfg_.endpoint = server_->Target();
  }

  CreateSettings Settings() {
    CreateSettings s;
    s.id = ComponentId("otlp");
    s.logger = log_.logger();
    s.metrics = &metrics_;
    s.health = &health_;
    s.clock = clock_override_ != nullptr ? clock_override_ : &clock_;
    return s;
  }

  std::unique_ptr<TracesExporter> Make() {
    auto created = CreateOtlpGrpcExporter<TracesBatch>(Settings(), cfg_);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? std::move(*created) : nullptr;
  }
  int64_t Count(const std::string& name) {
    return metrics_.CounterValue(name, {{"exporter", "otlp"}});
  }
  int64_t Dropped(const std::string& reason) {
    return metrics_.CounterValue("otelcol_exporter_dropped_spans",
                                 {{"exporter", "otlp"}, {"reason", reason}});
  }
  void PassWait(int64_t n) {
    ASSERT_TRUE(clock_.WaitForEntries(n, kWait)) << "no retry wait #" << n;
    clock_.Advance(clock_.LastWait());
  }
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
  std::unique_ptr<FakeTraceServer> server_;
};

TEST_F(OtlpGrpcExporterTest, ExportsTheRequestWithHeaders) {
  StartServer();
  cfg_.headers["x-tenant"] = config::Secret("acme");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  TracesBatch batch = MakeTraces(3);
  const TraceRequest original = batch.request();
  ASSERT_TRUE(exporter->Consume(std::move(batch)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const auto received = server_->Requests().at(0);
  EXPECT_TRUE(MessageDifferencer::Equals(received.request, original));
  EXPECT_EQ(received.metadata.find("x-tenant")->second, "acme");
  EXPECT_THAT(received.metadata.find("user-agent")->second, HasSubstr("otlpd/"));
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
}

// An encoded batch (a receiver's bytes) is the message body as it is: Encode does not decode it,
// and the backend receives the request it describes.
TEST_F(OtlpGrpcExporterTest, EncodedBatchIsSentAsTheReceiversBytes) {
  OtlpGrpcSender<TracesBatch> sender(Settings(), cfg_);
  TracesBatch batch = NonCanonicalTraces(3);
  const std::string bytes = batch.encoded();
  StatusOr<helper::EncodedRequest> encoded = sender.Encode(std::move(batch));
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  EXPECT_EQ(encoded->payload, bytes);
  EXPECT_EQ(encoded->items, 3);

  StartServer();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(NonCanonicalTraces(3)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(server_->Requests().at(0).request,
                                         MakeTraces(3).request()));
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
}

TEST_F(OtlpGrpcExporterTest, TlsWithTheServersCa) {
  auto cert = otlpd::testing::MakeSelfSignedCertificate();
  ASSERT_NE(cert, nullptr);
  StartServer(cert);
  cfg_.tls.insecure = false;
  cfg_.tls.ca_file = cert->cert_file();
  cfg_.tls.server_name_override = "localhost";
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(server_->RequestCount(), 1u);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpGrpcExporterTest, TlsWithInsecureSkipVerify) {
  auto cert = otlpd::testing::MakeSelfSignedCertificate();
  ASSERT_NE(cert, nullptr);
  StartServer(cert);
  cfg_.tls.insecure = false;
  cfg_.tls.insecure_skip_verify = true;
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpGrpcExporterTest, TlsWithTheWrongCaIsRefused) {
  auto cert = otlpd::testing::MakeSelfSignedCertificate();
  auto other = otlpd::testing::MakeSelfSignedCertificate("other-ca");
  ASSERT_NE(cert, nullptr);
  ASSERT_NE(other, nullptr);
  StartServer(cert);
  cfg_.tls.insecure = false;
  cfg_.tls.ca_file = other->cert_file();
  cfg_.tls.server_name_override = "localhost";
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("export to 127.0.0.1:"));
  EXPECT_THAT(s.message(), HasSubstr("certificate verify failed"));
  EXPECT_EQ(server_->RequestCount(), 0u);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpGrpcExporterTest, UnavailableThreeTimesThenDeliveredOnce) {
  StartServer();
  for (int i = 0; i < 3; ++i) server_->Enqueue({.code = grpc::StatusCode::UNAVAILABLE});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(server_->WaitForRequests(i, kWait));
    PassWait(i);
  }
  ASSERT_TRUE(server_->WaitForRequests(4, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 4u);
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 2);
  const auto waits = clock_.Waits();
  ASSERT_GE(waits.size(), 3u);
  EXPECT_EQ(waits[0], Clock::Duration(1s));
  EXPECT_EQ(waits[2], Clock::Duration(4s));
}

TEST_F(OtlpGrpcExporterTest, ResourceExhaustedWithRetryInfoWaitsForItsDelay) {
  StartServer();
  cfg_.helper.retry.initial_interval = 100ms;
  server_->Enqueue({.code = grpc::StatusCode::RESOURCE_EXHAUSTED,
                    .message = "slow down",
                    .retry_delay = std::chrono::milliseconds(2000)});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  EXPECT_EQ(clock_.LastWait(), Clock::Duration(2s));
  clock_.Advance(clock_.LastWait());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 1);
}

TEST_F(OtlpGrpcExporterTest, ResourceExhaustedWithoutRetryInfoIsPermanent) {
  StartServer();
  server_->Enqueue({.code = grpc::StatusCode::RESOURCE_EXHAUSTED, .message = "quota"});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 1u);
  EXPECT_EQ(Dropped("permanent"), 1);
}

TEST_F(OtlpGrpcExporterTest, InvalidArgumentIsDroppedAtOnceWithTheServersMessage) {
  StartServer();
  server_->Enqueue({.code = grpc::StatusCode::INVALID_ARGUMENT, .message = "span too big"});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 1u);
  EXPECT_EQ(Dropped("permanent"), 2);
  const auto lines = log_.Matching("dropped 2 spans");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("INVALID_ARGUMENT: export to 127.0.0.1"));
  EXPECT_THAT(lines[0], HasSubstr("span too big"));
}

TEST_F(OtlpGrpcExporterTest, InternalIsPermanent) {
  StartServer();
  server_->Enqueue({.code = grpc::StatusCode::INTERNAL, .message = "boom"});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(server_->RequestCount(), 1u);
  EXPECT_EQ(Dropped("permanent"), 1);
}

TEST_F(OtlpGrpcExporterTest, BackendDownLongerThanMaxElapsedTimeDropsCountsAndLogsOnce) {
  StartServer();
  server_->SetDefault({.code = grpc::StatusCode::UNAVAILABLE, .message = "down"});
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
  const auto lines = log_.Matching("dropped");
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0], HasSubstr("exporter otlp: dropped 4 spans after 3 attempts"));
  EXPECT_THAT(lines[0], HasSubstr("UNAVAILABLE"));
  EXPECT_EQ(health_.Exporters().at("otlp").consecutive_failures, 3);
}

TEST_F(OtlpGrpcExporterTest, GracefulShutdownWithASlowBackendDrainsWhatItCan) {
  StartServer();
  server_->SetDefault({.delay = 400ms});
  clock_override_ = &RealClock::Get();
  cfg_.helper.queue.num_consumers = 2;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  const auto start = std::chrono::steady_clock::now();
  Status s = exporter->Shutdown(start + 1s);
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
  const int64_t sent = Count("otelcol_exporter_sent_spans");
  const int64_t dropped = Dropped("shutdown");
  EXPECT_GE(sent, 2);
  EXPECT_GE(dropped, 2);
  EXPECT_EQ(sent + dropped, 12);
}

TEST_F(OtlpGrpcExporterTest, AttemptTimesOutAfterTimeout) {
  StartServer();
  server_->SetDefault({.delay = 5s});
  cfg_.helper.timeout = 300ms;
  SendSynchronouslyOnce();
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  const auto start = std::chrono::steady_clock::now();
  Status s = exporter->Consume(MakeTraces(1));
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
}

TEST_F(OtlpGrpcExporterTest, ConnectionRefusedThenTheBackendComesUp) {
  StartServer();
  const uint16_t port = server_->port();
  server_->Stop();
  cfg_.helper.retry.initial_interval = 100ms;
  cfg_.helper.retry.max_interval = 100ms;
  cfg_.helper.retry.max_elapsed_time = 0s;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(2)).ok());
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));  // refused, waiting to retry

  FakeTraceServer revived;
  ASSERT_TRUE(revived.Start(port));
  // gRPC reconnects on its own (real-time) schedule; keep letting fake time through our
  // backoff until an attempt finds the channel connected.
  const auto give_up = std::chrono::steady_clock::now() + kWait;
  for (int64_t n = 1; revived.RequestCount() == 0; ++n) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "never reconnected";
    if (!clock_.WaitForEntries(n, 200ms)) {
      --n;  // an attempt is in flight or the request just arrived
      continue;
    }
    clock_.Advance(clock_.LastWait());
  }
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 2);
}

TEST_F(OtlpGrpcExporterTest, PartialSuccessIsCounted) {
  StartServer();
  server_->Enqueue({.rejected = 2, .partial_message = "too old"});
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(5)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 3);
  EXPECT_EQ(Count("otelcol_exporter_send_failed_spans"), 2);
  EXPECT_THAT(log_.Matching("rejected 2 of 5 spans: too old"), SizeIs(1));
}

TEST_F(OtlpGrpcExporterTest, UnauthenticatedInvalidatesAndRetriesOnceWithFreshMetadata) {
  StartServer();
  server_->RequireAuthorization("Bearer token-2");
  FakeAuthenticator auth;
  host_.extensions[ComponentId("oauth2client")] = &auth;
  cfg_.auth.authenticator = ComponentId("oauth2client");
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(2, kWait));
  ASSERT_TRUE(exporter->Shutdown(clock_.Now() + 10s).ok());
  const auto requests = server_->Requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[0].metadata.find("authorization")->second, "Bearer token-1");
  EXPECT_EQ(requests[1].metadata.find("authorization")->second, "Bearer token-2");
  EXPECT_EQ(auth.invalidations(), 1);
  EXPECT_EQ(Count("otelcol_exporter_sent_spans"), 1);
}

TEST_F(OtlpGrpcExporterTest, AuthenticatorRefusingPlaintextIsAStartError) {
  StartServer();
  FakeAuthenticator auth;
  auth.allow_insecure = false;
  host_.extensions[ComponentId("oauth2client")] = &auth;
  cfg_.auth.authenticator = ComponentId("oauth2client");
  auto exporter = Make();
  Status s = exporter->Start(host_);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("\"oauth2client\""));
  EXPECT_THAT(s.message(), HasSubstr("plaintext"));
  EXPECT_TRUE(exporter->Shutdown(clock_.Now() + 1s).ok());
}

TEST_F(OtlpGrpcExporterTest, FullQueueRefusesAndShutdownCancelsTheSlowCall) {
  StartServer();
  server_->SetDefault({.delay = 30s});
  cfg_.helper.queue.queue_size = 1;
  auto exporter = Make();
  ASSERT_TRUE(exporter->Start(host_).ok());
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  ASSERT_TRUE(server_->WaitForRequests(1, kWait));
  ASSERT_TRUE(exporter->Consume(MakeTraces(1)).ok());
  Status refused = exporter->Consume(MakeTraces(1));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_THAT(refused.message(), HasSubstr("queue"));
  EXPECT_TRUE(refused.retry_after().has_value());

  const auto start = std::chrono::steady_clock::now();
  auto shutdown =
      std::async(std::launch::async, [&] { return exporter->Shutdown(clock_.Now() + 5s); });
  ASSERT_TRUE(clock_.WaitForEntries(1, kWait));
  clock_.Advance(5s);
  EXPECT_EQ(shutdown.get().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(Dropped("shutdown"), 2);
}

TEST(GrpcStatusTest, CodesMapByNumberAndRetryInfoBecomesRetryAfter) {
  google::rpc::Status details;
  google::rpc::RetryInfo info;
  info.mutable_retry_delay()->set_seconds(1);
  info.mutable_retry_delay()->set_nanos(500'000'000);
  details.add_details()->PackFrom(info);
  Status s = StatusFromGrpc(
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "quota", details.SerializeAsString()),
      "export to c:4317");
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "export to c:4317: quota");
  EXPECT_EQ(s.retry_after(), std::chrono::milliseconds(1500));
  EXPECT_TRUE(IsRetryable(s));

  for (auto [code, retryable] : std::vector<std::pair<grpc::StatusCode, bool>>{
           {grpc::StatusCode::UNAVAILABLE, true},
           {grpc::StatusCode::DEADLINE_EXCEEDED, true},
           {grpc::StatusCode::ABORTED, true},
           {grpc::StatusCode::OUT_OF_RANGE, true},
           {grpc::StatusCode::CANCELLED, true},
           {grpc::StatusCode::DATA_LOSS, true},
           {grpc::StatusCode::RESOURCE_EXHAUSTED, false},
           {grpc::StatusCode::INVALID_ARGUMENT, false},
           {grpc::StatusCode::PERMISSION_DENIED, false},
           {grpc::StatusCode::UNAUTHENTICATED, false},
           {grpc::StatusCode::INTERNAL, false}}) {
    Status mapped = StatusFromGrpc(grpc::Status(code, "x"), "c");
    EXPECT_EQ(static_cast<int>(mapped.code()), static_cast<int>(code));
    EXPECT_EQ(IsRetryable(mapped), retryable) << StatusCodeName(mapped.code());
  }
}

TEST(OtlpGrpcConfigTest, DefaultsKeysAndErrors) {
  OtlpGrpcExporterFactory factory;
  EXPECT_EQ(factory.type(), "otlp_grpc");
  EXPECT_THAT(factory.aliases(), ElementsAre("otlp"));
  {
    config::Errors errors;
    auto cfg = DecodeYaml(factory, "exporters:\n  otlp:\n    endpoint: collector:4317\n", "otlp",
                          errors);
    ASSERT_TRUE(errors.empty()) << errors.ToString();
    const Config& c = static_cast<const Config&>(*cfg);
    EXPECT_EQ(c.helper.timeout, 5s);
    EXPECT_EQ(c.compression, Compression::kGzip);
    EXPECT_FALSE(c.tls.insecure);
    EXPECT_TRUE(UsesTls(c));
    EXPECT_EQ(GrpcTarget(c), "collector:4317");
    EXPECT_FALSE(c.keepalive.has_value());
  }
  {
    config::Errors errors;
    auto cfg = DecodeYaml(factory, R"(exporters:
  otlp/x:
    endpoint: http://collector:4317/
    tls:
      insecure: true
    compression: none
    headers:
      X-Tenant: acme
    keepalive:
      time: 10s
      timeout: 2s
      permit_without_stream: true
    timeout: 1s
)",
                          "otlp/x", errors);
    ASSERT_TRUE(errors.empty()) << errors.ToString();
    const Config& c = static_cast<const Config&>(*cfg);
    EXPECT_EQ(GrpcTarget(c), "collector:4317");
    EXPECT_FALSE(UsesTls(c));
    EXPECT_EQ(c.compression, Compression::kNone);
    EXPECT_EQ(c.headers.at("x-tenant").Reveal(), "acme");
    ASSERT_TRUE(c.keepalive.has_value());
    EXPECT_EQ(c.keepalive->time, 10s);
    EXPECT_EQ(c.keepalive->timeout, 2s);
    EXPECT_TRUE(c.keepalive->permit_without_stream);
    EXPECT_EQ(c.helper.timeout, 1s);
  }
  {
    config::Errors errors;
    DecodeYaml(factory, R"(exporters:
  otlp:
    compression: zstd
    tls:
      min_version: "1.3"
    headers:
      "bad key": x
    keepalive:
      tme: 1s
)",
               "otlp", errors);
    const std::string all = errors.ToString();
    EXPECT_THAT(all, HasSubstr("exporters::otlp::endpoint: must be set"));
    EXPECT_THAT(all, HasSubstr("exporters::otlp::compression: must be one of gzip, none"));
    EXPECT_THAT(all, HasSubstr("exporters::otlp::tls::min_version: not supported by otlp_grpc"));
    EXPECT_THAT(all, HasSubstr("invalid gRPC metadata key \"bad key\""));
    EXPECT_THAT(all, HasSubstr("unknown key \"tme\""));
  }
  {
    // An https:// endpoint is TLS whatever tls::insecure says.
    config::Errors errors;
    auto cfg = DecodeYaml(factory,
                          "exporters:\n  otlp:\n    endpoint: https://c:4317\n    tls:\n"
                          "      insecure: true\n",
                          "otlp", errors);
    ASSERT_TRUE(errors.empty()) << errors.ToString();
    EXPECT_TRUE(UsesTls(static_cast<const Config&>(*cfg)));
  }
}

TEST(OtlpGrpcConfigTest, ExportMethods) {
  EXPECT_EQ(ExportMethod(Signal::kTraces),
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
  EXPECT_EQ(ExportMethod(Signal::kMetrics),
            "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
  EXPECT_EQ(ExportMethod(Signal::kLogs),
            "/opentelemetry.proto.collector.logs.v1.LogsService/Export");
}

}  // namespace
}  // namespace otlpd::exporter::otlp_grpc
