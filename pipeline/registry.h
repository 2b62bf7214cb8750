// Registry: the factories otlpd knows, by kind and type name, with aliases.
//
// Filled by ONE explicit list in cmd/otlpd/components.cc, read top to bottom (no static
// self-registration: it is silently dropped when linking static archives). Adding a factory
// whose type or alias is already taken within its kind is an error.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<OtlpHttpExporterFactory>());  // also "otlphttp"
//   const Factory* f = registry.Find(Kind::kExporter, "otlphttp");        // the otlp_http one
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/factory.h"

namespace otlpd {

class Registry {
 public:
  Status Add(std::unique_ptr<ReceiverFactory> factory);
  Status Add(std::unique_ptr<ProcessorFactory> factory);
  Status Add(std::unique_ptr<ExporterFactory> factory);
  Status Add(std::unique_ptr<ExtensionFactory> factory);

  // The factory for `type_or_alias`, or nullptr.
  const Factory* Find(Kind kind, std::string_view type_or_alias) const;
  const ReceiverFactory* FindReceiver(std::string_view type) const;
  const ProcessorFactory* FindProcessor(std::string_view type) const;
  const ExporterFactory* FindExporter(std::string_view type) const;
  const ExtensionFactory* FindExtension(std::string_view type) const;

  // Canonical type names of a kind, sorted.
  std::vector<std::string> Types(Kind kind) const;
  // Every accepted name of a kind (types and aliases), sorted: for "did you mean".
  std::vector<std::string> Names(Kind kind) const;

 private:
  Status AddFactory(Kind kind, std::unique_ptr<Factory> factory);

  std::vector<std::unique_ptr<Factory>> owned_;
  std::map<Kind, std::map<std::string, const Factory*, std::less<>>> by_name_;
  std::map<Kind, std::vector<std::string>> types_;
};

}  // namespace otlpd
