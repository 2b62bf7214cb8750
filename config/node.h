// config::Node: the YAML tree after loading, variable expansion and merging, with the file, line
// and column of every node, so that any later error can point at its source.
//
// Scalars keep their text; typing (int, duration, bool...) happens when a component reads a
// field (config/map_reader.h). `style()` remembers whether a scalar was quoted, so that a value
// typed "from YAML" (resource attribute values) is a string when quoted and a number when plain.
//
//   const Node* timeout = root.Find("processors")->Find("batch")->Find("timeout");
//   timeout->scalar();                 // "10s"
//   timeout->location().ToString();    // "config.yaml:27:14"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace otlpd::config {

// Where a node came from. Line and column are 1-based. `file` is the path as given on the
// command line, "--set" for an override, or "<default>" for the embedded default config.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  // "file:line:col", or just "file" when line is 0.
  std::string ToString() const;
};

struct MapEntry;

class Node {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };
  enum class ScalarStyle { kPlain, kQuoted };

  Node() = default;  // null, no location
  static Node Null(Location location);
  static Node Scalar(std::string value, Location location,
                     ScalarStyle style = ScalarStyle::kPlain);
  static Node Sequence(Location location);
  static Node Map(Location location);

  Kind kind() const { return kind_; }
  bool IsNull() const { return kind_ == Kind::kNull; }
  bool IsScalar() const { return kind_ == Kind::kScalar; }
  bool IsSequence() const { return kind_ == Kind::kSequence; }
  bool IsMap() const { return kind_ == Kind::kMap; }
  // "null", "scalar", "sequence", "map": for messages such as "expected a map, got a sequence".
  std::string_view KindName() const;

  const Location& location() const { return location_; }
  void set_location(Location location) { location_ = std::move(location); }

  // Scalar text (empty for other kinds).
  const std::string& scalar() const { return scalar_; }
  ScalarStyle style() const { return style_; }

  // Sequence items, in order.
  const std::vector<Node>& items() const { return items_; }
  std::vector<Node>& mutable_items() { return items_; }

  // Map entries, in the order written. Keys are unique.
  const std::vector<MapEntry>& entries() const { return entries_; }
  std::vector<MapEntry>& mutable_entries() { return entries_; }
  // The value under `key`, or nullptr (also for non-maps).
  const Node* Find(std::string_view key) const;
  Node* FindMutable(std::string_view key);
  // Replaces the value under `key` or appends a new entry; returns the stored value.
  Node& Set(std::string key, Location key_location, Node value);

 private:
  Kind kind_ = Kind::kNull;
  ScalarStyle style_ = ScalarStyle::kPlain;
  std::string scalar_;
  Location location_;
  std::vector<Node> items_;
  std::vector<MapEntry> entries_;
};

struct MapEntry {
  std::string key;
  Location key_location;
  Node value;
};

}  // namespace otlpd::config
