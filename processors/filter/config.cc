#include "processors/filter/config.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "processors/filter/ottl/parser.h"

namespace otlpd::processor::filter {
namespace {

using ottl::Family;
using ottl::Level;

std::optional<ErrorMode> ParseErrorMode(std::string_view text) {
  if (text == "ignore") return ErrorMode::kIgnore;
  if (text == "silent") return ErrorMode::kSilent;
  if (text == "propagate") return ErrorMode::kPropagate;
  return std::nullopt;
}

// Parses one condition scalar and files it under its context. `context` is the context of a
// context list (or of an explicit `context:`), nullopt to infer it from the path prefixes.
void AddCondition(const config::Node& item, size_t index, const std::string& path, Family family,
                  std::optional<Level> context, ErrorMode mode, config::Errors& errors,
                  SignalConditions* out) {
  // The list index goes into the path (`traces::span[1]`), as for every other list item; the
  // message then gives the column inside the condition text.
  const std::string item_path = path + "[" + std::to_string(index) + "]";
  if (!item.IsScalar()) {
    errors.Add(item.location(), item_path,
               "expected a condition string, got " +
                   (item.IsNull() ? std::string("null") : "a " + std::string(item.KindName())));
    return;
  }
  ottl::ParseResult parsed = ottl::Parse(item.scalar(), {.family = family, .context = context});
  if (!parsed.ok()) {
    errors.Add(item.location(), item_path, parsed.error.ToString());
    return;
  }
  const Level level = parsed.condition->context;
  out->group(level).Add(std::move(parsed.condition), mode);
}

// A list of condition strings, all in one context (`traces: {span: [...]}`).
void DecodeContextList(config::MapReader& reader, std::string_view key, Family family,
                       Level level, ErrorMode mode, SignalConditions* out) {
  const config::Node* list = reader.Raw(key);
  if (list == nullptr || list->IsNull()) return;
  if (!list->IsSequence()) {
    reader.Error(key, "expected a list of conditions, got a " + std::string(list->KindName()));
    return;
  }
  const std::string path = reader.PathOf(key);
  for (size_t i = 0; i < list->items().size(); ++i) {
    AddCondition(list->items()[i], i, path, family, level, mode, reader.errors(), out);
  }
}

// Accepted values of an explicit `context:` in the flat lists, per signal.
std::optional<Level> ContextByName(Family family, std::string_view name) {
  if (name == "instrumentation_scope") name = "scope";
  for (Level l : ottl::FamilyLevels(family)) {
    if (ottl::LevelName(l) == name) return l;
  }
  return std::nullopt;
}

// `trace_conditions: [...]`: strings whose paths name their context, or groups
// `{context: span, conditions: [...], error_mode: propagate}`.
void DecodeFlatList(config::MapReader& reader, std::string_view key, Family family,
                    ErrorMode mode, SignalConditions* out) {
  const config::Node* list = reader.Raw(key);
  if (list == nullptr || list->IsNull()) return;
  if (!list->IsSequence()) {
    reader.Error(key, "expected a list of conditions, got a " + std::string(list->KindName()));
    return;
  }
  const std::string path = reader.PathOf(key);
  for (size_t i = 0; i < list->items().size(); ++i) {
    const config::Node& item = list->items()[i];
    if (!item.IsMap()) {
      AddCondition(item, i, path, family, std::nullopt, mode, reader.errors(), out);
      continue;
    }
    config::MapReader group(item, path + "[" + std::to_string(i) + "]", reader.errors());
    std::optional<Level> context;
    std::string context_name;
    if (group.String("context", &context_name)) {
      context = ContextByName(family, context_name);
      if (!context) {
        std::string valid;
        for (Level l : ottl::FamilyLevels(family)) {
          valid += (valid.empty() ? "" : ", ") + std::string(ottl::LevelName(l));
        }
        group.Error("context", "unknown context \"" + context_name + "\"; valid: " + valid);
      }
    }
    ErrorMode group_mode = mode;
    std::string mode_name;
    if (group.Enum("error_mode", &mode_name, {"ignore", "silent", "propagate"})) {
      group_mode = *ParseErrorMode(mode_name);
    }
    const config::Node* conditions = group.Raw("conditions");
    if (conditions == nullptr || conditions->IsNull()) {
      group.ErrorHere("missing required key \"conditions\"");
    } else if (!conditions->IsSequence()) {
      group.Error("conditions", "expected a list of conditions, got a " +
                                    std::string(conditions->KindName()));
    } else if (context || context_name.empty()) {
      for (size_t j = 0; j < conditions->items().size(); ++j) {
        AddCondition(conditions->items()[j], j, group.PathOf("conditions"), family, context,
                     group_mode, reader.errors(), out);
      }
    }
    group.Finish();
  }
}

std::shared_ptr<const SignalConditions> Finish(std::unique_ptr<SignalConditions> conditions) {
  if (conditions->empty()) return nullptr;
  conditions->Compile();
  return std::shared_ptr<const SignalConditions>(std::move(conditions));
}

struct SignalKeys {
  Family family;
  std::string_view section;    // traces
  std::string_view flat;       // trace_conditions
  std::vector<std::pair<std::string_view, Level>> lists;  // span -> kSpan, ...
};

std::shared_ptr<const SignalConditions> DecodeSignal(config::MapReader& reader,
                                                     const SignalKeys& keys, ErrorMode mode) {
  auto conditions = std::make_unique<SignalConditions>();
  const bool has_section = reader.Has(keys.section);
  if (auto section = reader.Child(keys.section)) {
    for (const auto& [key, level] : keys.lists) {
      DecodeContextList(*section, key, keys.family, level, mode, conditions.get());
    }
    section->Finish();
  }
  if (reader.Has(keys.flat)) {
    if (has_section) {
      reader.Error(keys.flat, "cannot be combined with \"" + std::string(keys.section) +
                                  "\": write every condition in one style");
    }
    DecodeFlatList(reader, keys.flat, keys.family, mode, conditions.get());
  } else {
    reader.Raw(keys.flat);  // known key, absent
  }
  return Finish(std::move(conditions));
}

}  // namespace

void DecodeFilterConfig(config::MapReader& reader, FilterConfig* cfg) {
  // error_mode first: it is the default of every condition decoded below.
  std::string mode;
  if (reader.Enum("error_mode", &mode, {"ignore", "silent", "propagate"})) {
    cfg->error_mode = *ParseErrorMode(mode);
  }
  cfg->traces = DecodeSignal(reader,
                             {Family::kTraces, "traces", "trace_conditions",
                              {{"span", Level::kSpan}, {"spanevent", Level::kSpanEvent}}},
                             cfg->error_mode);
  cfg->metrics = DecodeSignal(reader,
                              {Family::kMetrics, "metrics", "metric_conditions",
                               {{"metric", Level::kMetric}, {"datapoint", Level::kDataPoint}}},
                              cfg->error_mode);
  cfg->logs = DecodeSignal(reader,
                           {Family::kLogs, "logs", "log_conditions", {{"log_record", Level::kLog}}},
                           cfg->error_mode);
}

}  // namespace otlpd::processor::filter
