#include "config/map_reader.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "config/duration.h"
#include "config/yaml_scalar.h"

namespace otlpd::config {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

// "a map", "a sequence", "a scalar", "null": the "got ..." half of a type error.
std::string Got(const Node& n) {
  if (n.IsNull()) return "got null";
  return "got a " + std::string(n.KindName());
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// A quoted "123" is accepted as an integer too, as the Collector's decoder does; the typing
// itself is YAML's (config/yaml_scalar.h).
std::optional<int64_t> ParseInt(std::string_view s) { return ParseYamlInt(s); }

// NaN is refused: no setting means anything with it.
std::optional<double> ParseDouble(std::string_view s) {
  std::optional<double> v = ParseYamlFloat(s);
  if (v && std::isnan(*v)) return std::nullopt;
  return v;
}

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v < 0 ? "-.inf" : ".inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? end : buf);
}

}  // namespace

MapReader::MapReader(const Node& node, std::string path, Errors& errors)
    : node_(&node), path_(std::move(path)), errors_(&errors) {
  if (!node.IsMap() && !node.IsNull()) ErrorHere("expected a map, " + Got(node));
}

std::string MapReader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "::" + std::string(key);
}

bool MapReader::Has(std::string_view key) const { return node_->Find(key) != nullptr; }

const Node* MapReader::Lookup(std::string_view key) {
  known_.emplace(key);
  const Node* n = node_->Find(key);
  if (n == nullptr || n->IsNull()) return nullptr;
  return n;
}

const Node* MapReader::Raw(std::string_view key) {
  known_.emplace(key);
  return node_->Find(key);
}

void MapReader::Error(std::string_view key, std::string message) {
  const Node* n = node_->Find(key);
  errors_->Add(n != nullptr ? n->location() : node_->location(), PathOf(key), std::move(message));
}

void MapReader::ErrorHere(std::string message) {
  errors_->Add(node_->location(), path_, std::move(message));
}

bool MapReader::String(std::string_view key, std::string* out) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  if (!n->IsScalar()) {
    Error(key, "expected a string, " + Got(*n));
    return false;
  }
  *out = n->scalar();
  return true;
}

bool MapReader::Secret(std::string_view key, config::Secret* out) {
  std::string value;
  if (!String(key, &value)) return false;
  *out = config::Secret(std::move(value));
  return true;
}

bool MapReader::Bool(std::string_view key, bool* out) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  const std::string& s = n->scalar();
  if (std::optional<bool> b = n->IsScalar() ? ParseYamlBool(s) : std::nullopt) {
    *out = *b;
    return true;
  }
  // YAML 1.1's yes/no/on/off are strings in YAML 1.2, which the Collector reads.
  Error(key, "expected true or false, " + (n->IsScalar() ? "got " + Quote(s) : Got(*n)));
  return false;
}

bool MapReader::Int(std::string_view key, int64_t* out, int64_t min, int64_t max) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  std::optional<int64_t> v = n->IsScalar() ? ParseInt(n->scalar()) : std::nullopt;
  if (!v) {
    Error(key, "expected an integer, " + (n->IsScalar() ? "got " + Quote(n->scalar()) : Got(*n)));
    return false;
  }
  if (*v < min) {
    Error(key, "must be >= " + std::to_string(min) + ", got " + std::to_string(*v));
    return false;
  }
  if (*v > max) {
    Error(key, "must be <= " + std::to_string(max) + ", got " + std::to_string(*v));
    return false;
  }
  *out = *v;
  return true;
}

bool MapReader::Double(std::string_view key, double* out, double min, double max) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  std::optional<double> v = n->IsScalar() ? ParseDouble(n->scalar()) : std::nullopt;
  if (!v) {
    Error(key, "expected a number, " + (n->IsScalar() ? "got " + Quote(n->scalar()) : Got(*n)));
    return false;
  }
  if (*v < min) {
    Error(key, "must be >= " + FormatNumber(min) + ", got " + FormatNumber(*v));
    return false;
  }
  if (*v > max) {
    Error(key, "must be <= " + FormatNumber(max) + ", got " + FormatNumber(*v));
    return false;
  }
  *out = *v;
  return true;
}

bool MapReader::Duration(std::string_view key, config::Duration* out, config::Duration min) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  if (!n->IsScalar()) {
    Error(key, "expected a duration, " + Got(*n));
    return false;
  }
  const std::string& text = n->scalar();
  DurationParse p = ParseGoDuration(text);
  switch (p.error) {
    case DurationError::kNone:
      break;
    case DurationError::kOverflow:
      Error(key, "invalid duration " + Quote(text) + " (too large)");
      return false;
    case DurationError::kNegative:
      Error(key, "invalid duration " + Quote(text) + " (must not be negative)");
      return false;
    case DurationError::kSyntax:
    case DurationError::kMissingUnit:
    case DurationError::kUnknownUnit:
      Error(key, "invalid duration " + Quote(text) + " (use a unit: ns, us, ms, s, m, h)");
      return false;
  }
  if (p.value < min) {
    Error(key, "must be >= " + FormatDuration(min) + ", got " + FormatDuration(p.value));
    return false;
  }
  *out = p.value;
  return true;
}

