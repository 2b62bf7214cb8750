// Factories: how the service turns a YAML section into a running component, without knowing any
// concrete component type (Collector's component.Factory + Envoy's typed factories).
//
// A factory names its type (and aliases), makes the default config (member initialisers ARE the
// defaults), decodes and validates one YAML map into that config, and creates components. Create
// functions must not start threads or open sockets: that happens in Component::Start, so that
// `otlpd validate` and failed starts stay side-effect free.
//
//   class BatchFactory : public ProcessorFactory {
//     std::string_view type() const override { return "batch"; }
//     std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
//     void DecodeConfig(config::MapReader& r, ComponentConfig& cfg) const override;
//     bool Supports(Signal) const override { return true; }
//     StatusOr<std::unique_ptr<TracesProcessor>> CreateTraces(...) const override;
//   };
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>

#include "config/map_reader.h"
#include "pipeline/clock.h"
#include "pipeline/component.h"
#include "pipeline/health.h"
#include "pipeline/self_metrics.h"
#include "pipeline/signal.h"

namespace otlpd {

// A component's typed configuration. Immutable once decoded; components copy what they need.
class ComponentConfig {
 public:
  virtual ~ComponentConfig() = default;
};

// What every Create* call gets besides the config. References outlive the component.
struct CreateSettings {
  ComponentId id;
  std::shared_ptr<spdlog::logger> logger;  // named "<kind>/<id>"
  SelfMetrics* metrics = nullptr;          // never null in the service
  HealthBoard* health = nullptr;           // never null in the service
  Clock* clock = &RealClock::Get();
};

class Factory {
 public:
  virtual ~Factory() = default;
  virtual std::string_view type() const = 0;
  // Other names accepted in the YAML for this type (`otlphttp` for `otlp_http`).
  virtual std::vector<std::string_view> aliases() const { return {}; }
  virtual std::unique_ptr<ComponentConfig> CreateDefaultConfig() const = 0;
  // Reads the component's YAML map into `cfg` (made by CreateDefaultConfig) and validates it,
  // reporting every problem through `reader`. The caller calls reader.Finish() afterwards, so
  // keys the factory does not read are rejected as unknown.
  virtual void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const = 0;
};

// Which signals a receiver feeds. A null consumer means no pipeline of that signal uses the
// receiver, and the receiver must not serve it (HTTP 404, gRPC UNIMPLEMENTED).
struct ReceiverConsumers {
  TracesConsumer* traces = nullptr;
  MetricsConsumer* metrics = nullptr;
  LogsConsumer* logs = nullptr;
};

class ReceiverFactory : public Factory {
 public:
  virtual bool Supports(Signal signal) const = 0;
  // One receiver instance per ID, serving every signal that has a consumer.
  virtual StatusOr<std::unique_ptr<Receiver>> Create(const CreateSettings& settings,
                                                     const ComponentConfig& cfg,
                                                     ReceiverConsumers next) const = 0;
};

// One processor instance per pipeline that lists it.
class ProcessorFactory : public Factory {
 public:
  virtual bool Supports(Signal signal) const = 0;
  virtual StatusOr<std::unique_ptr<TracesProcessor>> CreateTraces(const CreateSettings&,
                                                                   const ComponentConfig&,
                                                                   TracesConsumer& next) const;
  virtual StatusOr<std::unique_ptr<MetricsProcessor>> CreateMetrics(const CreateSettings&,
                                                                    const ComponentConfig&,
                                                                    MetricsConsumer& next) const;
  virtual StatusOr<std::unique_ptr<LogsProcessor>> CreateLogs(const CreateSettings&,
                                                              const ComponentConfig&,
                                                              LogsConsumer& next) const;
};

// One exporter instance per (ID, signal), shared by every pipeline of that signal listing it.
class ExporterFactory : public Factory {
 public:
  virtual bool Supports(Signal signal) const = 0;
  virtual StatusOr<std::unique_ptr<TracesExporter>> CreateTraces(const CreateSettings&,
                                                                 const ComponentConfig&) const;
  virtual StatusOr<std::unique_ptr<MetricsExporter>> CreateMetrics(const CreateSettings&,
                                                                   const ComponentConfig&) const;
  virtual StatusOr<std::unique_ptr<LogsExporter>> CreateLogs(const CreateSettings&,
                                                             const ComponentConfig&) const;
};

class ExtensionFactory : public Factory {
 public:
  virtual StatusOr<std::unique_ptr<Extension>> Create(const CreateSettings& settings,
                                                      const ComponentConfig& cfg) const = 0;
};

}  // namespace otlpd
