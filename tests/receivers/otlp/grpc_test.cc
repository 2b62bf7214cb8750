// OTLP/gRPC receiver tests: a real receiver on 127.0.0.1:0 and generated grpc++ stubs.
#include <chrono>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "tests/receivers/otlp/harness.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::receiver::otlp::test {
namespace {

using ::testing::HasSubstr;
using otlpd::testing::ErrConsumer;
using otlpd::testing::MakeLogs;
using otlpd::testing::MakeMetrics;
using otlpd::testing::MakeTraces;
namespace collector = opentelemetry::proto::collector;

class GrpcReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override { h.cfg.grpc.emplace(); }
  void StartOrDie(std::optional<ReceiverConsumers> next = std::nullopt) {
    Status s = h.Start(next);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_GT(h.grpc_port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(h.grpc_port()),
                                   grpc::InsecureChannelCredentials());
  }
  std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + 10s);
    return ctx;
  }
  grpc::Status ExportTraces(const TraceRequest& req, grpc::ClientContext* ctx = nullptr) {
    auto stub = collector::trace::v1::TraceService::NewStub(channel_);
    collector::trace::v1::ExportTraceServiceResponse resp;
    auto own = Context();
    return stub->Export(ctx != nullptr ? ctx : own.get(), req, &resp);
  }

  Harness h;
  std::shared_ptr<grpc::Channel> channel_;
};

google::rpc::RetryInfo RetryInfoOf(const grpc::Status& s) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(s.error_details())) << "no grpc-status-details-bin";
  EXPECT_EQ(details.code(), s.error_code());
  google::rpc::RetryInfo info;
  EXPECT_EQ(details.details_size(), 1);
  if (details.details_size() == 1) {
    EXPECT_TRUE(details.details(0).UnpackTo(&info));
  }
  return info;
}

TEST_F(GrpcReceiverTest, AcceptsEverySignal) {
  StartOrDie();
  EXPECT_TRUE(ExportTraces(MakeTraces(3).request()).ok());

  auto metrics = collector::metrics::v1::MetricsService::NewStub(channel_);
  collector::metrics::v1::ExportMetricsServiceResponse mresp;
  EXPECT_TRUE(metrics->Export(Context().get(), MakeMetrics(4).request(), &mresp).ok());

  auto logs = collector::logs::v1::LogsService::NewStub(channel_);
  collector::logs::v1::ExportLogsServiceResponse lresp;
  EXPECT_TRUE(logs->Export(Context().get(), MakeLogs(5).request(), &lresp).ok());
  EXPECT_FALSE(lresp.has_partial_success());

  ASSERT_TRUE(h.traces.WaitForItems(3, 5s));
  ASSERT_TRUE(h.metrics_sink.WaitForItems(4, 5s));
  ASSERT_TRUE(h.logs.WaitForItems(5, 5s));
  EXPECT_EQ(h.traces.Batches()[0].request().resource_spans(0).scope_spans(0).spans(1).name(),
            "span-1");
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_spans", "grpc"), 3);
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_metric_points", "grpc"), 4);
  EXPECT_EQ(h.Counter("otelcol_receiver_accepted_log_records", "grpc"), 5);
  EXPECT_TRUE(h.traces.Batches()[0].metadata().empty());
}

// The receiver scans the message instead of decoding it: the next consumer gets the very bytes
// the client sent, as an encoded batch, for every signal and also when gRPC compressed them.
TEST_F(GrpcReceiverTest, HandsOnTheWireBytesAsEncodedBatches) {
  StartOrDie();
  const TraceRequest traces = MakeTraces(3).request();
  EXPECT_TRUE(ExportTraces(traces).ok());
  auto ctx = Context();
  ctx->set_compression_algorithm(GRPC_COMPRESS_GZIP);
  EXPECT_TRUE(ExportTraces(traces, ctx.get()).ok());
  auto metrics = collector::metrics::v1::MetricsService::NewStub(channel_);
  collector::metrics::v1::ExportMetricsServiceResponse mresp;
  EXPECT_TRUE(metrics->Export(Context().get(), MakeMetrics(4).request(), &mresp).ok());
  auto logs = collector::logs::v1::LogsService::NewStub(channel_);
  collector::logs::v1::ExportLogsServiceResponse lresp;
  EXPECT_TRUE(logs->Export(Context().get(), MakeLogs(5).request(), &lresp).ok());

  ASSERT_TRUE(h.traces.WaitForBatches(2, 5s));
  for (const TracesBatch& b : h.traces.Batches()) {
    ASSERT_TRUE(b.is_encoded());
    EXPECT_EQ(b.encoded(), traces.SerializeAsString());
    EXPECT_EQ(b.ItemCount(), 3);
  }
  ASSERT_TRUE(h.metrics_sink.WaitForItems(4, 5s));
  EXPECT_TRUE(h.metrics_sink.Batches()[0].is_encoded());
  EXPECT_EQ(h.metrics_sink.Batches()[0].ItemCount(), 4);
  ASSERT_TRUE(h.logs.WaitForItems(5, 5s));
  EXPECT_TRUE(h.logs.Batches()[0].is_encoded());
}

TEST_F(GrpcReceiverTest, AcceptsGzipAndDeflateMessages) {
  StartOrDie();
  for (grpc_compression_algorithm algo : {GRPC_COMPRESS_GZIP, GRPC_COMPRESS_DEFLATE}) {
    auto ctx = Context();
    ctx->set_compression_algorithm(algo);
    EXPECT_TRUE(ExportTraces(MakeTraces(100).request(), ctx.get()).ok());
  }
  EXPECT_TRUE(h.traces.WaitForItems(200, 5s));
}

