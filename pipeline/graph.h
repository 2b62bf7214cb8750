// Graph: the running components of one config and how they are wired.
//
// Per pipeline: receivers -> processors in order -> fan-out -> exporters. A receiver listed by
// several pipelines of one signal feeds each of them (fan-out); an exporter is one instance per
// (ID, signal), shared by the pipelines of that signal; a processor is one instance per pipeline.
// Built back to front so every `next` reference exists before its user. Start runs
// downstream-first (extensions, exporters, processors from last to first, receivers); Shutdown
// runs in exactly the reverse order, so nobody sends into a stopped component.
//
//   auto graph = Graph::Build(service_config, metrics, health);
//   if (!graph.ok()) ...;
//   Status s = (*graph)->Start();                 // exit code 2 on failure
//   ...
//   (*graph)->Shutdown(steady_clock::now() + 20s);
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/component.h"
#include "pipeline/health.h"
#include "pipeline/self_metrics.h"
#include "pipeline/service_config.h"

namespace otlpd {

class Graph final : public Host {
 public:
  // Creates every component (no threads, no sockets yet). `metrics`, `health` and `clock`
  // outlive the graph.
  static StatusOr<std::unique_ptr<Graph>> Build(const ServiceConfig& config, SelfMetrics& metrics,
                                                HealthBoard& health,
                                                Clock& clock = RealClock::Get());
  ~Graph() override;

  // Starts everything in order. On a failure, shuts down what had started (bounded by
  // `shutdown_on_failure`) and returns the failing component's status, annotated with its ID.
  Status Start(std::chrono::milliseconds shutdown_on_failure = std::chrono::seconds(5));
  // Stops everything in reverse start order; each component gets what is left of `deadline`.
  // Returns the first error; every component is still asked to stop. Idempotent.
  Status Shutdown(Deadline deadline);

  Extension* GetExtension(const ComponentId& id) const override;

  // "exporter/debug (traces)", ... in start order: for tests and the debug log.
  std::vector<std::string> StartOrderForTest() const;

 private:
  struct Started {
    std::string label;
    Component* component;
  };
  Graph() = default;

  template <class B>
  Status BuildSignal(const ServiceConfig& config, Signal signal, const CreateSettings& base,
                     std::map<ComponentId, std::vector<Consumer<B>*>>& receiver_heads);

  // Everything the graph owns, destroyed in reverse order of creation (receivers first).
  std::vector<std::unique_ptr<Component>> components_;
  std::vector<std::shared_ptr<void>> consumers_;  // fan-outs (type-erased)
  std::vector<Started> start_order_;              // downstream first
  std::map<ComponentId, Extension*> extensions_;
  // Filled while building, folded into start_order_ at the end of Build.
  std::vector<std::pair<std::string, Component*>> pending_exporters_;
  std::vector<std::pair<std::string, Component*>> pending_processors_;
  size_t started_ = 0;                            // prefix of start_order_ that Start() reached
  bool shut_down_ = false;
};

}  // namespace otlpd
