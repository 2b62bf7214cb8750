// The debug exporter as a component: what reaches its logger at each verbosity, sampling per
// second on a fake clock, its keys, and its factory.
#include "exporters/debug/debug_exporter.h"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include "config/loader.h"
#include "exporters/debug/factory.h"
#include "tests/support/fake_clock.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd::exporter::debug {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

// Settings whose logger keeps the messages (without the pattern) for the test to read.
class Env {
 public:
  Env() : ring_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)) {
    ring_->set_pattern("%l|%v");
    auto logger = std::make_shared<spdlog::logger>("exporter/debug", ring_);
    logger->set_level(spdlog::level::info);
    settings.id = ComponentId("debug");
    settings.logger = logger;
    settings.clock = &clock;
  }
  std::vector<std::string> Lines() const { return ring_->last_formatted(); }

  otlpd::testing::FakeClock clock;
  CreateSettings settings;

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> ring_;
};

// Formatted lines end with the platform's end of line; the assertions do not care.
std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<std::string> Messages(const Env& env) {
  std::vector<std::string> out;
  for (auto& line : env.Lines()) out.push_back(Trim(line));
  return out;
}

Config WithVerbosity(Verbosity v) {
  Config cfg;
  cfg.verbosity = v;
  cfg.sampling_initial = 1000;
  return cfg;
}

TEST(DebugExporterTest, BasicWritesOneInfoLinePerBatch) {
  Env env;
  DebugExporter<TracesBatch> exporter(env.settings, WithVerbosity(Verbosity::kBasic));
  EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeTraces(3)).ok());
  EXPECT_THAT(Messages(env), ElementsAre("info|TracesExporter: 1 resource spans, 3 spans"));
  EXPECT_TRUE(exporter.Shutdown(std::chrono::steady_clock::now() + 1s).ok());
}

TEST(DebugExporterTest, NormalAddsOneLinePerItem) {
  Env env;
  DebugExporter<LogsBatch> exporter(env.settings, WithVerbosity(Verbosity::kNormal));
  EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeLogs(2)).ok());
  EXPECT_THAT(Messages(env),
              ElementsAre("info|LogsExporter: 1 resource logs, 2 log records",
                          "info|ResourceLog #0 service.name=test-service\n"
                          "ScopeLog #0 test-scope\n"
                          "log-0\n"
                          "log-1"));
}

TEST(DebugExporterTest, DetailedWritesTheFullDump) {
  Env env;
  DebugExporter<MetricsBatch> exporter(env.settings, WithVerbosity(Verbosity::kDetailed));
  EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeMetrics(2)).ok());
  const auto lines = Messages(env);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "info|MetricsExporter: 1 resource metrics, 1 metrics, 2 data points");
  EXPECT_THAT(lines[1], StartsWith("info|ResourceMetrics #0\n"));
  EXPECT_THAT(lines[1], HasSubstr("     -> Name: test.gauge\n"));
  EXPECT_THAT(lines[1], HasSubstr("NumberDataPoints #1\n"));
}

// The debug exporter formats objects: an encoded batch (a receiver's bytes) is decoded on the
// way and prints exactly like the decoded one.
TEST(DebugExporterTest, EncodedBatchPrintsLikeTheDecodedOne) {
  Env decoded_env;
  Env encoded_env;
  DebugExporter<MetricsBatch> decoded(decoded_env.settings, WithVerbosity(Verbosity::kDetailed));
  DebugExporter<MetricsBatch> encoded(encoded_env.settings, WithVerbosity(Verbosity::kDetailed));
  const MetricsBatch batch = otlpd::testing::MakeMetrics(2);
  EXPECT_TRUE(decoded.Consume(batch.Clone()).ok());
  EXPECT_TRUE(encoded
                  .Consume(MetricsBatch::FromEncoded(batch.request().SerializeAsString(),
                                                     batch.ItemCount()))
                  .ok());
  ASSERT_EQ(Messages(encoded_env).size(), 2u);
  EXPECT_EQ(Messages(encoded_env), Messages(decoded_env));
}

TEST(DebugExporterTest, NothingIsFormattedWhenInfoIsOff) {
  Env env;
  env.settings.logger->set_level(spdlog::level::warn);
  DebugExporter<TracesBatch> exporter(env.settings, WithVerbosity(Verbosity::kDetailed));
  EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeTraces(1)).ok());
  EXPECT_TRUE(Messages(env).empty());
}

