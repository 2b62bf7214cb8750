// Loading a config: YAML files (or embedded text) -> variable expansion -> merge -> --set.
//
// Expansion, as the Collector does it: `${VAR}` and `${env:VAR}`; `${env:VAR:-default}` (the
// default applies only when VAR is unset; a set-but-empty VAR stays empty); `$${...}` is a
// literal `${...}`, and every other `$$` is one `$` too (`$$` alone gives `$`); bare `$VAR` is
// left alone. An unset variable without a default expands to "" with a warning, and its name is
// added to `unset_variables`. A value that is wholly one expansion is re-typed by YAML (so
// `${PORT}` can fill an int, or a `[a, b]` list). Details: config/expand.h.
//
// Merge: several files apply in order; maps merge key by key, anything else (lists, scalars)
// replaces. `--set a.b.c=value` (or `a::b::c=value`, for keys that contain dots) then sets one
// value, parsed as YAML.
//
//   Errors errors;
//   LoadResult r = LoadFiles({"base.yaml", "prod.yaml"}, {"processors.batch.timeout=2s"},
//                            ProcessEnv(), errors);
//   if (!errors.empty()) { std::cerr << errors.ToString(); return 1; }
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/errors.h"
#include "config/node.h"

namespace otlpd::config {

// Looks a variable up; nullopt means unset (not the same as set to "").
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment.
EnvLookup ProcessEnv();

struct LoadResult {
  Node root;                                 // a map (empty when nothing could be read)
  std::vector<std::string> unset_variables;  // sorted, unique
};

LoadResult LoadFiles(const std::vector<std::string>& files,
                     const std::vector<std::string>& set_overrides, const EnvLookup& env,
                     Errors& errors);

// One YAML document from memory; `file_label` names it in locations ("<default>").
LoadResult LoadString(std::string_view yaml, const std::string& file_label, const EnvLookup& env,
                      Errors& errors);

// Merges `overlay` into `base` (maps key by key; anything else replaces).
void Merge(Node& base, Node overlay);

// Applies one `key.path=value` override; an error names the override.
void ApplySet(Node& root, std::string_view assignment, Errors& errors);

}  // namespace otlpd::config
