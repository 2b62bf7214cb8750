// Config of the health_check extension: where the probe endpoint listens, what it answers, and
// the opt-in exporter check. Keys and defaults follow the Collector's healthcheckextension.
//
//   extensions:
//     health_check:
//       endpoint: 0.0.0.0:13133
//       check_collector_pipeline: {enabled: true, interval: 5m, exporter_failure_threshold: 5}
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "config/map_reader.h"
#include "pipeline/factory.h"

namespace otlpd::extension::health_check {

struct ResponseBody {
  std::string healthy;    // response_body::healthy, default "": the body of a 200
  std::string unhealthy;  // response_body::unhealthy, default "": the body of a 503
};

struct CheckCollectorPipeline {
  bool enabled = false;  // check_collector_pipeline::enabled, default false
  // check_collector_pipeline::interval, default 5m, > 0: an exporter counts as failing only while
  // its last attempt is this recent.
  config::Duration interval = std::chrono::minutes(5);
  // check_collector_pipeline::exporter_failure_threshold, default 5, >= 1: unhealthy once an
  // exporter has failed more than this many attempts in a row.
  int64_t exporter_failure_threshold = 5;
};

struct Config : ComponentConfig {
  std::string endpoint = "localhost:13133";  // endpoint, host:port
  std::string path = "/";                     // path, must start with '/'
  // response_body: when set, these texts replace the JSON answer.
  std::optional<ResponseBody> response_body;
  CheckCollectorPipeline check_collector_pipeline;
};

void DecodeConfig(config::MapReader& reader, Config& cfg);

}  // namespace otlpd::extension::health_check
