// Retry policy of exporters (`retry_on_failure`, the Collector's exporterhelper keys and
// defaults) and the jittered exponential backoff that applies it to one request.
//
// Each failed attempt waits Next(): the current interval randomised by +-randomization_factor,
// after which the interval grows by `multiplier` up to `max_interval`. The caller waits
// max(Next(), the server's retry_after) and gives up when that would pass `max_elapsed_time`.
//
//   RetryConfig cfg;                        // 5s, x1.5, up to 30s, give up after 300s
//   Backoff backoff(cfg, DefaultRandomSource());
//   Clock::Duration wait = backoff.Next();  // 2.5s..7.5s, then 3.75s..11.25s, ...
#pragma once

#include <chrono>
#include <functional>

#include "config/map_reader.h"
#include "pipeline/clock.h"

namespace otlpd::exporter::helper {

struct RetryConfig {
  // enabled: default true. When false a failed request is dropped at once.
  bool enabled = true;
  // initial_interval: default 5s, > 0. The first wait.
  config::Duration initial_interval = std::chrono::seconds(5);
  // randomization_factor: default 0.5, 0..1. Each wait is interval * (1 +- factor).
  double randomization_factor = 0.5;
  // multiplier: default 1.5, >= 1. Growth of the interval after each wait.
  double multiplier = 1.5;
  // max_interval: default 30s, >= initial_interval. Cap of the interval (before jitter).
  config::Duration max_interval = std::chrono::seconds(30);
  // max_elapsed_time: default 300s, >= 0; 0 retries forever. Time from the first attempt after
  // which a request is given up.
  config::Duration max_elapsed_time = std::chrono::seconds(300);
};

// Reads and validates the keys of a `retry_on_failure` map (not Finish(): the caller does).
void DecodeRetryConfig(config::MapReader& reader, RetryConfig& cfg);

// Uniform random numbers in [0, 1), for jitter. Must be safe to call from several threads.
// Injectable so that tests get exact waits.
using RandomSource = std::function<double()>;
RandomSource DefaultRandomSource();

// The backoff state of one request. Not thread-safe: one request is retried by one thread.
class Backoff {
 public:
  // `random` must outlive the backoff.
  Backoff(const RetryConfig& cfg, const RandomSource& random);

  // The wait before the next attempt; advances the interval.
  Clock::Duration Next();

 private:
  const RetryConfig& cfg_;
  const RandomSource& random_;
  double interval_ns_;
};

}  // namespace otlpd::exporter::helper
