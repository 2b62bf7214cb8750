#include "exporters/otlp_http/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "exporters/otlp_http/factory.h"
#include "exporters/otlp_http/response.h"
#include "google/rpc/status.pb.h"
#include "tests/exporters/helper/exporter_test_util.h"

namespace otlpd::exporter::otlp_http {
namespace {

using namespace std::chrono_literals;
using otlpd::testing::DecodeYaml;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Config Decode(const std::string& yaml, config::Errors& errors,
              std::map<std::string, std::string> env = {}) {
  OtlpHttpExporterFactory factory;
  auto cfg = DecodeYaml(factory, yaml, "otlp_http/b14", errors, std::move(env));
  return static_cast<const Config&>(*cfg);
}

TEST(OtlpHttpConfigTest, TheReferenceExporterDecodesAsWritten) {
  // exporters::otlp_http/b14 of the reference pipeline, verbatim.
  const std::string yaml = R"(exporters:
  otlp_http/b14:
    endpoint: ${SCOUT_ENDPOINT}
    auth:
      authenticator: oauth2client
    tls:
      insecure_skip_verify: true
    compression: gzip
    timeout: 30s
    retry_on_failure:
      enabled: true
      initial_interval: 1s
      max_interval: 30s
      max_elapsed_time: 300s
)";
  config::Errors errors;
  Config cfg = Decode(yaml, errors, {{"SCOUT_ENDPOINT", "https://otlp.scout.example:4318"}});
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.endpoint, "https://otlp.scout.example:4318");
  ASSERT_TRUE(cfg.auth.authenticator.has_value());
  EXPECT_EQ(*cfg.auth.authenticator, ComponentId("oauth2client"));
  EXPECT_TRUE(cfg.tls.insecure_skip_verify);
  EXPECT_EQ(cfg.compression, Compression::kGzip);
  EXPECT_EQ(cfg.helper.timeout, 30s);
  EXPECT_TRUE(cfg.helper.retry.enabled);
  EXPECT_EQ(cfg.helper.retry.initial_interval, 1s);
  EXPECT_EQ(cfg.helper.retry.max_interval, 30s);
  EXPECT_EQ(cfg.helper.retry.max_elapsed_time, 300s);
  // Keys the block leaves out keep the Collector's defaults.
  EXPECT_EQ(cfg.helper.retry.multiplier, 1.5);
  EXPECT_EQ(cfg.helper.retry.randomization_factor, 0.5);
  EXPECT_EQ(cfg.helper.queue.queue_size, 1000);
  EXPECT_EQ(cfg.encoding, Encoding::kProto);
  EXPECT_EQ(SignalUrl(cfg, Signal::kTraces), "https://otlp.scout.example:4318/v1/traces");
  EXPECT_EQ(SignalUrl(cfg, Signal::kLogs), "https://otlp.scout.example:4318/v1/logs");
}

TEST(OtlpHttpConfigTest, Defaults) {
  config::Errors errors;
  Config cfg =
      Decode("exporters:\n  otlp_http/b14:\n    endpoint: http://collector:4318\n", errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.encoding, Encoding::kProto);
  EXPECT_EQ(cfg.compression, Compression::kGzip);
  EXPECT_EQ(cfg.compression_level, 0);
  EXPECT_EQ(cfg.helper.timeout, 30s);
  EXPECT_TRUE(cfg.headers.empty());
  EXPECT_FALSE(cfg.auth.authenticator.has_value());
  EXPECT_EQ(cfg.tls.min_version, "1.2");
}

