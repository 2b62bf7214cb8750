#include "extensions/health_check/config.h"

#include "pipeline/simple_http_server.h"

namespace otlpd::extension::health_check {

void DecodeConfig(config::MapReader& reader, Config& cfg) {
  if (reader.String("endpoint", &cfg.endpoint)) {
    if (StatusOr<HostPort> hp = ParseHostPort(cfg.endpoint); !hp.ok()) {
      reader.Error("endpoint", hp.status().message());
    }
  }
  if (reader.String("path", &cfg.path) && (cfg.path.empty() || cfg.path[0] != '/')) {
    reader.Error("path", "must start with /, got \"" + cfg.path + "\"");
  }
  if (auto body = reader.Child("response_body")) {
    ResponseBody rb;
    body->String("healthy", &rb.healthy);
    body->String("unhealthy", &rb.unhealthy);
    body->Finish();
    cfg.response_body = std::move(rb);
  }
  if (auto check = reader.Child("check_collector_pipeline")) {
    CheckCollectorPipeline& c = cfg.check_collector_pipeline;
    check->Bool("enabled", &c.enabled);
    check->Duration("interval", &c.interval, std::chrono::milliseconds(1));
    check->Int("exporter_failure_threshold", &c.exporter_failure_threshold, 1);
    check->Finish();
  }
}

}  // namespace otlpd::extension::health_check
