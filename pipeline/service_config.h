// ServiceConfig: a loaded config tree decoded against the registry into typed component configs
// and checked pipelines. This is validation passes 2-4 (house doc section 6); pass 1 (load,
// expand, merge) is config/loader.h.
//
//   pass 2, identify: every section key parses as type[/name], names a known type (aliases
//           resolve to the canonical type; "did you mean"), and is not defined twice;
//   pass 3, decode:   each component's factory reads its map (unknown keys, types, ranges);
//   pass 4, service:  pipelines name real components that support their signal, have at least
//           one receiver and one exporter; service.extensions exist; service.telemetry decodes.
//
// Every problem is collected in `errors`; the result is only meaningful when errors is empty.
//
//   config::Errors errors;
//   ServiceConfig cfg = DecodeServiceConfig(loaded.root, registry, errors);
//   if (!errors.empty()) { std::cerr << errors.ToString(); return 1; }
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/errors.h"
#include "config/node.h"
#include "pipeline/factory.h"
#include "pipeline/logging.h"
#include "pipeline/registry.h"
#include "pipeline/signal.h"

namespace otlpd {

struct ComponentEntry {
  Kind kind = Kind::kReceiver;
  ComponentId id;                          // canonical type (aliases resolved)
  std::string written_as;                  // the key as the user wrote it
  const Factory* factory = nullptr;
  std::unique_ptr<ComponentConfig> config;
  config::Location location;
};

struct PipelineConfig {
  Signal signal = Signal::kTraces;
  std::string name;                        // "" for plain "traces"
  std::vector<ComponentId> receivers;
  std::vector<ComponentId> processors;     // in order
  std::vector<ComponentId> exporters;
  config::Location location;
  // "traces" or "traces/name".
  std::string IdString() const;
};

// service::telemetry::metrics: the Prometheus self-metrics endpoint (GET /metrics).
struct TelemetryMetricsConfig {
  enum class Level { kNone, kBasic, kNormal, kDetailed };
  // level: none|basic|normal|detailed, default normal. none turns the endpoint off; the other
  // three serve the same metrics today (otlpd has no per-request HTTP/gRPC metrics yet).
  Level level = Level::kNormal;
  // address (host:port), default localhost:8888; or the newer form
  // readers: [{pull: {exporter: {prometheus: {host, port}}}}] (one reader).
  std::string address = "localhost:8888";
};

struct TelemetryConfig {
  LogSettings logs;                        // service::telemetry::logs::{level,encoding}
  TelemetryMetricsConfig metrics;          // service::telemetry::metrics
};

struct ServiceConfig {
  std::map<ComponentId, ComponentEntry> receivers;
  std::map<ComponentId, ComponentEntry> processors;
  std::map<ComponentId, ComponentEntry> exporters;
  std::map<ComponentId, ComponentEntry> extensions;
  std::vector<ComponentId> enabled_extensions;  // service::extensions, in order
  std::vector<PipelineConfig> pipelines;        // in the order written
  TelemetryConfig telemetry;

  const std::map<ComponentId, ComponentEntry>& Section(Kind kind) const;
};

ServiceConfig DecodeServiceConfig(const config::Node& root, const Registry& registry,
                                  config::Errors& errors);

}  // namespace otlpd
