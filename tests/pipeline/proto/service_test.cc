// (d) The gRPC method paths are exactly the ones every OTLP client calls: checked in the
// generated descriptors, and end to end by calling a loopback server at the literal path
// strings (which is all an OTLP client from another language knows about us).

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace otlpd::testing {
namespace {

namespace ct = opentelemetry::proto::collector::trace::v1;
namespace cm = opentelemetry::proto::collector::metrics::v1;
namespace cl = opentelemetry::proto::collector::logs::v1;

constexpr char kTracePath[] = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr char kMetricsPath[] = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
constexpr char kLogsPath[] = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

// "/<package>.<Service>/<Method>", the HTTP/2 :path gRPC puts on the wire.
std::string GrpcPath(const google::protobuf::MethodDescriptor& method) {
  return "/" + method.service()->full_name() + "/" + method.name();
}

const google::protobuf::MethodDescriptor* Export(const google::protobuf::ServiceDescriptor* s) {
  return s == nullptr ? nullptr : s->FindMethodByName("Export");
}

TEST(ProtoServices, DescriptorsGiveTheOtlpPaths) {
  struct Case {
    const google::protobuf::ServiceDescriptor* service;
    const char* path;
    const char* request;
    const char* response;
  };
  const Case cases[] = {
      {ct::ExportTraceServiceRequest::descriptor()->file()->FindServiceByName("TraceService"),
       kTracePath, "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
       "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"},
      {cm::ExportMetricsServiceRequest::descriptor()->file()->FindServiceByName("MetricsService"),
       kMetricsPath, "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
       "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse"},
      {cl::ExportLogsServiceRequest::descriptor()->file()->FindServiceByName("LogsService"),
       kLogsPath, "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
       "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    ASSERT_NE(c.service, nullptr);
    EXPECT_EQ(c.service->method_count(), 1);
    const auto* method = Export(c.service);
    ASSERT_NE(method, nullptr);
    EXPECT_EQ(GrpcPath(*method), c.path);
    EXPECT_FALSE(method->client_streaming());
    EXPECT_FALSE(method->server_streaming());
    EXPECT_EQ(method->input_type()->full_name(), c.request);
    EXPECT_EQ(method->output_type()->full_name(), c.response);
  }
  // The generated gRPC classes agree with the descriptors.
  EXPECT_STREQ(ct::TraceService::service_full_name(),
               "opentelemetry.proto.collector.trace.v1.TraceService");
  EXPECT_STREQ(cm::MetricsService::service_full_name(),
               "opentelemetry.proto.collector.metrics.v1.MetricsService");
  EXPECT_STREQ(cl::LogsService::service_full_name(),
               "opentelemetry.proto.collector.logs.v1.LogsService");
}

// Answers every Export with a partial success that echoes how many items arrived, so the client
// side can tell that the request reached the right handler intact.
class EchoTraces final : public ct::TraceService::Service {
  grpc::Status Export(grpc::ServerContext*, const ct::ExportTraceServiceRequest* req,
                      ct::ExportTraceServiceResponse* resp) override {
    int64_t spans = 0;
    for (const auto& rs : req->resource_spans()) {
      for (const auto& ss : rs.scope_spans()) spans += ss.spans_size();
    }
    resp->mutable_partial_success()->set_rejected_spans(spans);
    resp->mutable_partial_success()->set_error_message("traces");
    return grpc::Status::OK;
  }
};

class EchoMetrics final : public cm::MetricsService::Service {
  grpc::Status Export(grpc::ServerContext*, const cm::ExportMetricsServiceRequest* req,
                      cm::ExportMetricsServiceResponse* resp) override {
    int64_t points = 0;
    for (const auto& rm : req->resource_metrics()) {
      for (const auto& sm : rm.scope_metrics()) {
        for (const auto& m : sm.metrics()) points += m.gauge().data_points_size();
      }
    }
    resp->mutable_partial_success()->set_rejected_data_points(points);
    resp->mutable_partial_success()->set_error_message("metrics");
    return grpc::Status::OK;
  }
};

class EchoLogs final : public cl::LogsService::Service {
  grpc::Status Export(grpc::ServerContext*, const cl::ExportLogsServiceRequest* req,
                      cl::ExportLogsServiceResponse* resp) override {
    int64_t records = 0;
    for (const auto& rl : req->resource_logs()) {
      for (const auto& sl : rl.scope_logs()) records += sl.log_records_size();
    }
    resp->mutable_partial_success()->set_rejected_log_records(records);
    resp->mutable_partial_success()->set_error_message("logs");
    return grpc::Status::OK;
  }
};

class LoopbackServer : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&traces_);
    builder.RegisterService(&metrics_);
    builder.RegisterService(&logs_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }

  // One unary call at a literal path, as a client that only knows the path string would make.
  template <class Req, class Resp>
  grpc::Status Call(const std::string& path, const Req& req, Resp* resp) {
    grpc::TemplatedGenericStub<Req, Resp> stub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    std::promise<grpc::Status> done;
    auto result = done.get_future();
    stub.UnaryCall(&ctx, path, grpc::StubOptions(), &req, resp,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    // The call carries a 5 s deadline, so the callback always runs; this bound only keeps a
    // broken gRPC from hanging the test.
    if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ctx.TryCancel();
      result.wait();
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "no completion");
    }
    return result.get();
  }

  int port_ = 0;
  EchoTraces traces_;
  EchoMetrics metrics_;
  EchoLogs logs_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(LoopbackServer, TraceExportAnswersAtTheOtlpPath) {
  ct::ExportTraceServiceRequest req;
  auto* ss = req.add_resource_spans()->add_scope_spans();
  ss->add_spans()->set_name("a");
  ss->add_spans()->set_name("b");
  ct::ExportTraceServiceResponse resp;
  grpc::Status s = Call(kTracePath, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_EQ(resp.partial_success().rejected_spans(), 2);
  EXPECT_EQ(resp.partial_success().error_message(), "traces");
}

TEST_F(LoopbackServer, MetricsExportAnswersAtTheOtlpPath) {
  cm::ExportMetricsServiceRequest req;
  auto* gauge = req.add_resource_metrics()->add_scope_metrics()->add_metrics()->mutable_gauge();
  for (int i = 0; i < 3; ++i) gauge->add_data_points()->set_as_int(i);
  cm::ExportMetricsServiceResponse resp;
  grpc::Status s = Call(kMetricsPath, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_EQ(resp.partial_success().rejected_data_points(), 3);
  EXPECT_EQ(resp.partial_success().error_message(), "metrics");
}

TEST_F(LoopbackServer, LogsExportAnswersAtTheOtlpPath) {
  cl::ExportLogsServiceRequest req;
  req.add_resource_logs()->add_scope_logs()->add_log_records()->set_severity_text("INFO");
  cl::ExportLogsServiceResponse resp;
  grpc::Status s = Call(kLogsPath, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_EQ(resp.partial_success().rejected_log_records(), 1);
  EXPECT_EQ(resp.partial_success().error_message(), "logs");
}

TEST_F(LoopbackServer, OtherPathIsUnimplemented) {
  // A near miss (old "agent" package of pre-1.0 OTLP) must not reach the handler.
  ct::ExportTraceServiceRequest req;
  ct::ExportTraceServiceResponse resp;
  grpc::Status s = Call("/opentelemetry.proto.agent.trace.v1.TraceService/Export", req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace otlpd::testing
