#include "pipeline/factory.h"

#include <string>

namespace otlpd {
namespace {

Status NotSupported(const Factory& f, std::string_view kind, Signal signal) {
  return UnimplementedError(std::string(kind) + " \"" + std::string(f.type()) +
                            "\" does not support " + std::string(SignalName(signal)));
}

}  // namespace

StatusOr<std::unique_ptr<TracesProcessor>> ProcessorFactory::CreateTraces(
    const CreateSettings&, const ComponentConfig&, TracesConsumer&) const {
  return NotSupported(*this, "processor", Signal::kTraces);
}
StatusOr<std::unique_ptr<MetricsProcessor>> ProcessorFactory::CreateMetrics(
    const CreateSettings&, const ComponentConfig&, MetricsConsumer&) const {
  return NotSupported(*this, "processor", Signal::kMetrics);
}
StatusOr<std::unique_ptr<LogsProcessor>> ProcessorFactory::CreateLogs(const CreateSettings&,
                                                                      const ComponentConfig&,
                                                                      LogsConsumer&) const {
  return NotSupported(*this, "processor", Signal::kLogs);
}
StatusOr<std::unique_ptr<TracesExporter>> ExporterFactory::CreateTraces(
    const CreateSettings&, const ComponentConfig&) const {
  return NotSupported(*this, "exporter", Signal::kTraces);
}
StatusOr<std::unique_ptr<MetricsExporter>> ExporterFactory::CreateMetrics(
    const CreateSettings&, const ComponentConfig&) const {
  return NotSupported(*this, "exporter", Signal::kMetrics);
}
StatusOr<std::unique_ptr<LogsExporter>> ExporterFactory::CreateLogs(const CreateSettings&,
                                                                    const ComponentConfig&) const {
  return NotSupported(*this, "exporter", Signal::kLogs);
}

}  // namespace otlpd
