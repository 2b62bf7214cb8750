// The self-metrics endpoint: the page Prometheus scrapes, with the Collector's names.
#include "pipeline/metrics_endpoint.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/pipeline/telemetry/http_get.h"

namespace otlpd {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using otlpd::testing::HttpGet;
using namespace std::chrono_literals;

void Populate(SelfMetrics& m) {
  m.GetCounter("otelcol_receiver_accepted_spans", {{"receiver", "otlp"}, {"transport", "http"}},
               "Number of spans successfully pushed into the pipeline.")
      .Add(7);
  m.GetCounter("otelcol_receiver_accepted_spans", {{"receiver", "otlp"}, {"transport", "grpc"}})
      .Add(2);
  m.GetCounter("otelcol_processor_filter_spans.filtered", {{"filter", "filter/noisy"}},
               "Number of spans dropped by the filter processor")
      .Add(1);
  m.GetGauge("otelcol_exporter_queue_size", {{"exporter", "otlp_http/b14"}},
             "Current size of the retry queue (in batches)")
      .Set(3);
}

std::string FindOnPath(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = dirs.find(':', start);
    const std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string candidate = dir + "/" + tool;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

TEST(MetricsEndpointTest, ServesCountersWithTotalAndLabelsAndProcessMetrics) {
  SelfMetrics metrics;
  Populate(metrics);
  MetricsEndpoint endpoint("127.0.0.1:0", metrics);
  ASSERT_TRUE(endpoint.Start().ok());
  auto a = HttpGet("http://127.0.0.1:" + std::to_string(endpoint.port()) + "/metrics");
  ASSERT_EQ(a.status, 200) << a.error;
  EXPECT_EQ(a.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& page = a.body;
  EXPECT_THAT(page, HasSubstr("# TYPE otelcol_receiver_accepted_spans_total counter\n"));
  EXPECT_THAT(page, HasSubstr("# HELP otelcol_receiver_accepted_spans_total Number of spans "
                              "successfully pushed into the pipeline.\n"));
  EXPECT_THAT(page, HasSubstr(
                        "otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"} 7\n"));
  EXPECT_THAT(page, HasSubstr(
                        "otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"} 2\n"));
  EXPECT_THAT(page, HasSubstr("otelcol_processor_filter_spans_filtered_total{filter=\"filter/noisy\"} 1\n"));
  EXPECT_THAT(page, HasSubstr("# TYPE otelcol_exporter_queue_size gauge\n"));
  EXPECT_THAT(page, HasSubstr("otelcol_exporter_queue_size{exporter=\"otlp_http/b14\"} 3\n"));
  EXPECT_THAT(page, HasSubstr("# TYPE otelcol_process_uptime_seconds_total counter\n"));
  EXPECT_THAT(page, HasSubstr("# TYPE otelcol_process_cpu_seconds_total counter\n"));
  EXPECT_THAT(page, HasSubstr("# TYPE otelcol_process_memory_rss_bytes gauge\n"));

  // Live values: a counter bumped after the first scrape shows in the next.
  metrics.GetCounter("otelcol_receiver_accepted_spans", {{"receiver", "otlp"}, {"transport", "http"}})
      .Add(1);
  auto b = HttpGet("http://127.0.0.1:" + std::to_string(endpoint.port()) + "/metrics");
  EXPECT_THAT(b.body, HasSubstr(
                          "otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"} 8\n"));
  EXPECT_EQ(HttpGet("http://127.0.0.1:" + std::to_string(endpoint.port()) + "/").status, 404);
  endpoint.Stop();
}

TEST(MetricsEndpointTest, ProcessMetricsHaveSensibleValues) {
  const std::string page = RenderProcessMetrics(90s);
  EXPECT_THAT(page, HasSubstr("\notelcol_process_uptime_seconds_total 90\n"));
  // RSS of a running test process is well above zero.
  const size_t at = page.find("\notelcol_process_memory_rss_bytes ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::stod(page.substr(at + 34)), 1e6);
  EXPECT_THAT(page, MatchesRegex("(.|\n)*\notelcol_process_cpu_seconds_total [0-9.e+-]+\n(.|\n)*"));
}

TEST(MetricsEndpointTest, BindFailureNamesTheAddress) {
  SelfMetrics metrics;
  MetricsEndpoint first("127.0.0.1:0", metrics);
  ASSERT_TRUE(first.Start().ok());
  const std::string taken = "127.0.0.1:" + std::to_string(first.port());
  MetricsEndpoint second(taken, metrics);
  Status s = second.Start();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(taken));
}

// Prometheus' own linter on the page. promtool comes with the Debian package "prometheus"
// (scripts/install-deps.sh installs it).
TEST(MetricsEndpointTest, PromtoolAcceptsThePage) {
  const std::string promtool = FindOnPath("promtool");
  if (promtool.empty()) {
    GTEST_SKIP() << "promtool not found on PATH (Debian package: prometheus); not linting";
  }
  SelfMetrics metrics;
  Populate(metrics);
  MetricsEndpoint endpoint("127.0.0.1:0", metrics);
  ASSERT_TRUE(endpoint.Start().ok());
  auto a = HttpGet("http://127.0.0.1:" + std::to_string(endpoint.port()) + "/metrics");
  ASSERT_EQ(a.status, 200);

  const std::string file =
      (std::filesystem::temp_directory_path() / ("metrics-" + std::to_string(getpid()) + ".prom"))
          .string();
  std::ofstream(file) << a.body;
  const std::string cmd = promtool + " check metrics < " + file + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  const int rc = pclose(pipe);
  std::filesystem::remove(file);
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << output << "\n--- page ---\n" << a.body;
  EXPECT_EQ(output, "") << a.body;
}

}  // namespace
}  // namespace otlpd
