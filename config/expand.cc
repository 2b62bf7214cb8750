#include "config/expand.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "config/yaml_parser.h"

namespace otlpd::config {
namespace {

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  for (char c : name) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Built by appending: GCC 12 raises a false -Wrestrict on `"\"" + std::string(s)`.
std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out.append(s);
  out += '"';
  return out;
}

class Expander {
 public:
  Expander(const EnvLookup& env, Errors& errors, std::set<std::string>& unset)
      : env_(env), errors_(errors), unset_(unset) {}

  void Walk(Node& node, const std::string& path) {
    switch (node.kind()) {
      case Node::Kind::kScalar:
        ExpandScalar(node, path);
        break;
      case Node::Kind::kSequence: {
        std::vector<Node>& items = node.mutable_items();
        for (size_t i = 0; i < items.size(); ++i) {
          Walk(items[i], path + "[" + std::to_string(i) + "]");
        }
        break;
      }
      case Node::Kind::kMap:
        for (MapEntry& e : node.mutable_entries()) {
          Walk(e.value, path.empty() ? e.key : path + "::" + e.key);
        }
        break;
      case Node::Kind::kNull:
        break;
    }
  }

 private:
  // The value of one reference; `inner` is the text between `${` and `}`.
  std::optional<std::string> Resolve(std::string_view inner, const Node& node,
                                     const std::string& path) {
    const std::string ref = "${" + std::string(inner) + "}";
    std::string_view name = inner;
    std::optional<std::string_view> fallback;
    if (size_t colon = inner.find(':'); colon != std::string_view::npos) {
      std::string_view scheme = inner.substr(0, colon);
      std::string_view rest = inner.substr(colon + 1);
      if (scheme != "env") {
        if (IsValidName(scheme) && !rest.empty() && rest[0] == '-') {
          // Shell habit: `${VAR:-x}`. The Collector reads VAR as a scheme and fails; say how
          // to write it instead.
          errors_.Add(node.location(), path,
                      "unsupported reference " + Quote(ref) + " (write \"${env:" +
                          std::string(scheme) + ":" + std::string(rest) + "}\")");
        } else if (scheme.empty()) {
          errors_.Add(node.location(), path, "invalid variable name \"\" in " + Quote(ref));
        } else {
          errors_.Add(node.location(), path,
                      "unsupported scheme " + Quote(scheme) + " in " + Quote(ref) +
                          " (only env is supported)");
        }
        return std::nullopt;
      }
      name = rest;
      if (size_t dash = rest.find(":-"); dash != std::string_view::npos) {
        name = rest.substr(0, dash);
        fallback = rest.substr(dash + 2);
      }
    }
    if (!IsValidName(name)) {
      errors_.Add(node.location(), path,
                  "invalid variable name " + Quote(name) + " in " + Quote(ref));
      return std::nullopt;
    }
    if (std::optional<std::string> value = env_(std::string(name))) return value;
    if (fallback) return std::string(*fallback);
    errors_.Warn(node.location(), path,
                 "variable " + Quote(name) + " is not set; using an empty value");
    unset_.insert(std::string(name));
    return std::string();
  }

  void ExpandScalar(Node& node, const std::string& path) {
    const std::string& in = node.scalar();
    if (in.find('$') == std::string::npos) return;
    std::string out;
    out.reserve(in.size());
    bool whole = false;
    size_t i = 0;
    while (i < in.size()) {
      const char c = in[i];
      const char next = i + 1 < in.size() ? in[i + 1] : '\0';
      if (c == '$' && next == '$') {
        out += '$';
        i += 2;
      } else if (c == '$' && next == '{') {
        size_t close = in.find('}', i + 2);
        if (close == std::string::npos) {
          errors_.Add(node.location(), path, "unterminated \"${\" in " + Quote(in));
          return;
        }
        std::optional<std::string> value =
            Resolve(std::string_view(in).substr(i + 2, close - i - 2), node, path);
        if (!value) return;  // the error is recorded; leave the text as written
        whole = i == 0 && close == in.size() - 1;
        out += *value;
        i = close + 1;
      } else {
        out += c;
        ++i;
      }
    }
    if (whole) {
      Retype(node, path, std::move(out));
    } else {
      node = Node::Scalar(std::move(out), node.location(), node.style());
    }
  }

  // A value that is wholly one expansion takes the type YAML gives its text.
  void Retype(Node& node, const std::string& path, std::string text) {
    const Location location = node.location();
    Errors scratch;  // text that is not valid YAML is simply a string
    YamlPlacement placement;
    placement.file = location.file;
    placement.fixed = location;
    placement.path = path;
    placement.node_budget = &retype_budget_;
    std::optional<Node> parsed = ParseYaml(text, placement, scratch);
    if (!parsed && retype_budget_ == 0) {
      if (!budget_reported_) {
        budget_reported_ = true;
        errors_.Add(location, path,
                    "variables expand to more than " + std::to_string(kMaxYamlNodes) +
                        " YAML nodes in all");
      }
      return;
    }
    if (!parsed) {
      node = Node::Scalar(std::move(text), location, Node::ScalarStyle::kPlain);
    } else if (parsed->IsScalar() && parsed->style() == Node::ScalarStyle::kPlain) {
      node = Node::Scalar(std::move(text), location, Node::ScalarStyle::kPlain);
    } else {
      node = std::move(*parsed);
    }
  }

  const EnvLookup& env_;
  Errors& errors_;
  std::set<std::string>& unset_;
  // One budget for every re-typed value of the document: an alias copies a `${...}` scalar, and
  // a default can hold YAML with aliases of its own, so a budget per value would multiply.
  size_t retype_budget_ = kMaxYamlNodes;
  bool budget_reported_ = false;
};

}  // namespace

void ExpandVariables(Node& node, const std::string& path, const EnvLookup& env, Errors& errors,
                     std::set<std::string>& unset_names) {
  Expander(env, errors, unset_names).Walk(node, path);
}

}  // namespace otlpd::config
