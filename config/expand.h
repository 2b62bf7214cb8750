// config/expand.h: `${...}` variable expansion over a loaded Node tree, as the Collector's
// confmap resolver does it with its env provider as the default scheme.
//
// On every scalar VALUE (never on map keys), left to right:
//   `${VAR}`, `${env:VAR}`   the variable's value; VAR matches [A-Za-z_][A-Za-z0-9_]*.
//   `${env:VAR:-default}`    `default` (any text up to the first `}`, taken literally) when VAR
//                            is unset; a VAR that is set but empty stays empty.
//   `$$`                     one literal `$`, wherever it appears. So `$${VAR}` is the literal
//                            text `${VAR}`, `$$$${VAR}` is `$${VAR}`, `$$${VAR}` is `$` followed
//                            by VAR's value, and a lone `$$` is `$`. This is the Collector's
//                            rule (confmap since v0.105: every `$$` in a string becomes `$`).
//   `$VAR`, a lone `$`       left as they are.
// Several expansions may share one value (`http://${HOST}:${PORT}/x`). An unset VAR with no
// default expands to "" with a warning, and its name is collected for `otlpd validate`.
// Errors, each at the scalar's location: `${` without `}`, an invalid name, any scheme but env.
//
// A value that is wholly one expansion is re-read as YAML, so `port: ${PORT}` can fill an int
// and `${LIST}` = "[a, b]" becomes a sequence (every node of it at the original scalar's
// location); a scalar result keeps the variable's exact text (a string field gets "abc #x",
// not what YAML would cut it to), and an empty result is null, so the field keeps its default.
// Text coming from the environment is never expanded again and its `$$` stays `$$`: the
// Collector re-expands it, which corrupts secrets that contain `$`; here a value is taken as is.
//
//   std::set<std::string> unset;
//   ExpandVariables(root, /*path=*/"", ProcessEnv(), errors, unset);
#pragma once

#include <set>
#include <string>

#include "config/errors.h"
#include "config/loader.h"
#include "config/node.h"

namespace otlpd::config {

// Expands every scalar value under `node` in place; `path` is `node`'s own path in messages.
// Names of unset variables (used without a default) are added to `unset_names`.
void ExpandVariables(Node& node, const std::string& path, const EnvLookup& env, Errors& errors,
                     std::set<std::string>& unset_names);

}  // namespace otlpd::config