TEST_F(GrpcReceiverTest, EmptyRequestIsOkAndNotForwarded) {
  StartOrDie();
  EXPECT_TRUE(ExportTraces(TraceRequest()).ok());
  EXPECT_TRUE(h.traces.Batches().empty());
}

TEST_F(GrpcReceiverTest, UnservedSignalIsUnimplemented) {
  StartOrDie(ReceiverConsumers{.traces = &h.traces});
  EXPECT_TRUE(ExportTraces(MakeTraces(1).request()).ok());
  auto logs = collector::logs::v1::LogsService::NewStub(channel_);
  collector::logs::v1::ExportLogsServiceResponse resp;
  grpc::Status s = logs->Export(Context().get(), MakeLogs(1).request(), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(GrpcReceiverTest, RetryableRefusalCarriesRetryInfo) {
  ErrConsumer<TracesBatch> full(UnavailableError("queue is full", 2500ms));
  StartOrDie(ReceiverConsumers{.traces = &full});
  grpc::Status s = ExportTraces(MakeTraces(2).request());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(s.error_message(), "queue is full");
  google::rpc::RetryInfo info = RetryInfoOf(s);
  EXPECT_EQ(info.retry_delay().seconds(), 2);
  EXPECT_EQ(info.retry_delay().nanos(), 500'000'000);
  EXPECT_EQ(h.Counter("otelcol_receiver_refused_spans", "grpc"), 2);
}

TEST_F(GrpcReceiverTest, RefusalWithoutHintGetsOneSecond) {
  ErrConsumer<TracesBatch> full(UnavailableError("memory"));
  StartOrDie(ReceiverConsumers{.traces = &full});
  grpc::Status s = ExportTraces(MakeTraces(1).request());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(RetryInfoOf(s).retry_delay().seconds(), 1);
}

TEST_F(GrpcReceiverTest, AdmitRefusalSkipsThePipeline) {
  StartOrDie();
  h.traces.SetAdmit(UnavailableError("data refused due to high memory usage", 3s));
  grpc::Status s = ExportTraces(MakeTraces(2).request());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(), HasSubstr("high memory usage"));
  EXPECT_EQ(RetryInfoOf(s).retry_delay().seconds(), 3);
  EXPECT_EQ(h.traces.ItemCount(), 0);
  EXPECT_EQ(h.Counter("otelcol_receiver_refused_spans", "grpc"), 2);
}

TEST_F(GrpcReceiverTest, PermanentPipelineErrorIsInternalWithoutRetryInfo) {
  ErrConsumer<TracesBatch> broken(InternalError("exporter misconfigured"));
  StartOrDie(ReceiverConsumers{.traces = &broken});
  grpc::Status s = ExportTraces(MakeTraces(1).request());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.details_size(), 0);
}

TEST_F(GrpcReceiverTest, IncludeMetadataCopiesCallMetadata) {
  h.cfg.grpc->include_metadata = true;
  StartOrDie();
  auto ctx = Context();
  ctx->AddMetadata("x-tenant", "acme");
  EXPECT_TRUE(ExportTraces(MakeTraces(1).request(), ctx.get()).ok());
  ASSERT_TRUE(h.traces.WaitForItems(1, 5s));
  const std::vector<TracesBatch> batches = h.traces.Batches();
  const ClientMetadata& md = batches[0].metadata();
  ASSERT_TRUE(md.count("x-tenant"));
  EXPECT_EQ(md.at("x-tenant"), std::vector<std::string>{"acme"});
}

TEST_F(GrpcReceiverTest, MessagesAboveMaxRecvSizeAreRefused) {
  h.cfg.grpc->max_recv_msg_size_mib = 1;
  StartOrDie();
  TraceRequest big = MakeTraces(1).request();
  big.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->set_name(
      std::string(1100 * 1024, 'x'));
  grpc::Status s = ExportTraces(big);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(h.traces.ItemCount(), 0);
  EXPECT_TRUE(ExportTraces(MakeTraces(1).request()).ok());
}

TEST_F(GrpcReceiverTest, PortInUseIsAStartErrorNamingTheAddress) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor taken(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const int port = taken.local_endpoint().port();
  h.cfg.grpc->endpoint = "127.0.0.1:" + std::to_string(port);
  Status s = h.Start(std::nullopt, /*keep_endpoints=*/true);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "otlp: cannot listen on 127.0.0.1:" + std::to_string(port) +
                             " (grpc): address already in use");
}

TEST(BothProtocolsTest, ServeTogetherAndHttpFailureStopsGrpc) {
  Harness h;
  h.cfg.grpc.emplace();
  h.cfg.http.emplace();
  ASSERT_TRUE(h.Start().ok());
  EXPECT_GT(h.grpc_port(), 0);
  EXPECT_GT(h.http_port(), 0);
  EXPECT_NE(h.grpc_port(), h.http_port());
  h.Stop();

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor taken(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  Harness h2;
  h2.cfg.grpc.emplace();
  h2.cfg.grpc->endpoint = "127.0.0.1:0";
  h2.cfg.http.emplace();
  h2.cfg.http->endpoint = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
  Status s = h2.Start(std::nullopt, /*keep_endpoints=*/true);
  EXPECT_THAT(s.message(), HasSubstr("(http): address already in use"));
  EXPECT_EQ(h2.grpc_port(), 0);  // not left half-started
}

}  // namespace
}  // namespace otlpd::receiver::otlp::test
