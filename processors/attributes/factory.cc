#include "processors/attributes/factory.h"

#include "processors/attributes/attributes_processor.h"
#include "processors/attributes/config.h"

namespace otlpd::processor::attributes {
namespace {

// The config for `signal`, or why the processor cannot be made for it.
StatusOr<const AttributesConfig*> ConfigFor(const CreateSettings& settings,
                                            const ComponentConfig& cfg, Signal signal) {
  const auto* c = dynamic_cast<const AttributesConfig*>(&cfg);
  if (c == nullptr) return InternalError("attributes: config was not made by its factory");
  for (const auto* props : {c->include ? &*c->include : nullptr,
                            c->exclude ? &*c->exclude : nullptr}) {
    if (props == nullptr) continue;
    std::vector<std::string> bad = props->PropertiesNotFor(signal);
    if (!bad.empty()) {
      std::string list;
      for (const auto& b : bad) list += (list.empty() ? "" : ", ") + b;
      return InvalidArgumentError(settings.id.ToString() + ": " + list + " cannot select " +
                                  std::string(SignalName(signal)) + " items");
    }
  }
  return c;
}

}  // namespace

std::unique_ptr<ComponentConfig> AttributesProcessorFactory::CreateDefaultConfig() const {
  return std::make_unique<AttributesConfig>();
}

void AttributesProcessorFactory::DecodeConfig(config::MapReader& reader,
                                              ComponentConfig& cfg) const {
  auto* c = dynamic_cast<AttributesConfig*>(&cfg);
  if (c == nullptr) {
    reader.ErrorHere("internal error: config was not made by the attributes factory");
    return;
  }
  DecodeAttributesConfig(reader, c);
}

StatusOr<std::unique_ptr<TracesProcessor>> AttributesProcessorFactory::CreateTraces(
    const CreateSettings& settings, const ComponentConfig& cfg, TracesConsumer& next) const {
  auto c = ConfigFor(settings, cfg, Signal::kTraces);
  if (!c.ok()) return c.status();
  return std::unique_ptr<TracesProcessor>(std::make_unique<AttributesTracesProcessor>(**c, next));
}

StatusOr<std::unique_ptr<MetricsProcessor>> AttributesProcessorFactory::CreateMetrics(
    const CreateSettings& settings, const ComponentConfig& cfg, MetricsConsumer& next) const {
  auto c = ConfigFor(settings, cfg, Signal::kMetrics);
  if (!c.ok()) return c.status();
  return std::unique_ptr<MetricsProcessor>(std::make_unique<AttributesMetricsProcessor>(**c, next));
}

StatusOr<std::unique_ptr<LogsProcessor>> AttributesProcessorFactory::CreateLogs(
    const CreateSettings& settings, const ComponentConfig& cfg, LogsConsumer& next) const {
  auto c = ConfigFor(settings, cfg, Signal::kLogs);
  if (!c.ok()) return c.status();
  return std::unique_ptr<LogsProcessor>(std::make_unique<AttributesLogsProcessor>(**c, next));
}

}  // namespace otlpd::processor::attributes
