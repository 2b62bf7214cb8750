// libFuzzer target for the filter processor's OTTL conditions (processors/filter/ottl/): the
// lexer and parser on arbitrary text, then evaluation of whatever parses against one fixed item
// of each signal (a span with an event, a sum data point, a log record), with nested maps and
// lists in their attributes so that `[...]` paths and Len / IsMap / IsList have something to
// walk.
//
// Input layout: byte 0 picks the family (traces, metrics, logs) and the context (one of the
// family's levels, or none: the flat `*_conditions` style, where the paths name it); the rest is
// the condition text. Properties checked besides "no crash, no leak, no UB, no hang":
//   - a parse error names a column inside the text (1 .. length + 1);
//   - evaluation that reports an error answers false;
//   - evaluating twice gives the same answer (conditions are immutable).
//
//   build-fuzz/tests/fuzz/ottl_fuzzer -dict=tests/fuzz/ottl.dict -max_total_time=60 \
//     tests/fuzz/corpus/ottl
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "processors/filter/ottl/evaluator.h"
#include "processors/filter/ottl/parser.h"
#include "processors/filter/ottl/paths.h"

namespace {

namespace ottl = otlpd::processor::filter::ottl;
namespace common = opentelemetry::proto::common::v1;

void AddString(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs, const char* key,
               const char* value) {
  common::KeyValue* kv = attrs->Add();
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

// Attributes of every kind a path can meet: scalars, a list with a map inside, a map with a
// list inside.
void AddAttributes(google::protobuf::RepeatedPtrField<common::KeyValue>* attrs) {
  AddString(attrs, "http.method", "GET");
  AddString(attrs, "http.route", "/health");
  common::KeyValue* n = attrs->Add();
  n->set_key("retries");
  n->mutable_value()->set_int_value(3);
  common::KeyValue* d = attrs->Add();
  d->set_key("ratio");
  d->mutable_value()->set_double_value(0.25);
  common::KeyValue* b = attrs->Add();
  b->set_key("sampled");
  b->mutable_value()->set_bool_value(true);
  common::KeyValue* raw = attrs->Add();
  raw->set_key("raw");
  raw->mutable_value()->set_bytes_value(std::string("\x00\x01\xff", 3));
  common::KeyValue* list = attrs->Add();
  list->set_key("list");
  common::ArrayValue* array = list->mutable_value()->mutable_array_value();
  array->add_values()->set_string_value("a");
  array->add_values()->set_int_value(-7);
  AddString(array->add_values()->mutable_kvlist_value()->mutable_values(), "inner", "x");
  common::KeyValue* map = attrs->Add();
  map->set_key("map");
  common::KeyValueList* kvlist = map->mutable_value()->mutable_kvlist_value();
  AddString(kvlist->mutable_values(), "k", "v");
  common::KeyValue* nested = kvlist->add_values();
  nested->set_key("nested");
  nested->mutable_value()->mutable_array_value()->add_values()->set_double_value(1.5);
}

struct Fixture {
  opentelemetry::proto::resource::v1::Resource resource;
  common::InstrumentationScope scope;
  opentelemetry::proto::trace::v1::Span span;
  opentelemetry::proto::metrics::v1::Metric metric;
  opentelemetry::proto::logs::v1::LogRecord log;
  ottl::EvalContext ctx;

  Fixture() {
    AddString(resource.mutable_attributes(), "service.name", "checkout");
    AddAttributes(resource.mutable_attributes());
    scope.set_name("io.opentelemetry.http");
    scope.set_version("1.2.3");
    span.set_name("GET /health");
    span.set_trace_id(std::string(16, '\x5a'));
    span.set_span_id(std::string(8, '\x0b'));
    span.set_parent_span_id(std::string(8, '\x0c'));
    span.set_kind(opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
    span.set_start_time_unix_nano(1'700'000'000'000'000'000);
    span.set_end_time_unix_nano(1'700'000'000'500'000'000);
    span.mutable_status()->set_code(opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
    span.mutable_status()->set_message("boom");
    AddAttributes(span.mutable_attributes());
    opentelemetry::proto::trace::v1::Span::Event* event = span.add_events();
    event->set_name("exception");
    event->set_time_unix_nano(1'700'000'000'100'000'000);
    AddAttributes(event->mutable_attributes());
    metric.set_name("http.server.duration");
    metric.set_unit("ms");
    metric.set_description("time spent");
    auto* sum = metric.mutable_sum();
    sum->set_is_monotonic(true);
    sum->set_aggregation_temporality(
        opentelemetry::proto::metrics::v1::AGGREGATION_TEMPORALITY_CUMULATIVE);
    auto* point = sum->add_data_points();
    point->set_as_double(12.5);
    point->set_time_unix_nano(1'700'000'000'000'000'000);
    AddAttributes(point->mutable_attributes());
    log.set_severity_number(opentelemetry::proto::logs::v1::SEVERITY_NUMBER_WARN);
    log.set_severity_text("WARN");
    log.set_trace_id(std::string(16, '\x5a'));
    AddAttributes(log.mutable_body()->mutable_kvlist_value()->mutable_values());
    AddAttributes(log.mutable_attributes());

    // Every level at once: a condition only reads the levels its context can see.
    ctx.resource = &resource;
    ctx.scope = &scope;
    ctx.span = &span;
    ctx.event = &span.events(0);
    ctx.metric = &metric;
    ctx.point.number = &metric.sum().data_points(0);
    ctx.log = &log;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const Fixture* const fixture = new Fixture();
  constexpr ottl::Family kFamilies[] = {ottl::Family::kTraces, ottl::Family::kMetrics,
                                        ottl::Family::kLogs};
  const ottl::Family family = kFamilies[data[0] % 3];
  const std::vector<ottl::Level>& levels = ottl::FamilyLevels(family);
  const size_t choice = (data[0] / 3) % (levels.size() + 1);
  ottl::ParseOptions options{.family = family, .context = std::nullopt};
  if (choice < levels.size()) options.context = levels[choice];

  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const ottl::ParseResult parsed = ottl::Parse(text, options);
  if (!parsed.ok()) {
    if (parsed.error.column < 1 || static_cast<size_t>(parsed.error.column) > text.size() + 1) {
      std::abort();
    }
    return 0;
  }
  std::string error;
  const bool first = ottl::Evaluate(*parsed.condition, fixture->ctx, &error);
  if (!error.empty() && first) std::abort();
  std::string error_again;
  const bool second = ottl::Evaluate(*parsed.condition, fixture->ctx, &error_again);
  if (second != first || error_again != error) std::abort();
  return 0;
}
