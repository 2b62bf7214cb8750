// Builders of small, realistic OTLP requests for tests: MakeTraces(n) gives one resource
// (service.name=test-service) with one scope and n spans named "span-<i>", with distinct IDs.
//
//   TracesBatch b = MakeTraces(3);
//   ASSERT_EQ(b.ItemCount(), 3);
//   MetricsBatch m = MakeMetrics(2);   // one gauge with 2 data points
//   LogsBatch l = MakeLogs(5);
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/telemetry.h"

namespace otlpd::testing {

inline TracesBatch MakeTraces(int n, const std::string& service = "test-service") {
  TraceRequest req;
  auto* rs = req.add_resource_spans();
  auto* attr = rs->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value(service);
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("test-scope");
  for (int i = 0; i < n; ++i) {
    auto* span = ss->add_spans();
    span->set_name("span-" + std::to_string(i));
    std::string trace_id(16, '\0'), span_id(8, '\0');
    trace_id[15] = static_cast<char>(i & 0xff);
    trace_id[14] = static_cast<char>((i >> 8) & 0xff);
    trace_id[0] = 1;
    span_id[7] = static_cast<char>(i & 0xff);
    span_id[6] = static_cast<char>((i >> 8) & 0xff);
    span_id[0] = 1;
    span->set_trace_id(trace_id);
    span->set_span_id(span_id);
    span->set_start_time_unix_nano(1'700'000'000'000'000'000ull + i);
    span->set_end_time_unix_nano(1'700'000'000'001'000'000ull + i);
  }
  return TracesBatch(std::move(req));
}

inline MetricsBatch MakeMetrics(int points, const std::string& service = "test-service") {
  MetricsRequest req;
  auto* rm = req.add_resource_metrics();
  auto* attr = rm->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value(service);
  auto* sm = rm->add_scope_metrics();
  sm->mutable_scope()->set_name("test-scope");
  auto* m = sm->add_metrics();
  m->set_name("test.gauge");
  for (int i = 0; i < points; ++i) {
    auto* dp = m->mutable_gauge()->add_data_points();
    dp->set_as_int(i);
    dp->set_time_unix_nano(1'700'000'000'000'000'000ull + i);
  }
  return MetricsBatch(std::move(req));
}

inline LogsBatch MakeLogs(int n, const std::string& service = "test-service") {
  LogsRequest req;
  auto* rl = req.add_resource_logs();
  auto* attr = rl->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value(service);
  auto* sl = rl->add_scope_logs();
  sl->mutable_scope()->set_name("test-scope");
  for (int i = 0; i < n; ++i) {
    auto* lr = sl->add_log_records();
    lr->mutable_body()->set_string_value("log-" + std::to_string(i));
    lr->set_time_unix_nano(1'700'000'000'000'000'000ull + i);
  }
  return LogsBatch(std::move(req));
}

}  // namespace otlpd::testing