TEST(DebugExporterTest, SamplesFirstNThenEveryMthPerSecond) {
  Env env;
  Config cfg;
  cfg.sampling_initial = 2;
  cfg.sampling_thereafter = 3;
  DebugExporter<TracesBatch> exporter(env.settings, cfg);
  for (int i = 1; i <= 8; ++i) EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeTraces(i)).ok());
  // Batches 1 and 2 pass, then every third of the rest: 5 and 8.
  EXPECT_THAT(Messages(env), ElementsAre("info|TracesExporter: 1 resource spans, 1 spans",
                                         "info|TracesExporter: 1 resource spans, 2 spans",
                                         "info|TracesExporter: 1 resource spans, 5 spans",
                                         "info|TracesExporter: 1 resource spans, 8 spans"));
  // A new second starts a new window.
  env.clock.Advance(1s);
  EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeTraces(9)).ok());
  EXPECT_EQ(Messages(env).size(), 5u);
  EXPECT_EQ(Messages(env).back(), "info|TracesExporter: 1 resource spans, 9 spans");
}

TEST(DebugExporterTest, DefaultSamplingWritesEveryBatch) {
  Env env;
  DebugExporter<TracesBatch> exporter(env.settings, Config{});
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeTraces(1)).ok());
  EXPECT_EQ(Messages(env).size(), 10u);
}

TEST(DebugExporterTest, ThereafterZeroStopsAfterTheInitialBatches) {
  Env env;
  Config cfg;
  cfg.sampling_initial = 1;
  cfg.sampling_thereafter = 0;
  DebugExporter<TracesBatch> exporter(env.settings, cfg);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(exporter.Consume(otlpd::testing::MakeTraces(1)).ok());
  EXPECT_EQ(Messages(env).size(), 1u);
}

// ---- config and factory ----

std::vector<std::string> Decode(const std::string& yaml, Config* out) {
  config::Errors errors;
  config::LoadResult loaded = config::LoadString(
      "exporters:\n  debug:\n" + yaml, "c.yaml",
      [](const std::string&) -> std::optional<std::string> { return std::nullopt; }, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  DebugExporterFactory factory;
  std::unique_ptr<ComponentConfig> cfg = factory.CreateDefaultConfig();
  config::MapReader reader(*loaded.root.Find("exporters")->Find("debug"), "exporters::debug",
                           errors);
  factory.DecodeConfig(reader, *cfg);
  reader.Finish();
  *out = static_cast<Config&>(*cfg);
  std::vector<std::string> lines;
  for (const auto& e : errors.errors()) lines.push_back(e.ToString());
  return lines;
}

TEST(DebugConfigTest, DefaultsAreTheCollectorsDefaults) {
  Config cfg;
  EXPECT_TRUE(Decode("", &cfg).empty());
  EXPECT_EQ(cfg.verbosity, Verbosity::kBasic);
  EXPECT_EQ(cfg.sampling_initial, 2);
  EXPECT_EQ(cfg.sampling_thereafter, 1);
}

TEST(DebugConfigTest, EveryKeyIsRead) {
  Config cfg;
  EXPECT_TRUE(Decode("    verbosity: detailed\n    sampling_initial: 5\n"
                     "    sampling_thereafter: 200\n",
                     &cfg)
                  .empty());
  EXPECT_EQ(cfg.verbosity, Verbosity::kDetailed);
  EXPECT_EQ(cfg.sampling_initial, 5);
  EXPECT_EQ(cfg.sampling_thereafter, 200);
  EXPECT_TRUE(Decode("    verbosity: normal\n", &cfg).empty());
  EXPECT_EQ(cfg.verbosity, Verbosity::kNormal);
}

TEST(DebugConfigTest, BadValuesAndUnknownKeysAreErrors) {
  Config cfg;
  EXPECT_THAT(Decode("    verbosity: loud\n", &cfg),
              ElementsAre(AllOf(HasSubstr("c.yaml:3:16: exporters::debug::verbosity"),
                                HasSubstr("basic"), HasSubstr("loud"))));
  EXPECT_THAT(Decode("    sampling_initial: -1\n", &cfg),
              ElementsAre(HasSubstr("exporters::debug::sampling_initial: must be >= 0, got -1")));
  EXPECT_THAT(Decode("    loglevel: debug\n", &cfg),
              ElementsAre(AllOf(HasSubstr("exporters::debug"), HasSubstr("unknown key"),
                                HasSubstr("loglevel"))));
}

TEST(DebugFactoryTest, CreatesEverySignal) {
  Env env;
  DebugExporterFactory factory;
  EXPECT_EQ(factory.type(), "debug");
  auto cfg = factory.CreateDefaultConfig();
  for (Signal s : kAllSignals) EXPECT_TRUE(factory.Supports(s));
  auto traces = factory.CreateTraces(env.settings, *cfg);
  auto metrics = factory.CreateMetrics(env.settings, *cfg);
  auto logs = factory.CreateLogs(env.settings, *cfg);
  ASSERT_TRUE(traces.ok());
  ASSERT_TRUE(metrics.ok());
  ASSERT_TRUE(logs.ok());
  EXPECT_TRUE((*logs)->Consume(otlpd::testing::MakeLogs(1)).ok());
  EXPECT_THAT(Messages(env), ElementsAre("info|LogsExporter: 1 resource logs, 1 log records"));
}

}  // namespace
}  // namespace otlpd::exporter::debug
