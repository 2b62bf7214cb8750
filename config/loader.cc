#include "config/loader.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <utility>

#include "config/expand.h"
#include "config/yaml_parser.h"

namespace otlpd::config {
namespace {

const char kSetFile[] = "--set";

// Built by appending: GCC 12 raises a false -Wrestrict on `"\"" + std::string(s)`.
std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out.append(s);
  out += '"';
  return out;
}

// Parses, checks the root and expands one document; returns a map (empty on failure).
Node LoadDocument(std::string_view yaml, const std::string& file_label, const EnvLookup& env,
                  Errors& errors, std::set<std::string>& unset) {
  YamlPlacement placement;
  placement.file = file_label;
  std::optional<Node> parsed = ParseYaml(yaml, placement, errors);
  if (!parsed) return Node::Map(Location{file_label, 0, 0});
  if (parsed->IsNull()) return Node::Map(parsed->location());
  if (!parsed->IsMap()) {
    errors.Add(parsed->location(), "",
               "yaml: the top level must be a map, got a " + std::string(parsed->KindName()));
    return Node::Map(parsed->location());
  }
  ExpandVariables(*parsed, "", env, errors, unset);
  return std::move(*parsed);
}

// The whole file, or why it could not be read. stdio rather than iostreams: it keeps errno, and
// reading a directory fails (EISDIR) instead of yielding an empty config.
std::optional<std::string> ReadFile(const std::string& file, std::string& out) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return std::string(std::strerror(errno));
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) return std::string(std::strerror(err));
  return std::nullopt;
}

std::vector<std::string> Sorted(const std::set<std::string>& names) {
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

LoadResult LoadString(std::string_view yaml, const std::string& file_label, const EnvLookup& env,
                      Errors& errors) {
  std::set<std::string> unset;
  LoadResult result;
  result.root = LoadDocument(yaml, file_label, env, errors, unset);
  result.unset_variables = Sorted(unset);
  return result;
}

LoadResult LoadFiles(const std::vector<std::string>& files,
                     const std::vector<std::string>& set_overrides, const EnvLookup& env,
                     Errors& errors) {
  std::set<std::string> unset;
  LoadResult result;
  result.root = Node::Map(Location{files.empty() ? std::string() : files.front(), 0, 0});
  for (const std::string& file : files) {
    std::string text;
    if (std::optional<std::string> failure = ReadFile(file, text)) {
      errors.Add(Location{file, 0, 0}, "", "cannot read config file: " + *failure);
      continue;
    }
    Merge(result.root, LoadDocument(text, file, env, errors, unset));
  }
  // An override is a small document of its own: expanded like a file (the Collector expands
  // `--set` values too), then merged last so that it wins.
  for (const std::string& assignment : set_overrides) {
    Node overlay = Node::Map(Location{kSetFile, 1, 1});
    ApplySet(overlay, assignment, errors);
    ExpandVariables(overlay, "", env, errors, unset);
    Merge(result.root, std::move(overlay));
  }
  result.unset_variables = Sorted(unset);
  return result;
}

void Merge(Node& base, Node overlay) {
  if (!base.IsMap() || !overlay.IsMap()) {
    base = std::move(overlay);
    return;
  }
  for (MapEntry& entry : overlay.mutable_entries()) {
    Node* existing = base.FindMutable(entry.key);
    if (existing != nullptr && existing->IsMap() && entry.value.IsMap()) {
      // The key keeps its first place and location; only its contents merge.
      Merge(*existing, std::move(entry.value));
    } else {
      base.Set(std::move(entry.key), std::move(entry.key_location), std::move(entry.value));
    }
  }
}

void ApplySet(Node& root, std::string_view assignment, Errors& errors) {
  const Location start{kSetFile, 1, 1};
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    errors.Add(start, "", "invalid --set " + Quote(assignment) + ": expected key=value");
    return;
  }
  const std::string_view key = assignment.substr(0, eq);
  const std::string_view value = assignment.substr(eq + 1);
  // `::` lets a key contain dots (`exporters::otlp_http::headers::x.api.key=...`), as the
  // Collector's --set does.
  const std::string_view sep = key.find("::") != std::string_view::npos ? "::" : ".";

  std::vector<std::pair<std::string, Location>> segments;
  std::string path;
  size_t pos = 0;
  while (true) {
    size_t end = key.find(sep, pos);
    std::string_view segment = key.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (segment.empty()) {
      errors.Add(start, "",
                 "invalid --set " + Quote(assignment) +
                     (key.empty() ? ": empty key" : ": empty key segment"));
      return;
    }
    segments.emplace_back(std::string(segment),
                          Location{kSetFile, 1, static_cast<int>(pos) + 1});
    path += (path.empty() ? "" : "::") + std::string(segment);
    if (end == std::string_view::npos) break;
    pos = end + sep.size();
  }

  YamlPlacement placement;
  placement.file = kSetFile;
  placement.first_column = static_cast<int>(eq) + 2;
  placement.path = path;
  std::optional<Node> parsed = ParseYaml(value, placement, errors);
  if (!parsed) return;
  if (parsed->IsNull()) parsed->set_location(Location{kSetFile, 1, placement.first_column});

  // Build the override as a nested map and merge it, so that `--set a.b={c: 1}` merges into an
  // existing `a.b` like a later config file would.
  Node overlay = std::move(*parsed);
  for (size_t i = segments.size(); i-- > 0;) {
    Node map = Node::Map(segments[i].second);
    map.Set(segments[i].first, segments[i].second, std::move(overlay));
    overlay = std::move(map);
  }
  Merge(root, std::move(overlay));
}

}  // namespace otlpd::config
