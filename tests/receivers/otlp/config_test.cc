// Config decoding of the otlp receiver: defaults, presence rules, validation, unknown keys.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/map_reader.h"
#include "receivers/otlp/config.h"
#include "receivers/otlp/factory.h"

namespace otlpd::receiver::otlp {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Decoded {
  OtlpReceiverConfig cfg;
  std::string errors;  // Errors::ToString()
};

// Decodes `yaml` (the receiver's own map) through the factory, as the service does.
Decoded Decode(const std::string& yaml) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(
      yaml, "test.yaml", [](const std::string&) { return std::nullopt; }, errors);
  OtlpReceiverFactory factory;
  auto cfg = factory.CreateDefaultConfig();
  config::MapReader reader(loaded.root, "receivers::otlp", errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  return {static_cast<OtlpReceiverConfig&>(*cfg), errors.ToString()};
}

TEST(OtlpConfigTest, DefaultConfigHasNoProtocol) {
  OtlpReceiverFactory factory;
  EXPECT_EQ(factory.type(), "otlp");
  auto cfg = factory.CreateDefaultConfig();
  auto* otlp = dynamic_cast<OtlpReceiverConfig*>(cfg.get());
  ASSERT_NE(otlp, nullptr);
  EXPECT_FALSE(otlp->grpc.has_value());
  EXPECT_FALSE(otlp->http.has_value());
  for (Signal s : kAllSignals) EXPECT_TRUE(factory.Supports(s));
}

TEST(OtlpConfigTest, EmptyProtocolKeysEnableWithDefaults) {
  Decoded d = Decode("protocols:\n  grpc:\n  http:\n");
  EXPECT_THAT(d.errors, IsEmpty());
  ASSERT_TRUE(d.cfg.grpc.has_value());
  ASSERT_TRUE(d.cfg.http.has_value());
  EXPECT_EQ(d.cfg.grpc->endpoint, "localhost:4317");
  EXPECT_EQ(d.cfg.grpc->max_recv_msg_size_mib, 4);
  EXPECT_EQ(d.cfg.grpc->max_concurrent_streams, 0);
  EXPECT_FALSE(d.cfg.grpc->tls.has_value());
  EXPECT_FALSE(d.cfg.grpc->include_metadata);
  EXPECT_EQ(d.cfg.http->endpoint, "localhost:4318");
  EXPECT_EQ(d.cfg.http->traces_url_path, "/v1/traces");
  EXPECT_EQ(d.cfg.http->metrics_url_path, "/v1/metrics");
  EXPECT_EQ(d.cfg.http->logs_url_path, "/v1/logs");
  EXPECT_EQ(d.cfg.http->max_request_body_size, 20 * 1024 * 1024);
  EXPECT_EQ(d.cfg.http->read_header_timeout, std::chrono::seconds(10));
  EXPECT_EQ(d.cfg.http->max_connections, 1000);
  EXPECT_FALSE(d.cfg.http->cors.has_value());
}

TEST(OtlpConfigTest, OnlyPresentProtocolsAreOn) {
  Decoded d = Decode("protocols:\n  http: {}\n");
  EXPECT_THAT(d.errors, IsEmpty());
  EXPECT_FALSE(d.cfg.grpc.has_value());
  EXPECT_TRUE(d.cfg.http.has_value());
}

TEST(OtlpConfigTest, NoProtocolIsAnError) {
  EXPECT_THAT(Decode("{}").errors, HasSubstr("receivers::otlp::protocols: must specify at least "
                                             "one protocol (grpc or http)"));
  EXPECT_THAT(Decode("protocols:\n").errors,
              HasSubstr("receivers::otlp::protocols: must specify at least one protocol"));
  EXPECT_THAT(Decode("protocols: {}\n").errors, HasSubstr("must specify at least one protocol"));
}

TEST(OtlpConfigTest, EveryKeyIsRead) {
  Decoded d = Decode(R"(
protocols:
  grpc:
    endpoint: 0.0.0.0:14317
    max_recv_msg_size_mib: 16
    max_concurrent_streams: 100
    include_metadata: true
    keepalive:
      server_parameters:
        max_connection_idle: 11s
        max_connection_age: 12s
        max_connection_age_grace: 13s
        time: 14s
        timeout: 15s
      enforcement_policy:
        min_time: 10s
        permit_without_stream: true
    tls:
      cert_file: /etc/otlpd/cert.pem
      key_file: /etc/otlpd/key.pem
      client_ca_file: /etc/otlpd/ca.pem
  http:
    endpoint: "[::1]:14318"
    traces_url_path: /t
    metrics_url_path: /m
    logs_url_path: /l
    max_request_body_size: 1048576
    include_metadata: true
    read_header_timeout: 2s
    max_connections: 10
    cors:
      allowed_origins: ["https://*.example.com"]
      allowed_headers: [X-Tenant]
      max_age: 7200
    tls:
      cert_file: c.pem
      key_file: k.pem
)");
  ASSERT_THAT(d.errors, IsEmpty());
  const GrpcServerConfig& g = *d.cfg.grpc;
  EXPECT_EQ(g.endpoint, "0.0.0.0:14317");
  EXPECT_EQ(g.max_recv_msg_size_mib, 16);
  EXPECT_EQ(g.max_concurrent_streams, 100);
  EXPECT_TRUE(g.include_metadata);
  EXPECT_EQ(g.keepalive.server_parameters.max_connection_idle, std::chrono::seconds(11));
  EXPECT_EQ(g.keepalive.server_parameters.max_connection_age, std::chrono::seconds(12));
  EXPECT_EQ(g.keepalive.server_parameters.max_connection_age_grace, std::chrono::seconds(13));
  EXPECT_EQ(g.keepalive.server_parameters.time, std::chrono::seconds(14));
  EXPECT_EQ(g.keepalive.server_parameters.timeout, std::chrono::seconds(15));
  EXPECT_EQ(g.keepalive.enforcement_policy.min_time, std::chrono::seconds(10));
  EXPECT_TRUE(g.keepalive.enforcement_policy.permit_without_stream);
  ASSERT_TRUE(g.tls.has_value());
  EXPECT_EQ(g.tls->client_ca_file, "/etc/otlpd/ca.pem");
  const HttpServerConfig& hc = *d.cfg.http;
  EXPECT_EQ(hc.endpoint, "[::1]:14318");
  EXPECT_EQ(hc.traces_url_path, "/t");
  EXPECT_EQ(hc.metrics_url_path, "/m");
  EXPECT_EQ(hc.logs_url_path, "/l");
  EXPECT_EQ(hc.max_request_body_size, 1048576);
  EXPECT_TRUE(hc.include_metadata);
  EXPECT_EQ(hc.read_header_timeout, std::chrono::seconds(2));
  EXPECT_EQ(hc.max_connections, 10);
  ASSERT_TRUE(hc.cors.has_value());
  EXPECT_EQ(hc.cors->allowed_origins, std::vector<std::string>{"https://*.example.com"});
  EXPECT_EQ(hc.cors->allowed_headers, std::vector<std::string>{"X-Tenant"});
  EXPECT_EQ(hc.cors->max_age, 7200);
  ASSERT_TRUE(hc.tls.has_value());
  EXPECT_EQ(hc.tls->cert_file, "c.pem");
}

TEST(OtlpConfigTest, UnknownKeysAreErrorsWithSuggestions) {
  Decoded d = Decode("protocols:\n  http:\n    max_request_body_sise: 5\n  grpc:\n    foo: 1\n");
  // The message names the map and the key; how config/ joins them is its business.
  EXPECT_THAT(d.errors, HasSubstr("test.yaml:3:5: receivers::otlp::protocols::http"));
  EXPECT_THAT(d.errors, HasSubstr("unknown key \"max_request_body_sise\" (did you mean "
                                  "\"max_request_body_size\"?)"));
  EXPECT_THAT(d.errors, HasSubstr("test.yaml:5:5: receivers::otlp::protocols::grpc"));
  EXPECT_THAT(d.errors, HasSubstr("unknown key \"foo\""));
  const std::string protocols = Decode("protocols:\n  grpc:\n  thrift:\n").errors;
  EXPECT_THAT(protocols, HasSubstr("receivers::otlp::protocols"));
  EXPECT_THAT(protocols, HasSubstr("unknown key \"thrift\""));
  EXPECT_THAT(Decode("protocols:\n  http:\nextra: 1\n").errors, HasSubstr("unknown key \"extra\""));
}

TEST(OtlpConfigTest, InvalidValuesAreReportedWithTheirPath) {
  Decoded d = Decode(R"(
protocols:
  grpc:
    endpoint: localhost
    max_recv_msg_size_mib: 0
    tls:
      cert_file: c.pem
  http:
    endpoint: "host:99999"
    traces_url_path: v1/traces
    read_header_timeout: 0s
    max_connections: 0
    cors:
      allowed_origins: ["https://*.*.example.com"]
)");
  EXPECT_THAT(d.errors, HasSubstr("protocols::grpc::endpoint: must be host:port, got \"localhost\""));
  EXPECT_THAT(d.errors, HasSubstr("protocols::grpc::max_recv_msg_size_mib"));
  EXPECT_THAT(d.errors, HasSubstr("protocols::grpc::tls::key_file: is required when tls is set"));
  EXPECT_THAT(d.errors, HasSubstr("protocols::http::endpoint: must be host:port"));
  EXPECT_THAT(d.errors, HasSubstr("protocols::http::traces_url_path: must start with \"/\""));
  EXPECT_THAT(d.errors, HasSubstr("protocols::http::read_header_timeout"));
  EXPECT_THAT(d.errors, HasSubstr("protocols::http::max_connections"));
  EXPECT_THAT(d.errors, HasSubstr("at most one \"*\""));
  // Errors carry the file position of the offending value.
  EXPECT_THAT(d.errors, HasSubstr("test.yaml:4:15: receivers::otlp::protocols::grpc::endpoint"));
}

TEST(OtlpConfigTest, ZeroBodySizeMeansTheDefaultAndPathsMustDiffer) {
  Decoded d = Decode("protocols:\n  http:\n    max_request_body_size: 0\n");
  EXPECT_THAT(d.errors, IsEmpty());
  EXPECT_EQ(d.cfg.http->max_request_body_size, 20 * 1024 * 1024);
  EXPECT_THAT(Decode("protocols:\n  http:\n    logs_url_path: /v1/traces\n").errors,
              HasSubstr("two signals share the url path \"/v1/traces\""));
}

TEST(OtlpConfigTest, FactoryCreatesAReceiverWithoutOpeningAnything) {
  OtlpReceiverFactory factory;
  Decoded d = Decode("protocols:\n  grpc:\n    endpoint: 127.0.0.1:0\n");
  ASSERT_THAT(d.errors, IsEmpty());
  CreateSettings settings;
  settings.id = ComponentId("otlp", "x");
  StatusOr<std::unique_ptr<Receiver>> r = factory.Create(settings, d.cfg, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)->Shutdown(std::chrono::steady_clock::now()).ok());
}

}  // namespace
}  // namespace otlpd::receiver::otlp