bool MapReader::Enum(std::string_view key, std::string* out,
                     std::initializer_list<std::string_view> allowed) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  if (!n->IsScalar()) {
    Error(key, "expected a string, " + Got(*n));
    return false;
  }
  for (std::string_view a : allowed) {
    if (n->scalar() == a) {
      *out = n->scalar();
      return true;
    }
  }
  std::string list;
  for (std::string_view a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  Error(key, "must be one of " + list + "; got " + Quote(n->scalar()));
  return false;
}

bool MapReader::StringList(std::string_view key, std::vector<std::string>* out) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  if (!n->IsSequence()) {
    Error(key, "expected a sequence, " + Got(*n));
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (size_t i = 0; i < n->items().size(); ++i) {
    const Node& item = n->items()[i];
    if (!item.IsScalar()) {
      errors_->Add(item.location(), PathOf(key) + "[" + std::to_string(i) + "]",
                   "expected a string, " + Got(item));
      ok = false;
      continue;
    }
    values.push_back(item.scalar());
  }
  if (!ok) return false;
  *out = std::move(values);
  return true;
}

bool MapReader::StringMap(std::string_view key, std::map<std::string, std::string>* out) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  if (!n->IsMap()) {
    Error(key, "expected a map, " + Got(*n));
    return false;
  }
  std::map<std::string, std::string> values;
  bool ok = true;
  for (const MapEntry& e : n->entries()) {
    if (e.value.IsNull()) {
      values[e.key] = "";  // `x-header:` with nothing after it: an empty value
    } else if (e.value.IsScalar()) {
      values[e.key] = e.value.scalar();
    } else {
      errors_->Add(e.value.location(), PathOf(key) + "::" + e.key,
                   "expected a string, " + Got(e.value));
      ok = false;
    }
  }
  if (!ok) return false;
  *out = std::move(values);
  return true;
}

bool MapReader::SecretMap(std::string_view key, std::map<std::string, config::Secret>* out) {
  std::map<std::string, std::string> plain;
  if (!StringMap(key, &plain)) return false;
  out->clear();
  for (auto& [k, v] : plain) out->emplace(k, config::Secret(std::move(v)));
  return true;
}

std::optional<MapReader> MapReader::Child(std::string_view key) {
  // An empty value (`retry_on_failure:`) is present, and reads as an empty map: presence alone
  // switches some features on (`protocols: {grpc: }`).
  const Node* n = Raw(key);
  if (n == nullptr) return std::nullopt;
  if (!n->IsMap() && !n->IsNull()) {
    Error(key, "expected a map, " + Got(*n));
    return std::nullopt;
  }
  return MapReader(*n, PathOf(key), *errors_);
}

bool MapReader::ForEachMap(std::string_view key, const std::function<void(MapReader&)>& fn) {
  const Node* n = Lookup(key);
  if (n == nullptr) return false;
  if (!n->IsSequence()) {
    Error(key, "expected a sequence, " + Got(*n));
    return false;
  }
  for (size_t i = 0; i < n->items().size(); ++i) {
    const Node& item = n->items()[i];
    MapReader reader(item, PathOf(key) + "[" + std::to_string(i) + "]", *errors_);
    // The constructor has reported an item that is not a map; its reader would read nothing,
    // and `fn` would only add "missing key" noise on top.
    if (!item.IsMap() && !item.IsNull()) continue;
    fn(reader);
    reader.Finish();
  }
  return true;
}

void MapReader::Finish() {
  if (!node_->IsMap()) return;
  const std::vector<std::string> valid(known_.begin(), known_.end());
  for (const MapEntry& e : node_->entries()) {
    if (known_.count(e.key) != 0) continue;
    std::string message = "unknown key " + Quote(e.key);
    if (std::optional<std::string> guess = DidYouMean(e.key, valid)) {
      message += " (did you mean " + Quote(*guess) + "?)";
    } else if (valid.empty()) {
      message += "; this section takes no keys";
    } else {
      message += "; valid keys: " + Join(valid, ", ");
    }
    // The path names the key itself (house doc section 6), so the line points at what to fix.
    errors_->Add(e.key_location, PathOf(e.key), std::move(message));
  }
}

}  // namespace otlpd::config
