// config/yaml_parser.h: YAML text -> config::Node, the one place that talks to yaml-cpp.
//
// yaml-cpp counts lines and columns from 0 and throws on bad input; this turns its tree into a
// Node with 1-based locations on every node and map key, remembers whether each scalar was
// plain or not (quoted, block literal, `!!str`), and turns every exception into an Error
// "yaml: ..." at the offending line:col. It also refuses what yaml-cpp lets through: a duplicate
// key in one map (error at the second key), a non-scalar key, and a second document; and a
// token yaml-cpp 0.7 would loop on forever (a stray `,` as a document) is an error at that
// token instead.
//
//   Errors errors;
//   std::optional<Node> root = ParseYaml("a: 1\n", YamlPlacement{.file = "config.yaml"}, errors);
//   if (root) root->Find("a")->location().ToString();   // "config.yaml:1:4"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/errors.h"
#include "config/node.h"

namespace otlpd::config {

// Where the text sits in what the user wrote, so that locations point there.
struct YamlPlacement {
  std::string file;       // Location::file of every node
  int first_line = 1;     // line of the text's first character
  int first_column = 1;   // column of the text's first character (shifts its first line only)
  // When set, every node and key gets exactly this location: used for a value that came out of
  // a variable, whose own text has no place in any file.
  std::optional<Location> fixed;
  std::string path;       // path of the text's root in error messages ("" for a document)
  // Nodes this parse may create (aliases count once per copy), shared by the caller across
  // several parses when set; each parse has its own kMaxYamlNodes otherwise. Past it the parse
  // fails with "document too large".
  size_t* node_budget = nullptr;
};

// The node cap of one document (see yaml_parser.cc for why).
inline constexpr size_t kMaxYamlNodes = 100'000;

// The parsed tree (a Null node for empty text), or nullopt after recording at least one error.
std::optional<Node> ParseYaml(std::string_view text, const YamlPlacement& placement,
                              Errors& errors);

}  // namespace otlpd::config
