// Component, Host and the roles built on them: Receiver, Processor<B>, Exporter<B>, Extension.
//
// Lifecycle: constructed by a factory (no threads, no sockets), then Start() once, then
// Shutdown() once. The service starts downstream-first (extensions, exporters, processors,
// receivers) and shuts down upstream-first, so nobody sends into a stopped component. A
// component starts its own threads in Start and joins them in Shutdown; Shutdown must return by
// its deadline, flushing what it can and reporting (logging and counting) what it could not.
// Shutdown may be called on a component whose Start was never called or failed.
//
//   class MyExporter : public Exporter<TracesBatch> {
//     Status Start(Host& host) override;                 // open clients, start workers
//     Status Consume(TracesBatch batch) override;        // enqueue
//     Status Shutdown(Deadline deadline) override;       // drain until deadline, join
//   };
#pragma once

#include <chrono>

#include "pipeline/component_id.h"
#include "pipeline/consumer.h"
#include "pipeline/status.h"

namespace otlpd {

using Deadline = std::chrono::steady_clock::time_point;

class Extension;

// What a component may ask of the running service. Valid from Start until Shutdown returns.
class Host {
 public:
  virtual ~Host() = default;
  // The started extension with this ID, or nullptr when none is configured under it. Used, for
  // instance, by an exporter to find its `auth.authenticator`.
  virtual Extension* GetExtension(const ComponentId& id) const = 0;
};

class Component {
 public:
  virtual ~Component() = default;
  // Called once. A non-OK status aborts the service start (exit code 2); its message names
  // what failed (e.g. the address that could not be bound).
  virtual Status Start(Host& host) {
    (void)host;
    return OkStatus();
  }
  // Called once, even when Start was not called or failed. Must return by `deadline`.
  virtual Status Shutdown(Deadline deadline) {
    (void)deadline;
    return OkStatus();
  }
};

class Receiver : public Component {};
class Extension : public Component {};

template <class B>
class Processor : public Component, public Consumer<B> {};

template <class B>
class Exporter : public Component, public Consumer<B> {};

using TracesProcessor = Processor<TracesBatch>;
using MetricsProcessor = Processor<MetricsBatch>;
using LogsProcessor = Processor<LogsBatch>;
using TracesExporter = Exporter<TracesBatch>;
using MetricsExporter = Exporter<MetricsBatch>;
using LogsExporter = Exporter<LogsBatch>;

}  // namespace otlpd
