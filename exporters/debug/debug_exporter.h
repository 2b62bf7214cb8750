// DebugExporter<B>: the debug exporter (YAML type "debug"). Writes what it receives to the
// component's logger at info level: one summary line per batch, followed at verbosity normal or
// detailed by the text of text_format.h. Sampled per second (sampling_initial, then every
// sampling_thereafter-th batch) so that heavy traffic does not drown the log.
//
//   exporter::debug::Config cfg;
//   cfg.verbosity = exporter::debug::Verbosity::kDetailed;
//   DebugExporter<TracesBatch> debug(settings, cfg);
//   Status s = debug.Consume(std::move(batch));   // always OK: the data is written, then dropped
#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "exporters/debug/config.h"
#include "exporters/debug/sampler.h"
#include "pipeline/component.h"
#include "pipeline/factory.h"

namespace otlpd::exporter::debug {

template <class B>
class DebugExporter final : public Exporter<B> {
 public:
  DebugExporter(const CreateSettings& settings, const Config& cfg);

  // Formats and logs on the calling thread; there is no queue, so nothing is held on Shutdown.
  Status Consume(B batch) override;
  // Flushes the logger so that the last batches are visible before the process ends.
  Status Shutdown(Deadline deadline) override;

 private:
  const Verbosity verbosity_;
  std::shared_ptr<spdlog::logger> logger_;
  BatchSampler sampler_;
};

extern template class DebugExporter<TracesBatch>;
extern template class DebugExporter<MetricsBatch>;
extern template class DebugExporter<LogsBatch>;

}  // namespace otlpd::exporter::debug
