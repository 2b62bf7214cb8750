#include "pipeline/registry.h"

#include <algorithm>

namespace otlpd {

Status Registry::AddFactory(Kind kind, std::unique_ptr<Factory> factory) {
  auto& names = by_name_[kind];
  std::vector<std::string> all = {std::string(factory->type())};
  for (std::string_view alias : factory->aliases()) all.emplace_back(alias);
  for (const std::string& name : all) {
    if (!ComponentId::IsValidType(name)) {
      return InvalidArgumentError(std::string(KindName(kind)) + " type \"" + name +
                                  "\" is not a valid type name");
    }
    if (names.count(name)) {
      return AlreadyExistsError(std::string(KindName(kind)) + " type \"" + name +
                                "\" is registered twice");
    }
  }
  // Reject an alias that repeats its own type, too: it would shadow nothing but is a typo.
  std::vector<std::string> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return AlreadyExistsError(std::string(KindName(kind)) + " type \"" +
                              std::string(factory->type()) + "\" lists a name twice");
  }
  for (const std::string& name : all) names[name] = factory.get();
  types_[kind].emplace_back(factory->type());
  owned_.push_back(std::move(factory));
  return OkStatus();
}

Status Registry::Add(std::unique_ptr<ReceiverFactory> f) {
  return AddFactory(Kind::kReceiver, std::move(f));
}
Status Registry::Add(std::unique_ptr<ProcessorFactory> f) {
  return AddFactory(Kind::kProcessor, std::move(f));
}
Status Registry::Add(std::unique_ptr<ExporterFactory> f) {
  return AddFactory(Kind::kExporter, std::move(f));
}
Status Registry::Add(std::unique_ptr<ExtensionFactory> f) {
  return AddFactory(Kind::kExtension, std::move(f));
}

const Factory* Registry::Find(Kind kind, std::string_view name) const {
  auto k = by_name_.find(kind);
  if (k == by_name_.end()) return nullptr;
  auto it = k->second.find(name);
  return it == k->second.end() ? nullptr : it->second;
}

// The kind's Add() only ever stores that kind's factories, so these downcasts are exact.
const ReceiverFactory* Registry::FindReceiver(std::string_view t) const {
  return static_cast<const ReceiverFactory*>(Find(Kind::kReceiver, t));
}
const ProcessorFactory* Registry::FindProcessor(std::string_view t) const {
  return static_cast<const ProcessorFactory*>(Find(Kind::kProcessor, t));
}
const ExporterFactory* Registry::FindExporter(std::string_view t) const {
  return static_cast<const ExporterFactory*>(Find(Kind::kExporter, t));
}
const ExtensionFactory* Registry::FindExtension(std::string_view t) const {
  return static_cast<const ExtensionFactory*>(Find(Kind::kExtension, t));
}

std::vector<std::string> Registry::Types(Kind kind) const {
  auto it = types_.find(kind);
  if (it == types_.end()) return {};
  std::vector<std::string> out = it->second;
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Registry::Names(Kind kind) const {
  std::vector<std::string> out;
  auto it = by_name_.find(kind);
  if (it == by_name_.end()) return out;
  for (const auto& [name, f] : it->second) out.push_back(name);
  return out;
}

}  // namespace otlpd
