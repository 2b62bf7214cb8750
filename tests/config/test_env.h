// tests/config/test_env.h: an EnvLookup over a fixed map, so that expansion tests never touch
// the process environment, plus a loader shortcut for YAML written inline in a test.
//
//   LoadResult r = LoadText("port: ${PORT}\n", {{"PORT", "4317"}}, errors);
//   r.root.Find("port")->scalar();   // "4317"
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/errors.h"
#include "config/loader.h"

namespace otlpd::config::testing {

inline EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Loads `yaml` as the file "c.yaml".
inline LoadResult LoadText(std::string_view yaml, std::map<std::string, std::string> vars,
                           Errors& errors) {
  return LoadString(yaml, "c.yaml", FakeEnv(std::move(vars)), errors);
}

}  // namespace otlpd::config::testing
