#include "processors/resource/resource_processor.h"

namespace otlpd::processor::resource {

template <>
void ResourceProcessor<TracesBatch>::ApplyToResources(TracesBatch& batch) const {
  const ClientMetadata& metadata = batch.metadata();
  for (auto& rs : *batch.mutable_request().mutable_resource_spans()) {
    actions_.Apply(rs.mutable_resource()->mutable_attributes(), metadata);
  }
}

template <>
void ResourceProcessor<MetricsBatch>::ApplyToResources(MetricsBatch& batch) const {
  const ClientMetadata& metadata = batch.metadata();
  for (auto& rm : *batch.mutable_request().mutable_resource_metrics()) {
    actions_.Apply(rm.mutable_resource()->mutable_attributes(), metadata);
  }
}

template <>
void ResourceProcessor<LogsBatch>::ApplyToResources(LogsBatch& batch) const {
  const ClientMetadata& metadata = batch.metadata();
  for (auto& rl : *batch.mutable_request().mutable_resource_logs()) {
    actions_.Apply(rl.mutable_resource()->mutable_attributes(), metadata);
  }
}

}  // namespace otlpd::processor::resource
