// The factory of the file_storage extension: YAML type "file_storage". Register it once in
// cmd/otlpd/components.cc.
//
//   Registry registry;
//   Status s = registry.Add(std::make_unique<extension::file_storage::FileStorageFactory>());
//   // extensions: { file_storage: { directory: /var/lib/otelcol/file_storage } }
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/factory.h"

namespace otlpd::extension::file_storage {

class FileStorageFactory final : public ExtensionFactory {
 public:
  std::string_view type() const override { return "file_storage"; }
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  StatusOr<std::unique_ptr<Extension>> Create(const CreateSettings& settings,
                                              const ComponentConfig& cfg) const override;
};

}  // namespace otlpd::extension::file_storage