TEST(OtlpHttpConfigTest, ReadsEveryKey) {
  config::Errors errors;
  Config cfg = Decode(R"(exporters:
  otlp_http/b14:
    endpoint: https://collector:4318/base
    traces_endpoint: https://traces.example/in
    metrics_endpoint: https://metrics.example/in
    logs_endpoint: https://logs.example/in
    encoding: json
    compression: zstd
    compression_params:
      level: 9
    headers:
      x-api-key: s3cret
    tls:
      ca_file: /etc/ca.pem
      cert_file: /etc/client.pem
      key_file: /etc/client.key
      min_version: "1.3"
      server_name_override: backend.internal
    timeout: 5s
    sending_queue:
      num_consumers: 2
)",
                      errors);
  ASSERT_TRUE(errors.empty()) << errors.ToString();
  EXPECT_EQ(cfg.encoding, Encoding::kJson);
  EXPECT_EQ(cfg.compression, Compression::kZstd);
  EXPECT_EQ(cfg.compression_level, 9);
  EXPECT_EQ(cfg.headers.at("x-api-key").Reveal(), "s3cret");
  std::ostringstream printed;
  printed << cfg.headers.at("x-api-key");
  EXPECT_EQ(printed.str(), "[REDACTED]");
  EXPECT_EQ(cfg.tls.ca_file, "/etc/ca.pem");
  EXPECT_EQ(cfg.tls.min_version, "1.3");
  EXPECT_EQ(cfg.tls.server_name_override, "backend.internal");
  EXPECT_EQ(cfg.helper.timeout, 5s);
  EXPECT_EQ(cfg.helper.queue.num_consumers, 2);
  EXPECT_EQ(SignalUrl(cfg, Signal::kTraces), "https://traces.example/in");
  EXPECT_EQ(SignalUrl(cfg, Signal::kMetrics), "https://metrics.example/in");
}

TEST(OtlpHttpConfigTest, ErrorsNameTheirKeys) {
  config::Errors errors;
  Decode(R"(exporters:
  otlp_http/b14:
    endpoint: ftp://collector
    logs_endpoint: "not a url"
    encoding: xml
    compression: lz4
    retry_on_failure:
      max_elapsed_tme: 1s
    sending_queue:
      storage: file_storage//
    tls:
      insecure: true
      cert_file: /c.pem
    auth: {}
    proxy_urll: http://proxy
)",
         errors);
  const std::string all = errors.ToString();
  EXPECT_THAT(all,
              HasSubstr("exporters::otlp_http/b14::endpoint: must be an http:// or https:// URL"));
  EXPECT_THAT(all, HasSubstr("exporters::otlp_http/b14::logs_endpoint"));
  EXPECT_THAT(all, HasSubstr("exporters::otlp_http/b14::encoding: must be one of proto, json"));
  EXPECT_THAT(all, HasSubstr("exporters::otlp_http/b14::compression: must be one of gzip, zstd"));
  EXPECT_THAT(all, HasSubstr("max_elapsed_tme"));
  EXPECT_THAT(all,
              HasSubstr("exporters::otlp_http/b14::sending_queue::storage: invalid component"));
  EXPECT_THAT(all, HasSubstr("cert_file and key_file must be set together"));
  EXPECT_THAT(all, HasSubstr("exporters::otlp_http/b14::auth: authenticator must be set"));
  EXPECT_THAT(all, HasSubstr("unknown key \"proxy_urll\""));
}

TEST(OtlpHttpConfigTest, InsecureContradictingHttpsIsAnError) {
  config::Errors errors;
  Decode(
      "exporters:\n  otlp_http/b14:\n    endpoint: https://c:4318\n    tls:\n"
      "      insecure: true\n",
      errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("exporters::otlp_http/b14::tls::insecure: is true but "
                                           "the endpoint is https://"));
}

TEST(OtlpHttpConfigTest, MissingEndpointIsAnError) {
  config::Errors errors;
  // An unset ${VAR} expands to "": the same error as a missing key.
  Decode("exporters:\n  otlp_http/b14:\n    endpoint: ${UNSET}\n", errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("exporters::otlp_http/b14::endpoint: must be set"));
}

TEST(OtlpHttpConfigTest, CompressionLevelIsCheckedByTheCodec) {
  config::Errors errors;
  Decode(
      "exporters:\n  otlp_http/b14:\n    endpoint: http://c\n    compression_params:\n"
      "      level: 99\n",
      errors);
  EXPECT_THAT(errors.ToString(), HasSubstr("exporters::otlp_http/b14::compression_params::level"));
}

