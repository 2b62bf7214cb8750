// Slow backend: it answers long after the exporter's timeout. otlpd must time the attempts out
// and retry them, keep its queue (and so its memory) bounded by refusing upstream instead of
// buffering without limit, never crash, and deliver everything it acknowledged once the backend
// is fast again.
#include <chrono>
#include <iostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/faults/fault_env.h"
#include "tests/faults/load_client.h"
#include "tests/support/otlpd_process.h"
#include "tests/support/span_backend.h"

namespace otlpd {
namespace {

using testing::LoadClient;
using testing::MetricValue;
using testing::OtlpdProcess;
using testing::PipelineOptions;
using testing::PipelineYaml;
using testing::SpanBackend;
using namespace std::chrono_literals;

constexpr int kGrpcUnavailable = 14;
constexpr int kQueueSize = 10;
const std::string kQueueSizeSeries =
    "otelcol_exporter_queue_size{exporter=\"otlp_http/backend\",data_type=\"traces\"}";
const std::string kQueueCapacitySeries =
    "otelcol_exporter_queue_capacity{exporter=\"otlp_http/backend\",data_type=\"traces\"}";

TEST(SlowBackendTest, TimesOutRetriesStaysBoundedAndDeliversWhenFast) {
  SpanBackend backend;
  ASSERT_TRUE(backend.Start().ok());
  backend.SetDelay(3s);  // ten times the exporter's timeout
  PipelineOptions p{.backend_url = backend.Url(),
                    .exporter_timeout = "300ms",
                    .queue_size = kQueueSize,
                    .num_consumers = 2};
  OtlpdProcess otlpd(PipelineYaml(p), {"--shutdown-timeout", "5s"});
  ASSERT_TRUE(otlpd.Start()) << otlpd.Output();
  const long rss_start_kib = otlpd.RssKib();

  // 100-span requests back to back from four threads: far more than a stalled exporter drains.
  LoadClient client({.grpc_target = otlpd.GrpcTarget(), .threads = 4, .spans_per_request = 100});
  client.Start();
  // Attempts time out and are retried: the backend sees more attempts than the two consumers.
  ASSERT_TRUE(backend.WaitForRequests(6, 20s)) << otlpd.Output();
  // The queue filled and otlpd refused rather than grow.
  ASSERT_TRUE(client.WaitForFailures(20, 20s)) << otlpd.Output();
  EXPECT_GE(client.Failures()[kGrpcUnavailable], 20);
  EXPECT_EQ(backend.Distinct(), 0u);
  const double queued = MetricValue(otlpd.MetricsUrl(), kQueueSizeSeries);
  EXPECT_GE(queued, 0);
  EXPECT_LE(queued, MetricValue(otlpd.MetricsUrl(), kQueueCapacitySeries));
  const long rss_slow_kib = otlpd.RssKib();
  // Bounded: ten queued requests of 100 spans and two in flight are well under a megabyte; the
  // margin covers allocator and gRPC buffers, not a backlog.
  EXPECT_LT(rss_slow_kib - rss_start_kib, 64 * 1024)
      << "RSS grew from " << rss_start_kib << " KiB to " << rss_slow_kib << " KiB";
  EXPECT_TRUE(otlpd.Running()) << otlpd.Output();

  // Fast again: the backlog drains and new requests are acknowledged.
  const size_t acked_while_slow = client.AckedCount();
  backend.SetDelay(0ms);
  ASSERT_TRUE(client.WaitForAcked(acked_while_slow + 5000, 30s)) << otlpd.Output();
  client.Stop();
  const auto acked = client.Acked();
  EXPECT_TRUE(backend.WaitForAll(acked, 20s))
      << backend.Missing(acked).size() << " of " << acked.size() << " missing";
  std::cout << "[ faults   ] slow backend: acked " << acked.size() << " (" << acked_while_slow
            << " while slow), received " << backend.Distinct() << ", duplicates "
            << backend.Duplicates() << ", backend requests " << backend.Requests()
            << ", refusals " << client.Failures()[kGrpcUnavailable] << ", RSS " << rss_start_kib
            << " -> " << rss_slow_kib << " KiB\n";
  EXPECT_EQ(otlpd.Terminate(10s), 0) << otlpd.Output();
}

}  // namespace
}  // namespace otlpd
