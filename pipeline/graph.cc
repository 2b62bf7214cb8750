#include "pipeline/graph.h"

#include <algorithm>
#include <map>

#include "pipeline/fanout.h"
#include "pipeline/logging.h"

namespace otlpd {
namespace {

// Signal-typed access to the factories and the receiver consumer slots, so BuildSignal is
// written once for all three signals.
template <class B>
struct SignalOps;

template <>
struct SignalOps<TracesBatch> {
  static constexpr Signal kSignal = Signal::kTraces;
  static auto CreateProcessor(const ProcessorFactory& f, const CreateSettings& s,
                              const ComponentConfig& c, TracesConsumer& next) {
    return f.CreateTraces(s, c, next);
  }
  static auto CreateExporter(const ExporterFactory& f, const CreateSettings& s,
                             const ComponentConfig& c) {
    return f.CreateTraces(s, c);
  }
  static TracesConsumer*& Slot(ReceiverConsumers& r) { return r.traces; }
};

template <>
struct SignalOps<MetricsBatch> {
  static constexpr Signal kSignal = Signal::kMetrics;
  static auto CreateProcessor(const ProcessorFactory& f, const CreateSettings& s,
                              const ComponentConfig& c, MetricsConsumer& next) {
    return f.CreateMetrics(s, c, next);
  }
  static auto CreateExporter(const ExporterFactory& f, const CreateSettings& s,
                             const ComponentConfig& c) {
    return f.CreateMetrics(s, c);
  }
  static MetricsConsumer*& Slot(ReceiverConsumers& r) { return r.metrics; }
};

template <>
struct SignalOps<LogsBatch> {
  static constexpr Signal kSignal = Signal::kLogs;
  static auto CreateProcessor(const ProcessorFactory& f, const CreateSettings& s,
                              const ComponentConfig& c, LogsConsumer& next) {
    return f.CreateLogs(s, c, next);
  }
  static auto CreateExporter(const ExporterFactory& f, const CreateSettings& s,
                             const ComponentConfig& c) {
    return f.CreateLogs(s, c);
  }
  static LogsConsumer*& Slot(ReceiverConsumers& r) { return r.logs; }
};

std::string Label(Kind kind, const ComponentId& id) {
  return std::string(KindName(kind)) + "/" + id.ToString();
}

// `base` carries the service-wide pointers (metrics, health, clock); this adds the identity.
CreateSettings Settings(Kind kind, const ComponentId& id, const CreateSettings& base) {
  CreateSettings s = base;
  s.id = id;
  s.logger = GetLogger(Label(kind, id));
  return s;
}

// Wraps several consumers in a fan-out owned by `owner`, or returns the only one.
template <class B>
Consumer<B>* JoinConsumers(std::vector<Consumer<B>*> consumers,
                           std::vector<std::shared_ptr<void>>& owner) {
  if (consumers.size() == 1) return consumers.front();
  auto fan = std::make_shared<FanOut<B>>(std::move(consumers));
  Consumer<B>* raw = fan.get();
  owner.push_back(std::move(fan));
  return raw;
}

}  // namespace

template <class B>
Status Graph::BuildSignal(const ServiceConfig& config, Signal signal, const CreateSettings& base,
                          std::map<ComponentId, std::vector<Consumer<B>*>>& receiver_heads) {
  using Ops = SignalOps<B>;
  std::map<ComponentId, Consumer<B>*> exporters;  // one per ID for this signal
  for (const PipelineConfig& p : config.pipelines) {
    if (p.signal != signal) continue;
    const std::string suffix = " (" + p.IdString() + ")";

    std::vector<Consumer<B>*> exporter_consumers;
    for (const ComponentId& id : p.exporters) {
      auto it = exporters.find(id);
      if (it == exporters.end()) {
        const ComponentEntry& e = config.exporters.at(id);
        auto created = Ops::CreateExporter(*static_cast<const ExporterFactory*>(e.factory),
                                           Settings(Kind::kExporter, id, base),
                                           *e.config);
        if (!created.ok()) return created.status().Annotate(Label(Kind::kExporter, id));
        Consumer<B>* consumer = created->get();
        pending_exporters_.push_back({Label(Kind::kExporter, id) + " (" +
                                          std::string(SignalName(signal)) + ")",
                                      created->get()});
        components_.push_back(std::move(*created));
        it = exporters.emplace(id, consumer).first;
      }
      exporter_consumers.push_back(it->second);
    }
    Consumer<B>* next = JoinConsumers(std::move(exporter_consumers), consumers_);

    // Processors back to front: each one's `next` already exists.
    for (auto pid = p.processors.rbegin(); pid != p.processors.rend(); ++pid) {
      const ComponentEntry& e = config.processors.at(*pid);
      auto created = Ops::CreateProcessor(*static_cast<const ProcessorFactory*>(e.factory),
                                          Settings(Kind::kProcessor, *pid, base),
                                          *e.config, *next);
      if (!created.ok()) return created.status().Annotate(Label(Kind::kProcessor, *pid) + suffix);
      next = created->get();
      pending_processors_.push_back({Label(Kind::kProcessor, *pid) + suffix, created->get()});
      components_.push_back(std::move(*created));
    }
    for (const ComponentId& rid : p.receivers) receiver_heads[rid].push_back(next);
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<Graph>> Graph::Build(const ServiceConfig& config, SelfMetrics& metrics,
                                              HealthBoard& health, Clock& clock) {
  std::unique_ptr<Graph> g(new Graph());
  CreateSettings base;
  base.metrics = &metrics;
  base.health = &health;
  base.clock = &clock;

  for (const ComponentId& id : config.enabled_extensions) {
    const ComponentEntry& e = config.extensions.at(id);
    auto created = static_cast<const ExtensionFactory*>(e.factory)
                       ->Create(Settings(Kind::kExtension, id, base), *e.config);
    if (!created.ok()) return created.status().Annotate(Label(Kind::kExtension, id));
    g->extensions_[id] = created->get();
    g->start_order_.push_back({Label(Kind::kExtension, id), created->get()});
    g->components_.push_back(std::move(*created));
  }

  std::map<ComponentId, std::vector<TracesConsumer*>> traces_heads;
  std::map<ComponentId, std::vector<MetricsConsumer*>> metrics_heads;
  std::map<ComponentId, std::vector<LogsConsumer*>> logs_heads;
  if (Status s = g->BuildSignal(config, Signal::kTraces, base, traces_heads); !s.ok()) return s;
  if (Status s = g->BuildSignal(config, Signal::kMetrics, base, metrics_heads); !s.ok()) return s;
  if (Status s = g->BuildSignal(config, Signal::kLogs, base, logs_heads); !s.ok()) return s;

  // Downstream first: exporters, then processors in the order built (last of each pipeline first).
  for (auto& [label, c] : g->pending_exporters_) g->start_order_.push_back({label, c});
  for (auto& [label, c] : g->pending_processors_) g->start_order_.push_back({label, c});

  // One receiver instance per ID, serving each signal some pipeline uses it for.
  for (const auto& [id, entry] : config.receivers) {
    ReceiverConsumers next;
    if (auto it = traces_heads.find(id); it != traces_heads.end())
      next.traces = JoinConsumers(it->second, g->consumers_);
    if (auto it = metrics_heads.find(id); it != metrics_heads.end())
      next.metrics = JoinConsumers(it->second, g->consumers_);
    if (auto it = logs_heads.find(id); it != logs_heads.end())
      next.logs = JoinConsumers(it->second, g->consumers_);
    if (!next.traces && !next.metrics && !next.logs) continue;  // configured but unused
    auto created = static_cast<const ReceiverFactory*>(entry.factory)
                       ->Create(Settings(Kind::kReceiver, id, base), *entry.config, next);
    if (!created.ok()) return created.status().Annotate(Label(Kind::kReceiver, id));
    g->start_order_.push_back({Label(Kind::kReceiver, id), created->get()});
    g->components_.push_back(std::move(*created));
  }
  g->pending_exporters_.clear();
  g->pending_processors_.clear();
  return g;
}

Graph::~Graph() {
  // Receivers were created last and hold references into everything else: destroy in reverse.
  while (!components_.empty()) components_.pop_back();
}

Status Graph::Start(std::chrono::milliseconds shutdown_on_failure) {
  auto log = GetLogger("service");
  for (; started_ < start_order_.size(); ++started_) {
    Started& s = start_order_[started_];
    log->debug("starting {}", s.label);
    Status status = s.component->Start(*this);
    if (!status.ok()) {
      Status failed = status.Annotate(s.label);
      // The failed component is asked to stop too: it may have started threads before failing.
      ++started_;
      Shutdown(std::chrono::steady_clock::now() + shutdown_on_failure).IgnoreError();
      return failed;
    }
  }
  return OkStatus();
}

Status Graph::Shutdown(Deadline deadline) {
  if (shut_down_) return OkStatus();
  shut_down_ = true;
  auto log = GetLogger("service");
  Status first;
  // Components never started are still asked to stop (Shutdown without Start is legal).
  for (size_t i = start_order_.size(); i-- > 0;) {
    Started& s = start_order_[i];
    log->debug("stopping {}", s.label);
    Status status = s.component->Shutdown(deadline);
    if (!status.ok()) {
      log->warn("{} did not shut down cleanly: {}", s.label, status.ToString());
      if (first.ok()) first = status.Annotate(s.label);
    }
  }
  return first;
}

Extension* Graph::GetExtension(const ComponentId& id) const {
  auto it = extensions_.find(id);
  return it == extensions_.end() ? nullptr : it->second;
}

std::vector<std::string> Graph::StartOrderForTest() const {
  std::vector<std::string> out;
  for (const Started& s : start_order_) out.push_back(s.label);
  return out;
}

}  // namespace otlpd
