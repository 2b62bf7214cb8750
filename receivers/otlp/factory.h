// The factory of the `otlp` receiver (all three signals), registered in cmd/otlpd/components.cc.
//
//   registry.Add(std::make_unique<receiver::otlp::OtlpReceiverFactory>());
//   auto cfg = factory.CreateDefaultConfig();          // no protocol yet
//   factory.DecodeConfig(reader, *cfg);                // protocols: {grpc: ..., http: ...}
//   StatusOr<std::unique_ptr<Receiver>> r = factory.Create(settings, *cfg, consumers);
#pragma once

#include <memory>
#include <string_view>

#include "pipeline/factory.h"

namespace otlpd::receiver::otlp {

class OtlpReceiverFactory final : public ReceiverFactory {
 public:
  std::string_view type() const override { return "otlp"; }
  // Neither protocol: like the Collector, `otlp:` alone is an error, and the YAML decides
  // which protocols run (a present key, even empty, turns one on).
  std::unique_ptr<ComponentConfig> CreateDefaultConfig() const override;
  void DecodeConfig(config::MapReader& reader, ComponentConfig& cfg) const override;
  bool Supports(Signal) const override { return true; }
  // An OtlpReceiver. INVALID_ARGUMENT when `cfg` is not an OtlpReceiverConfig.
  StatusOr<std::unique_ptr<Receiver>> Create(const CreateSettings& settings,
                                             const ComponentConfig& cfg,
                                             ReceiverConsumers next) const override;
};

}  // namespace otlpd::receiver::otlp