TEST(OtlpHttpConfigTest, FactoryNamesAndAlias) {
  OtlpHttpExporterFactory factory;
  EXPECT_EQ(factory.type(), "otlp_http");
  EXPECT_THAT(factory.aliases(), ElementsAre("otlphttp"));
  EXPECT_TRUE(factory.Supports(Signal::kTraces));
  EXPECT_TRUE(factory.Supports(Signal::kMetrics));
  EXPECT_TRUE(factory.Supports(Signal::kLogs));
}

TEST(JoinSignalUrlTest, AppendsThePathKeepingABasePath) {
  EXPECT_EQ(JoinSignalUrl("http://h:4318", Signal::kTraces), "http://h:4318/v1/traces");
  EXPECT_EQ(JoinSignalUrl("http://h:4318/", Signal::kMetrics), "http://h:4318/v1/metrics");
  EXPECT_EQ(JoinSignalUrl("https://h/otlp", Signal::kLogs), "https://h/otlp/v1/logs");
  EXPECT_EQ(JoinSignalUrl("https://h/otlp/", Signal::kLogs), "https://h/otlp/v1/logs");
  EXPECT_EQ(JoinSignalUrl("https://h/otlp?tenant=a", Signal::kTraces),
            "https://h/otlp/v1/traces?tenant=a");
}

TEST(ParseRetryAfterTest, SecondsAndHttpDates) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // 2015-10-21 07:28:00 GMT
  EXPECT_EQ(ParseRetryAfter("120", now), std::chrono::milliseconds(120'000));
  EXPECT_EQ(ParseRetryAfter(" 3 ", now), std::chrono::milliseconds(3000));
  EXPECT_EQ(ParseRetryAfter("0", now), std::chrono::milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now),
            std::chrono::milliseconds(30'000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), std::chrono::milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
}

TEST(ErrorMessageTest, ReadsGoogleRpcStatusInEitherEncoding) {
  google::rpc::Status status;
  status.set_code(3);
  status.set_message("bad span");
  EXPECT_EQ(ErrorMessageFromBody("application/x-protobuf", status.SerializeAsString()), "bad span");
  EXPECT_EQ(ErrorMessageFromBody("application/json; charset=utf-8",
                                 R"({"code":3,"message":"bad json","details":[]})"),
            "bad json");
  // Details of a type we cannot resolve: the body text, which still carries the message.
  EXPECT_THAT(ErrorMessageFromBody(
                  "application/json",
                  R"({"code":3,"message":"bad json","details":[{"@type":"type.example/x"}]})"),
              HasSubstr("\"message\":\"bad json\""));
  EXPECT_EQ(ErrorMessageFromBody("text/plain", "  upstream timeout\n"), "upstream timeout");
  EXPECT_EQ(ErrorMessageFromBody("", ""), "");
}

TEST(PartialSuccessTest, ParsesEachSignal) {
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse logs;
  logs.mutable_partial_success()->set_rejected_log_records(4);
  logs.mutable_partial_success()->set_error_message("x");
  StatusOr<PartialSuccess> p =
      ParsePartialSuccess(Signal::kLogs, "application/x-protobuf", logs.SerializeAsString());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rejected, 4);
  EXPECT_EQ(p->message, "x");
  StatusOr<PartialSuccess> m = ParsePartialSuccess(
      Signal::kMetrics, "application/json", R"({"partialSuccess":{"rejectedDataPoints":"7"}})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->rejected, 7);
  StatusOr<PartialSuccess> empty = ParsePartialSuccess(Signal::kTraces, "", "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->rejected, 0);
  EXPECT_FALSE(ParsePartialSuccess(Signal::kTraces, "application/json", "{not json").ok());
}

}  // namespace
}  // namespace otlpd::exporter::otlp_http
