#include "extensions/health_check/health_check_extension.h"

#include "extensions/health_check/go_time_format.h"
#include "pipeline/logging.h"

namespace otlpd::extension::health_check {
namespace {

constexpr const char* kJson = "application/json";

// The Collector's body, field names and order included: status, upSince, uptime.
std::string JsonBody(const char* status, const std::string& up_since, const std::string& uptime) {
  // None of the three values can hold a quote or a backslash, so no escaping is needed.
  return std::string("{\"status\":\"") + status + "\",\"upSince\":\"" + up_since +
         "\",\"uptime\":\"" + uptime + "\"}";
}

}  // namespace

HealthCheckExtension::HealthCheckExtension(const CreateSettings& settings, Config cfg)
    : cfg_(std::move(cfg)),
      board_(settings.health),
      clock_(*settings.clock),
      log_(settings.logger ? settings.logger : GetLogger("extension/" + settings.id.ToString())) {}

HealthCheckExtension::~HealthCheckExtension() {
  if (server_) server_->Stop();
}

Status HealthCheckExtension::Start(Host&) {
  if (board_ == nullptr) return FailedPreconditionError("health_check needs the service's health board");
  SimpleHttpServer::Options options;
  options.endpoint = cfg_.endpoint;
  options.logger = log_;
  server_ = std::make_unique<SimpleHttpServer>(
      options, HttpHandlers{{cfg_.path, [this] { return Answer(); }}});
  return server_->Start();
}

Status HealthCheckExtension::Shutdown(Deadline) {
  if (server_) server_->Stop();
  return OkStatus();
}

int HealthCheckExtension::port() const { return server_ ? server_->port() : 0; }

std::string HealthCheckExtension::FailingExporter() const {
  const CheckCollectorPipeline& check = cfg_.check_collector_pipeline;
  const Clock::TimePoint now = clock_.Now();
  for (const auto& [id, h] : board_->Exporters()) {
    // A streak counts while it is current: an exporter that stopped trying (no data) for longer
    // than the interval is no evidence of a broken pipeline.
    if (h.consecutive_failures > check.exporter_failure_threshold &&
        now - h.last_attempt <= check.interval) {
      return id;
    }
  }
  return "";
}

HttpResponse HealthCheckExtension::Answer() {
  const bool running = board_->phase() == HealthBoard::Phase::kRunning;
  std::string failing;
  if (running && cfg_.check_collector_pipeline.enabled) {
    failing = FailingExporter();
    std::lock_guard lock(mu_);
    if (failing != reported_failing_) {
      if (failing.empty()) {
        log_->info("exporter {} succeeded again: health check answers 200", reported_failing_);
      } else {
        log_->warn("exporter {} failed more than {} attempts in a row: health check answers 503",
                   failing, cfg_.check_collector_pipeline.exporter_failure_threshold);
      }
      reported_failing_ = failing;
    }
  }
  const bool healthy = running && failing.empty();
  if (cfg_.response_body) {
    return healthy ? HttpResponse{200, "text/plain; charset=utf-8", cfg_.response_body->healthy}
                   : HttpResponse{503, "text/plain; charset=utf-8", cfg_.response_body->unhealthy};
  }
  if (!running) return {503, kJson, JsonBody("Server not available", kGoZeroTime, "")};
  // Up since the service first ran; the board keeps that in wall time.
  const auto since = board_->running_since();
  const std::string up_since = FormatRfc3339Nano(since);
  const std::string uptime = FormatGoDuration(std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now() - since));
  return healthy ? HttpResponse{200, kJson, JsonBody("Server available", up_since, uptime)}
                 : HttpResponse{503, kJson, JsonBody("Server not available", up_since, uptime)};
}

}  // namespace otlpd::extension::health_check
