// HealthBoard: what the service knows about its own health, published for the health_check
// extension. The service sets the phase; exporters record the outcome of every send attempt.
// All methods are thread-safe; recording is cheap (one short lock), once per attempt, not per item.
//
//   board.SetPhase(HealthBoard::Phase::kRunning);
//   board.RecordExportAttempt("otlp_http/b14", /*success=*/false, clock.Now());
//   if (board.phase() != HealthBoard::Phase::kRunning) answer 503;
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "pipeline/clock.h"

namespace otlpd {

class HealthBoard {
 public:
  enum class Phase { kStarting, kRunning, kStopping };

  struct ExporterHealth {
    int64_t consecutive_failures = 0;
    Clock::TimePoint first_failure{};  // start of the current failure streak
    Clock::TimePoint last_success{};
    Clock::TimePoint last_attempt{};
  };

  void SetPhase(Phase phase) {
    std::lock_guard lock(mu_);
    phase_ = phase;
    if (phase == Phase::kRunning && !running_since_set_) {
      running_since_ = std::chrono::system_clock::now();
      running_since_set_ = true;
    }
  }
  Phase phase() const {
    std::lock_guard lock(mu_);
    return phase_;
  }
  // Wall time the service first reached kRunning (epoch when it never did).
  std::chrono::system_clock::time_point running_since() const {
    std::lock_guard lock(mu_);
    return running_since_;
  }

  // `exporter` is the exporter's ID string ("otlp_http/b14").
  void RecordExportAttempt(const std::string& exporter, bool success, Clock::TimePoint when) {
    std::lock_guard lock(mu_);
    ExporterHealth& h = exporters_[exporter];
    h.last_attempt = when;
    if (success) {
      h.consecutive_failures = 0;
      h.last_success = when;
    } else {
      if (h.consecutive_failures == 0) h.first_failure = when;
      ++h.consecutive_failures;
    }
  }
  std::map<std::string, ExporterHealth> Exporters() const {
    std::lock_guard lock(mu_);
    return exporters_;
  }

 private:
  mutable std::mutex mu_;
  Phase phase_ = Phase::kStarting;
  bool running_since_set_ = false;
  std::chrono::system_clock::time_point running_since_{};
  std::map<std::string, ExporterHealth> exporters_;
};

}  // namespace otlpd
