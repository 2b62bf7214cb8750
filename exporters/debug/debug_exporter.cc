#include "exporters/debug/debug_exporter.h"

#include <string>

#include "exporters/debug/text_format.h"
#include "pipeline/logging.h"

namespace otlpd::exporter::debug {

template <class B>
DebugExporter<B>::DebugExporter(const CreateSettings& settings, const Config& cfg)
    : verbosity_(cfg.verbosity),
      logger_(settings.logger ? settings.logger
                              : GetLogger("exporter/" + settings.id.ToString())),
      sampler_(settings.clock != nullptr ? *settings.clock : RealClock::Get(),
               cfg.sampling_initial, cfg.sampling_thereafter) {}

template <class B>
Status DebugExporter<B>::Consume(B batch) {
  if (!sampler_.Sample()) return OkStatus();
  logger_->info("{}", SummaryLine(batch.request()));
  // Formatting is skipped when info is filtered out: the detailed text of a large batch costs
  // far more than the check.
  if (verbosity_ != Verbosity::kBasic && logger_->should_log(spdlog::level::info)) {
    std::string text = FormatItems(batch.request(), verbosity_);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty()) logger_->info("{}", text);
  }
  return OkStatus();
}

template <class B>
Status DebugExporter<B>::Shutdown(Deadline deadline) {
  (void)deadline;
  logger_->flush();
  return OkStatus();
}

template class DebugExporter<TracesBatch>;
template class DebugExporter<MetricsBatch>;
template class DebugExporter<LogsBatch>;

}  // namespace otlpd::exporter::debug
