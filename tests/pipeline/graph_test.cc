#include "pipeline/graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/pipeline/test_graph_env.h"
#include "tests/support/telemetry_builders.h"

namespace otlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestGraphEnv;

constexpr const char* kTwoPipelines = R"(
extensions:
  test_extension:
receivers:
  test_receiver:
processors:
  test_processor/a:
  test_processor/b:
exporters:
  test_exporter/x:
  test_exporter/y:
service:
  extensions: [test_extension]
  pipelines:
    traces:
      receivers: [test_receiver]
      processors: [test_processor/a, test_processor/b]
      exporters: [test_exporter/x, test_exporter/y]
    traces/2:
      receivers: [test_receiver]
      exporters: [test_exporter/y]
)";

std::unique_ptr<Graph> BuildGraph(TestGraphEnv& env, const std::string& yaml, SelfMetrics& m) {
  config::Errors errors;
  ServiceConfig cfg = env.Decode(yaml, errors);
  EXPECT_TRUE(errors.empty()) << errors.ToString();
  // The board must outlive the graph; one per test process is enough here.
  static HealthBoard health;
  auto graph = Graph::Build(cfg, m, health);
  EXPECT_TRUE(graph.ok()) << graph.status().ToString();
  return graph.ok() ? std::move(*graph) : nullptr;
}

std::vector<std::string> Filter(const std::vector<std::string>& lines, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& l : lines)
    if (l.rfind(prefix, 0) == 0) out.push_back(l);
  return out;
}

TEST(GraphTest, StartsDownstreamFirstAndStopsInReverse) {
  TestGraphEnv env;
  SelfMetrics metrics;
  auto graph = BuildGraph(env, kTwoPipelines, metrics);
  ASSERT_NE(graph, nullptr);
  ASSERT_TRUE(graph->Start().ok());
  ASSERT_TRUE(graph->Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).ok());
  EXPECT_THAT(Filter(env.events->Lines(), "start"),
              ElementsAre("start extension/test_extension", "start exporter/test_exporter/x",
                          "start exporter/test_exporter/y", "start processor/test_processor/b",
                          "start processor/test_processor/a", "start receiver/test_receiver"));
  EXPECT_THAT(Filter(env.events->Lines(), "stop"),
              ElementsAre("stop receiver/test_receiver", "stop processor/test_processor/a",
                          "stop processor/test_processor/b", "stop exporter/test_exporter/y",
                          "stop exporter/test_exporter/x", "stop extension/test_extension"));
}

TEST(GraphTest, SharedReceiverFeedsEveryPipelineAndFanOutClones) {
  TestGraphEnv env;
  SelfMetrics metrics;
  auto graph = BuildGraph(env, kTwoPipelines, metrics);
  ASSERT_NE(graph, nullptr);
  ASSERT_TRUE(graph->Start().ok());
  testing::TestReceiver* receiver = env.receivers->receivers.at("test_receiver");
  ASSERT_NE(receiver->next().traces, nullptr);
  EXPECT_EQ(receiver->next().metrics, nullptr);  // no metrics pipeline: not served
  ASSERT_TRUE(receiver->next().traces->Consume(testing::MakeTraces(3)).ok());

  // Pipeline "traces" goes through a then b, then fans out to x and y; "traces/2" goes to y.
  auto* x = env.exporters->exporters_.at("test_exporter/x");
  auto* y = env.exporters->exporters_.at("test_exporter/y");
  auto got_x = x->Received();
  auto got_y = y->Received();
  ASSERT_EQ(got_x.size(), 1u);
  ASSERT_EQ(got_y.size(), 2u);  // one from each pipeline: exporters are shared per signal
  EXPECT_EQ(got_x[0].ItemCount(), 3);
  EXPECT_EQ(got_x[0].request().SerializeAsString(), got_y[0].request().SerializeAsString());
  EXPECT_THAT(Filter(env.events->Lines(), "consume processor"),
              ElementsAre("consume processor/test_processor/a items=3",
                          "consume processor/test_processor/b items=3"));
  ASSERT_TRUE(graph->Shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).ok());
}

TEST(GraphTest, FailedStartStopsWhatStartedAndNamesTheComponent) {
  TestGraphEnv env;
  SelfMetrics metrics;
  auto graph = BuildGraph(env, R"(
receivers:
  test_receiver:
processors:
  test_processor:
    fail_start: true
exporters:
  test_exporter:
service:
  pipelines:
    traces:
      receivers: [test_receiver]
      processors: [test_processor]
      exporters: [test_exporter]
)", metrics);
  ASSERT_NE(graph, nullptr);
  Status s = graph->Start();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("processor/test_processor (traces): configured to fail"));
  // The receiver never started; everything is still asked to stop, receiver first.
  EXPECT_THAT(Filter(env.events->Lines(), "start"),
              ElementsAre("start exporter/test_exporter", "start processor/test_processor"));
  EXPECT_THAT(Filter(env.events->Lines(), "stop"),
              ElementsAre("stop receiver/test_receiver", "stop processor/test_processor",
                          "stop exporter/test_exporter"));
}

TEST(GraphTest, ShutdownHonoursItsDeadline) {
  TestGraphEnv env;
  SelfMetrics metrics;
  auto graph = BuildGraph(env, R"(
receivers:
  test_receiver:
exporters:
  test_exporter:
    shutdown_delay: 1h
service:
  pipelines:
    traces:
      receivers: [test_receiver]
      exporters: [test_exporter]
)", metrics);
  ASSERT_NE(graph, nullptr);
  ASSERT_TRUE(graph->Start().ok());
  const auto begin = std::chrono::steady_clock::now();
  Status s = graph->Shutdown(begin + std::chrono::milliseconds(100));
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(s.message(), HasSubstr("exporter/test_exporter (traces)"));
  EXPECT_LT(took, std::chrono::seconds(30));  // bounded by the deadline, not by the hour asked
  EXPECT_TRUE(graph->Shutdown(begin).ok());   // idempotent
}

TEST(GraphTest, GivesComponentsTheirExtensions) {
  TestGraphEnv env;
  SelfMetrics metrics;
  auto graph = BuildGraph(env, kTwoPipelines, metrics);
  ASSERT_NE(graph, nullptr);
  EXPECT_NE(graph->GetExtension(ComponentId("test_extension")), nullptr);
  EXPECT_EQ(graph->GetExtension(ComponentId("test_extension", "other")), nullptr);
}

}  // namespace
}  // namespace otlpd
