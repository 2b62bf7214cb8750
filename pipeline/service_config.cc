#include "pipeline/service_config.h"

#include <algorithm>
#include <set>

#include "config/map_reader.h"
#include "pipeline/extension_references.h"
#include "pipeline/simple_http_server.h"

namespace otlpd {
namespace {

using config::Errors;
using config::MapReader;
using config::Node;

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string UnknownTypeMessage(Kind kind, std::string_view type, const Registry& registry) {
  std::string msg = "unknown " + std::string(KindName(kind)) + " type " + Quote(type);
  if (auto guess = config::DidYouMean(type, registry.Names(kind))) {
    msg += " (did you mean " + Quote(*guess) + "?)";
  } else {
    std::string known;
    for (const auto& t : registry.Types(kind)) known += (known.empty() ? "" : ", ") + t;
    msg += known.empty() ? "; none are available" : "; available: " + known;
  }
  return msg;
}

// Passes 2 and 3 for one section (`receivers:` ...).
void DecodeSection(Kind kind, const Node* section, const Registry& registry,
                   std::map<ComponentId, ComponentEntry>& out, Errors& errors) {
  if (section == nullptr || section->IsNull()) return;
  const std::string section_name(KindSection(kind));
  if (!section->IsMap()) {
    errors.Add(section->location(), section_name,
               "expected a map of components, got a " + std::string(section->KindName()));
    return;
  }
  for (const config::MapEntry& entry : section->entries()) {
    const std::string path = section_name + "::" + entry.key;
    StatusOr<ComponentId> parsed = ComponentId::Parse(entry.key);
    if (!parsed.ok()) {
      errors.Add(entry.key_location, path, parsed.status().message());
      continue;
    }
    const Factory* factory = registry.Find(kind, parsed->type());
    if (factory == nullptr) {
      errors.Add(entry.key_location, path, UnknownTypeMessage(kind, parsed->type(), registry));
      continue;
    }
    ComponentId id(std::string(factory->type()), parsed->name());
    if (auto it = out.find(id); it != out.end()) {
      errors.Add(entry.key_location, path,
                 std::string(KindName(kind)) + " " + Quote(id.ToString()) +
                     " is defined twice (also as " + Quote(it->second.written_as) + " at " +
                     it->second.location.ToString() + ")");
      continue;
    }
    ComponentEntry e;
    e.kind = kind;
    e.id = id;
    e.written_as = entry.key;
    e.factory = factory;
    e.location = entry.key_location;
    e.config = factory->CreateDefaultConfig();
    MapReader reader(entry.value, path, errors);
    factory->DecodeConfig(reader, *e.config);
    reader.Finish();
    out.emplace(id, std::move(e));
  }
}

bool SupportsSignal(Kind kind, const Factory* f, Signal s) {
  switch (kind) {
    case Kind::kReceiver: return static_cast<const ReceiverFactory*>(f)->Supports(s);
    case Kind::kProcessor: return static_cast<const ProcessorFactory*>(f)->Supports(s);
    case Kind::kExporter: return static_cast<const ExporterFactory*>(f)->Supports(s);
    case Kind::kExtension: return true;
  }
  return false;
}

// Resolves the names listed under service::pipelines::<id>::<field> against a section.
// `signal` is nullopt for service::extensions, which have no signal to support.
std::vector<ComponentId> ResolveList(const Node* list, const std::string& path, Kind kind,
                                     std::optional<Signal> signal, const ServiceConfig& cfg,
                                     const Registry& registry, Errors& errors) {
  std::vector<ComponentId> ids;
  if (list == nullptr || list->IsNull()) return ids;
  if (!list->IsSequence()) {
    errors.Add(list->location(), path, "expected a list of component IDs, got a " +
                                           std::string(list->KindName()));
    return ids;
  }
  const auto& section = cfg.Section(kind);
  std::set<ComponentId> seen;
  for (size_t i = 0; i < list->items().size(); ++i) {
    const Node& item = list->items()[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.IsScalar()) {
      errors.Add(item.location(), item_path, "expected a component ID");
      continue;
    }
    StatusOr<ComponentId> parsed = ComponentId::Parse(item.scalar());
    if (!parsed.ok()) {
      errors.Add(item.location(), item_path, parsed.status().message());
      continue;
    }
    // Aliases resolve here too, so `otlphttp/b14` finds `otlp_http/b14`.
    ComponentId id = *parsed;
    if (const Factory* f = registry.Find(kind, id.type())) id = ComponentId(std::string(f->type()), id.name());
    auto it = section.find(id);
    if (it == section.end()) {
      errors.Add(item.location(), item_path,
                 "references " + std::string(KindName(kind)) + " " + Quote(item.scalar()) +
                     " which is not configured");
      continue;
    }
    if (!seen.insert(id).second) {
      errors.Add(item.location(), item_path,
                 "references " + std::string(KindName(kind)) + " " + Quote(item.scalar()) +
                     " more than once");
      continue;
    }
    if (signal && !SupportsSignal(kind, it->second.factory, *signal)) {
      errors.Add(item.location(), item_path,
                 std::string(KindName(kind)) + " " + Quote(item.scalar()) +
                     " does not support " + std::string(SignalName(*signal)));
      continue;
    }
    ids.push_back(id);
  }
  return ids;
}

// The Collector's newer form of the endpoint address: one pull reader with a Prometheus
// exporter. Push (periodic) readers would need an OTLP metrics exporter of our own: refused.
void DecodeMetricsReaders(MapReader& metrics, TelemetryMetricsConfig& out) {
  int readers = 0;
  metrics.ForEachMap("readers", [&](MapReader& reader) {
    if (++readers > 1) {
      reader.ErrorHere("only one reader is supported");
      reader.Raw("pull");  // known, so Finish adds no "unknown key" noise
      reader.Raw("periodic");
      return;
    }
    if (reader.Raw("periodic") != nullptr) {
      reader.Error("periodic", "periodic (push) readers are not supported; use "
                               "pull: {exporter: {prometheus: {host, port}}}");
    }
    auto pull = reader.Child("pull");
    if (!pull) {
      if (reader.Raw("periodic") == nullptr) reader.ErrorHere("expected a pull reader");
      return;
    }
    auto exporter = pull->Child("exporter");
    std::optional<MapReader> prometheus;
    if (exporter) prometheus = exporter->Child("prometheus");
    if (!prometheus) {
      (exporter ? *exporter : *pull).ErrorHere("expected exporter: {prometheus: {host, port}}");
    } else {
      std::string host = "localhost";
      int64_t port = -1;
      prometheus->String("host", &host);
      if (!prometheus->Int("port", &port, 0, 65535) && !prometheus->Has("port")) {
        prometheus->Error("port", "missing: the port to serve /metrics on");
      }
      if (port >= 0) {
        const bool v6 = host.find(':') != std::string::npos;
        out.address = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
      }
      prometheus->Finish();
    }
    if (exporter) exporter->Finish();
    pull->Finish();
  });
}

void DecodeTelemetryMetrics(MapReader& metrics, TelemetryMetricsConfig& out) {
  std::string level = "normal";
  if (metrics.Enum("level", &level, {"none", "basic", "normal", "detailed"})) {
    using Level = TelemetryMetricsConfig::Level;
    out.level = level == "none"    ? Level::kNone
                : level == "basic" ? Level::kBasic
                : level == "normal" ? Level::kNormal
                                    : Level::kDetailed;
  }
  const bool has_address = metrics.String("address", &out.address);
  if (has_address) {
    if (StatusOr<HostPort> hp = ParseHostPort(out.address); !hp.ok()) {
      metrics.Error("address", hp.status().message());
    }
  }
  if (metrics.Has("readers")) {
    if (has_address) metrics.Error("readers", "set address or readers, not both");
    DecodeMetricsReaders(metrics, out);
  }
  metrics.Finish();
}

void DecodeTelemetry(MapReader& service, TelemetryConfig& out) {
  auto telemetry = service.Child("telemetry");
  if (!telemetry) return;
  if (auto logs = telemetry->Child("logs")) {
    std::string level = "info";
    if (logs->Enum("level", &level, {"debug", "info", "warn", "error"})) {
      out.logs.level = spdlog::level::from_str(level);
    }
    std::string encoding = "console";
    if (logs->Enum("encoding", &encoding, {"console", "json"})) out.logs.json = encoding == "json";
    logs->Finish();
  }
  if (auto metrics = telemetry->Child("metrics")) DecodeTelemetryMetrics(*metrics, out.metrics);
  telemetry->Finish();
}

// Extensions named inside component configs (ReferencesExtensions) must be configured and
// listed in service::extensions: only those are started, and the component finds them at Start.
void CheckExtensionReferences(const ServiceConfig& cfg, Errors& errors) {
  for (Kind kind : {Kind::kReceiver, Kind::kProcessor, Kind::kExporter, Kind::kExtension}) {
    for (const auto& [id, entry] : cfg.Section(kind)) {
      const auto* refs = dynamic_cast<const ReferencesExtensions*>(entry.config.get());
      if (refs == nullptr) continue;
      for (const ExtensionReference& ref : refs->ExtensionReferences()) {
        const std::string path =
            std::string(KindName(kind)) + "s::" + entry.written_as + "::" + ref.key;
        const std::string named = "references extension " + Quote(ref.id.ToString());
        if (cfg.extensions.find(ref.id) == cfg.extensions.end()) {
          errors.Add(ref.location, path, named + " which is not configured");
        } else if (std::find(cfg.enabled_extensions.begin(), cfg.enabled_extensions.end(),
                             ref.id) == cfg.enabled_extensions.end()) {
          errors.Add(ref.location, path, named + " which is not listed in service::extensions");
        }
      }
    }
  }
}

}  // namespace

std::string PipelineConfig::IdString() const {
  std::string s(SignalName(signal));
  return name.empty() ? s : s + "/" + name;
}

const std::map<ComponentId, ComponentEntry>& ServiceConfig::Section(Kind kind) const {
  switch (kind) {
    case Kind::kReceiver: return receivers;
    case Kind::kProcessor: return processors;
    case Kind::kExporter: return exporters;
    case Kind::kExtension: return extensions;
  }
  return receivers;
}

ServiceConfig DecodeServiceConfig(const Node& root, const Registry& registry, Errors& errors) {
  ServiceConfig cfg;
  MapReader top(root, "", errors);
  DecodeSection(Kind::kExtension, top.Raw("extensions"), registry, cfg.extensions, errors);
  DecodeSection(Kind::kReceiver, top.Raw("receivers"), registry, cfg.receivers, errors);
  DecodeSection(Kind::kProcessor, top.Raw("processors"), registry, cfg.processors, errors);
  DecodeSection(Kind::kExporter, top.Raw("exporters"), registry, cfg.exporters, errors);

  const Node* service_node = top.Raw("service");
  top.Finish();
  if (service_node == nullptr) {
    errors.Add(root.location(), "service", "missing: a config needs a service section with pipelines");
    return cfg;
  }
  MapReader service(*service_node, "service", errors);

  cfg.enabled_extensions = ResolveList(service.Raw("extensions"), "service::extensions",
                                       Kind::kExtension, std::nullopt, cfg, registry, errors);

  CheckExtensionReferences(cfg, errors);

  const Node* pipelines = service.Raw("pipelines");
  DecodeTelemetry(service, cfg.telemetry);
  service.Finish();

  if (pipelines == nullptr || pipelines->IsNull() ||
      (pipelines->IsMap() && pipelines->entries().empty())) {
    errors.Add(pipelines ? pipelines->location() : service_node->location(), "service::pipelines",
               "at least one pipeline is required");
    return cfg;
  }
  if (!pipelines->IsMap()) {
    errors.Add(pipelines->location(), "service::pipelines",
               "expected a map of pipelines, got a " + std::string(pipelines->KindName()));
    return cfg;
  }
  for (const config::MapEntry& entry : pipelines->entries()) {
    const std::string path = "service::pipelines::" + entry.key;
    const auto slash = entry.key.find('/');
    const std::string signal_name = entry.key.substr(0, slash);
    std::optional<Signal> signal = ParseSignal(signal_name);
    if (!signal) {
      errors.Add(entry.key_location, path,
                 "invalid pipeline ID " + Quote(entry.key) +
                     ": must be traces, metrics or logs, optionally followed by /name");
      continue;
    }
    PipelineConfig p;
    p.signal = *signal;
    p.location = entry.key_location;
    if (slash != std::string::npos) {
      p.name = entry.key.substr(slash + 1);
      if (p.name.empty() || p.name.find('/') != std::string::npos) {
        errors.Add(entry.key_location, path,
                   "invalid pipeline ID " + Quote(entry.key) + ": expected " + signal_name +
                       "/name");
        continue;
      }
    }
    MapReader reader(entry.value, path, errors);
    p.receivers = ResolveList(reader.Raw("receivers"), path + "::receivers", Kind::kReceiver,
                              p.signal, cfg, registry, errors);
    p.processors = ResolveList(reader.Raw("processors"), path + "::processors",
                               Kind::kProcessor, p.signal, cfg, registry, errors);
    p.exporters = ResolveList(reader.Raw("exporters"), path + "::exporters", Kind::kExporter,
                              p.signal, cfg, registry, errors);
    reader.Finish();
    for (const char* field : {"receivers", "exporters"}) {
      const Node* n = entry.value.Find(field);
      if (n == nullptr || n->IsNull() || (n->IsSequence() && n->items().empty())) {
        errors.Add(n ? n->location() : entry.key_location, path + "::" + field,
                   std::string("a pipeline needs at least one ") +
                       (field[0] == 'r' ? "receiver" : "exporter"));
      }
    }
    cfg.pipelines.push_back(std::move(p));
  }
  return cfg;
}

}  // namespace otlpd
