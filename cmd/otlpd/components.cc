#include "cmd/otlpd/components.h"

#include "exporters/debug/factory.h"
#include "exporters/otlp_grpc/factory.h"
#include "exporters/otlp_http/factory.h"
#include "extensions/file_storage/factory.h"
#include "extensions/health_check/factory.h"
#include "extensions/oauth2client/factory.h"
#include "processors/attributes/factory.h"
#include "processors/batch/factory.h"
#include "processors/filter/factory.h"
#include "processors/memory_limiter/factory.h"
#include "processors/resource/factory.h"
#include "receivers/otlp/factory.h"

namespace otlpd {

Status RegisterComponents(Registry& registry) {
  // Read top to bottom: extensions, receivers, processors, exporters. A failure here is a
  // programming error (two factories claiming one name), reported at startup.
  for (Status s : {
           registry.Add(std::make_unique<extension::file_storage::FileStorageFactory>()),
           registry.Add(std::make_unique<extension::health_check::HealthCheckFactory>()),
           registry.Add(std::make_unique<extension::oauth2client::Oauth2ClientFactory>()),

           registry.Add(std::make_unique<receiver::otlp::OtlpReceiverFactory>()),

           registry.Add(std::make_unique<processor::attributes::AttributesProcessorFactory>()),
           registry.Add(std::make_unique<processor::batch::BatchProcessorFactory>()),
           registry.Add(std::make_unique<processor::filter::FilterProcessorFactory>()),
           registry.Add(std::make_unique<processor::memory_limiter::MemoryLimiterProcessorFactory>()),
           registry.Add(std::make_unique<processor::resource::ResourceProcessorFactory>()),

           registry.Add(std::make_unique<exporter::debug::DebugExporterFactory>()),
           registry.Add(std::make_unique<exporter::otlp_grpc::OtlpGrpcExporterFactory>()),
           registry.Add(std::make_unique<exporter::otlp_http::OtlpHttpExporterFactory>()),
       }) {
    if (!s.ok()) return s;
  }
  return OkStatus();
}

}  // namespace otlpd
