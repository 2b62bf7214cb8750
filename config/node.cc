#include "config/node.h"

#include <utility>

namespace otlpd::config {

std::string Location::ToString() const {
  if (line <= 0) return file;
  std::string out = file;
  if (!out.empty()) out += ':';
  out += std::to_string(line);
  if (column > 0) out += ':' + std::to_string(column);
  return out;
}

Node Node::Null(Location location) {
  Node n;
  n.location_ = std::move(location);
  return n;
}

Node Node::Scalar(std::string value, Location location, ScalarStyle style) {
  Node n;
  n.kind_ = Kind::kScalar;
  n.scalar_ = std::move(value);
  n.location_ = std::move(location);
  n.style_ = style;
  return n;
}

Node Node::Sequence(Location location) {
  Node n;
  n.kind_ = Kind::kSequence;
  n.location_ = std::move(location);
  return n;
}

Node Node::Map(Location location) {
  Node n;
  n.kind_ = Kind::kMap;
  n.location_ = std::move(location);
  return n;
}

std::string_view Node::KindName() const {
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kScalar: return "scalar";
    case Kind::kSequence: return "sequence";
    case Kind::kMap: return "map";
  }
  return "null";
}

const Node* Node::Find(std::string_view key) const {
  if (kind_ != Kind::kMap) return nullptr;
  for (const MapEntry& e : entries_) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

Node* Node::FindMutable(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->Find(key));
}

Node& Node::Set(std::string key, Location key_location, Node value) {
  // Setting a key on anything but a map turns it into a map: that is what an override of a
  // missing or scalar section means (`--set processors.batch.timeout=1s` when `batch:` is empty).
  if (kind_ != Kind::kMap) {
    kind_ = Kind::kMap;
    style_ = ScalarStyle::kPlain;
    scalar_.clear();
    items_.clear();
  }
  for (MapEntry& e : entries_) {
    if (e.key == key) {
      // The value and its key come from the same source now, so both locations follow it.
      e.key_location = std::move(key_location);
      e.value = std::move(value);
      return e.value;
    }
  }
  entries_.push_back(MapEntry{std::move(key), std::move(key_location), std::move(value)});
  return entries_.back().value;
}

}  // namespace otlpd::config
