#include "extensions/file_storage/factory.h"

#include "extensions/file_storage/config.h"
#include "extensions/file_storage/file_storage_extension.h"

namespace otlpd::extension::file_storage {

std::unique_ptr<ComponentConfig> FileStorageFactory::CreateDefaultConfig() const {
  return std::make_unique<Config>();
}

void FileStorageFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  file_storage::DecodeConfig(reader, static_cast<Config&>(cfg));
}

StatusOr<std::unique_ptr<Extension>> FileStorageFactory::Create(const CreateSettings& settings,
                                                                const ComponentConfig& cfg) const {
  return std::unique_ptr<Extension>(
      std::make_unique<FileStorageExtension>(settings, static_cast<const Config&>(cfg)));
}

}  // namespace otlpd::extension::file_storage
