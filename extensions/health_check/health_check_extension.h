// HealthCheckExtension: the `health_check` extension. An HTTP endpoint for liveness/readiness
// probes that answers from the service's HealthBoard: 200
// {"status":"Server available","upSince":"<RFC 3339>","uptime":"<Go duration>"} while the
// service runs, 503 {"status":"Server not available",...} while it starts or stops. With
// check_collector_pipeline enabled it also answers 503 while an exporter keeps failing.
//
//   HealthCheckExtension hc(settings, cfg);   // settings.health: the service's board
//   Status s = hc.Start(host);                // binds cfg.endpoint; the error names it
//   // GET http://localhost:13133/ -> 200 or 503
//   hc.Shutdown(deadline);                    // closes the endpoint, joins its thread
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "extensions/health_check/config.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"
#include "pipeline/health.h"
#include "pipeline/simple_http_server.h"

namespace otlpd::extension::health_check {

class HealthCheckExtension final : public Extension {
 public:
  HealthCheckExtension(const CreateSettings& settings, Config cfg);
  ~HealthCheckExtension() override;

  // FAILED_PRECONDITION without a health board; UNAVAILABLE naming the endpoint when it cannot
  // be bound.
  Status Start(Host& host) override;
  Status Shutdown(Deadline deadline) override;

  // The answer a probe gets now. Called on the server's thread for every probe.
  HttpResponse Answer();
  // The bound port once started (tests bind port 0).
  int port() const;

 private:
  // The exporter that makes the pipeline check fail, or "" when none does.
  std::string FailingExporter() const;

  const Config cfg_;
  HealthBoard* board_;
  Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<SimpleHttpServer> server_;

  std::mutex mu_;
  std::string reported_failing_;  // last exporter reported as failing: log transitions only
};

}  // namespace otlpd::extension::health_check
