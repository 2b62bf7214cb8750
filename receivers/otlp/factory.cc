#include "receivers/otlp/factory.h"

#include "receivers/otlp/config.h"
#include "receivers/otlp/otlp_receiver.h"

namespace otlpd::receiver::otlp {

std::unique_ptr<ComponentConfig> OtlpReceiverFactory::CreateDefaultConfig() const {
  return std::make_unique<OtlpReceiverConfig>();
}

void OtlpReceiverFactory::DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const {
  DecodeOtlpReceiverConfig(reader, static_cast<OtlpReceiverConfig&>(cfg));
}

StatusOr<std::unique_ptr<Receiver>> OtlpReceiverFactory::Create(const CreateSettings& settings,
                                                                const ComponentConfig& cfg,
                                                                ReceiverConsumers next) const {
  const auto* otlp_cfg = dynamic_cast<const OtlpReceiverConfig*>(&cfg);
  if (otlp_cfg == nullptr) return InvalidArgumentError("otlp receiver: wrong config type");
  return std::unique_ptr<Receiver>(std::make_unique<OtlpReceiver>(settings, *otlp_cfg, next));
}

}  // namespace otlpd::receiver::otlp
