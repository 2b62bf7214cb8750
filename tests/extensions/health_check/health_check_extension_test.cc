// The health_check extension over HTTP: what a probe sees in each service phase, with and
// without the exporter check.
#include "extensions/health_check/health_check_extension.h"

#include <regex>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "extensions/health_check/factory.h"
#include "tests/pipeline/telemetry/http_get.h"
#include "tests/support/fake_clock.h"

namespace otlpd::extension::health_check {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using otlpd::testing::FakeClock;
using otlpd::testing::HttpAnswer;
using otlpd::testing::HttpGet;
using namespace std::chrono_literals;

class NoExtensionsHost : public Host {
 public:
  Extension* GetExtension(const ComponentId&) const override { return nullptr; }
};

class HealthCheckTest : public ::testing::Test {
 protected:
  HealthCheckTest() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_);
    logger_ = std::make_shared<spdlog::logger>("extension/health_check", sink);
    logger_->set_pattern("%l %v");
  }

  std::unique_ptr<HealthCheckExtension> Start(Config cfg) {
    cfg.endpoint = "127.0.0.1:0";
    CreateSettings settings;
    settings.id = ComponentId("health_check");
    settings.logger = logger_;
    settings.health = &board_;
    settings.clock = &clock_;
    auto ext = std::make_unique<HealthCheckExtension>(settings, std::move(cfg));
    Status s = ext->Start(host_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ext;
  }
  HttpAnswer Probe(const HealthCheckExtension& ext, const std::string& path = "/") {
    return HttpGet("http://127.0.0.1:" + std::to_string(ext.port()) + path);
  }
  std::string Log() {
    logger_->flush();
    return log_text_.str();
  }

  HealthBoard board_;
  FakeClock clock_;
  NoExtensionsHost host_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> logger_;
};

// {"status":"Server available","upSince":"2026-...Z","uptime":"1.5ms"}
const char* kAvailable =
    R"(\{"status":"Server available","upSince":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z","uptime":"[0-9hms.µn]+"\})";

TEST_F(HealthCheckTest, FollowsTheServicePhase) {
  auto ext = Start(Config());
  HttpAnswer starting = Probe(*ext);
  EXPECT_EQ(starting.status, 503) << starting.error;
  EXPECT_EQ(starting.content_type, "application/json");
  EXPECT_EQ(starting.body,
            R"({"status":"Server not available","upSince":"0001-01-01T00:00:00Z","uptime":""})");

  board_.SetPhase(HealthBoard::Phase::kRunning);
  HttpAnswer running = Probe(*ext);
  EXPECT_EQ(running.status, 200);
  EXPECT_THAT(running.body, MatchesRegex(kAvailable));

  board_.SetPhase(HealthBoard::Phase::kStopping);
  HttpAnswer stopping = Probe(*ext);
  EXPECT_EQ(stopping.status, 503);
  EXPECT_THAT(stopping.body, HasSubstr(R"("status":"Server not available")"));
  EXPECT_TRUE(ext->Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST_F(HealthCheckTest, DefaultPathAnswersEveryPathCustomPathOnlyItself) {
  board_.SetPhase(HealthBoard::Phase::kRunning);
  auto root = Start(Config());
  EXPECT_EQ(Probe(*root, "/").status, 200);
  EXPECT_EQ(Probe(*root, "/healthz").status, 200);  // Go's ServeMux: "/" is every path

  Config cfg;
  cfg.path = "/health/status";
  auto custom = Start(cfg);
  EXPECT_EQ(Probe(*custom, "/health/status").status, 200);
  EXPECT_EQ(Probe(*custom, "/").status, 404);
}

TEST_F(HealthCheckTest, ResponseBodyReplacesTheJson) {
  Config cfg;
  cfg.response_body = ResponseBody{"I'm OK", "I'm not well"};
  auto ext = Start(cfg);
  EXPECT_EQ(Probe(*ext).body, "I'm not well");
  board_.SetPhase(HealthBoard::Phase::kRunning);
  HttpAnswer ok = Probe(*ext);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "I'm OK");
}

TEST_F(HealthCheckTest, PipelineCheckFollowsRecordedAttempts) {
  Config cfg;
  cfg.check_collector_pipeline.enabled = true;
  cfg.check_collector_pipeline.interval = 1min;
  cfg.check_collector_pipeline.exporter_failure_threshold = 2;
  auto ext = Start(cfg);
  board_.SetPhase(HealthBoard::Phase::kRunning);
  EXPECT_EQ(Probe(*ext).status, 200);

  // Up to the threshold: still healthy.
  board_.RecordExportAttempt("otlp_http/b14", false, clock_.Now());
  board_.RecordExportAttempt("otlp_http/b14", false, clock_.Now());
  EXPECT_EQ(Probe(*ext).status, 200);
  // More than the threshold in a row: 503.
  board_.RecordExportAttempt("otlp_http/b14", false, clock_.Now());
  HttpAnswer failing = Probe(*ext);
  EXPECT_EQ(failing.status, 503);
  EXPECT_THAT(failing.body, HasSubstr(R"("status":"Server not available")"));
  EXPECT_EQ(Probe(*ext).status, 503);
  // One success heals it.
  board_.RecordExportAttempt("otlp_http/b14", true, clock_.Now());
  EXPECT_EQ(Probe(*ext).status, 200);

  // A streak that stopped longer than the interval ago no longer counts.
  for (int i = 0; i < 3; ++i) board_.RecordExportAttempt("debug", false, clock_.Now());
  EXPECT_EQ(Probe(*ext).status, 503);
  clock_.Advance(61s);
  EXPECT_EQ(Probe(*ext).status, 200);

  // Each change is logged once, naming the exporter.
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr("exporter otlp_http/b14 failed more than 2 attempts in a row"));
  EXPECT_THAT(log, HasSubstr("exporter otlp_http/b14 succeeded again"));
  EXPECT_EQ(log.find("otlp_http/b14 failed"), log.rfind("otlp_http/b14 failed"));
}

TEST_F(HealthCheckTest, PipelineCheckOffIgnoresFailures) {
  auto ext = Start(Config());
  board_.SetPhase(HealthBoard::Phase::kRunning);
  for (int i = 0; i < 100; ++i) board_.RecordExportAttempt("otlp_http/b14", false, clock_.Now());
  EXPECT_EQ(Probe(*ext).status, 200);
}

TEST_F(HealthCheckTest, BindFailureNamesTheEndpoint) {
  auto first = Start(Config());
  Config cfg;
  CreateSettings settings;
  settings.logger = logger_;
  settings.health = &board_;
  cfg.endpoint = "127.0.0.1:" + std::to_string(first->port());
  HealthCheckExtension second(settings, cfg);
  Status s = second.Start(host_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(cfg.endpoint));
  EXPECT_TRUE(second.Shutdown(std::chrono::steady_clock::now()).ok());
}

TEST_F(HealthCheckTest, NeedsAHealthBoard) {
  CreateSettings settings;
  settings.logger = logger_;
  Config cfg;
  cfg.endpoint = "127.0.0.1:0";
  HealthCheckExtension ext(settings, cfg);
  EXPECT_EQ(ext.Start(host_).code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace otlpd::extension::health_check
