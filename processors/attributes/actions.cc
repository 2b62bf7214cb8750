#include "processors/attributes/actions.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>

#include "config/yaml_scalar.h"

namespace otlpd::processor::attributes {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<ActionType> ParseActionType(std::string_view name) {
  if (name == "insert") return ActionType::kInsert;
  if (name == "update") return ActionType::kUpdate;
  if (name == "upsert") return ActionType::kUpsert;
  if (name == "delete") return ActionType::kDelete;
  if (name == "hash") return ActionType::kHash;
  if (name == "extract") return ActionType::kExtract;
  if (name == "convert") return ActionType::kConvert;
  return std::nullopt;
}


// Go's strconv.ParseInt(s, 10, 64).
std::optional<int64_t> GoParseInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view digits = s;
  if (digits[0] == '+') digits.remove_prefix(1);
  if (digits.empty() || digits[0] == '+') return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

// Go's strconv.ParseFloat(s, 64): decimal and hex floats, inf / infinity / nan; no spaces.
std::optional<double> GoParseFloat(std::string_view s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  const std::string text(s);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

const AnyValue* SourceValue(const Action& a, const AttributeList& attrs,
                            const ClientMetadata& metadata, AnyValue* scratch) {
  if (a.value) return &*a.value;
  if (a.has_from_context) {
    auto it = metadata.find(a.from_context_metadata);
    if (it == metadata.end() || it->second.empty()) return nullptr;
    // Several values of one header are joined with ";", as the Collector does.
    std::string joined;
    for (size_t i = 0; i < it->second.size(); ++i) {
      if (i) joined += ';';
      joined += it->second[i];
    }
    scratch->set_string_value(std::move(joined));
    return scratch;
  }
  const AnyValue* found = FindAttribute(attrs, a.from_attribute);
  if (found == nullptr) return nullptr;
  // Copy: the source may be the very slot the action writes to, or move when the list grows.
  *scratch = *found;
  return scratch;
}

void ForMatchingKeys(const Action& a, AttributeList* attrs,
                     const std::function<void(int index)>& fn) {
  for (int i = 0; i < attrs->size(); ++i) {
    const std::string& k = attrs->Get(i).key();
    if ((!a.key.empty() && k == a.key) || (a.pattern && RE2::PartialMatch(k, *a.pattern))) fn(i);
  }
}

void Extract(const Action& a, AttributeList* attrs) {
  const AnyValue* v = FindAttribute(*attrs, a.key);
  if (v == nullptr || v->value_case() != AnyValue::kStringValue) return;
  const std::string text = v->string_value();  // copy: upserts below may touch the list
  const int groups = a.pattern->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> match(static_cast<size_t>(groups) + 1);
  if (!a.pattern->Match(text, 0, text.size(), RE2::UNANCHORED, match.data(), groups + 1)) return;
  for (int i = 1; i <= groups; ++i) {
    const re2::StringPiece& m = match[static_cast<size_t>(i)];
    UpsertAttribute(attrs, a.group_names[static_cast<size_t>(i)])
        .set_string_value(m.data() == nullptr ? std::string() : std::string(m.data(), m.size()));
  }
}

}  // namespace

std::optional<AnyValue> ValueFromYaml(const config::Node& node) {
  AnyValue out;
  switch (node.kind()) {
    case config::Node::Kind::kNull:
      return std::nullopt;
    case config::Node::Kind::kScalar: {
      const std::string& s = node.scalar();
      if (node.style() == config::Node::ScalarStyle::kQuoted) {
        out.set_string_value(s);
        return out;
      }
      if (config::IsYamlNull(s)) return std::nullopt;
      if (auto b = config::ParseYamlBool(s)) {
        out.set_bool_value(*b);
      } else if (auto i = config::ParseYamlInt(s)) {
        out.set_int_value(*i);
      } else if (auto d = config::ParseYamlFloat(s)) {
        out.set_double_value(*d);
      } else {
        out.set_string_value(s);
      }
      return out;
    }
    case config::Node::Kind::kSequence: {
      auto* array = out.mutable_array_value();
      for (const auto& item : node.items()) {
        std::optional<AnyValue> v = ValueFromYaml(item);
        *array->add_values() = v ? *v : AnyValue();
      }
      return out;
    }
    case config::Node::Kind::kMap: {
      auto* list = out.mutable_kvlist_value();
      for (const auto& entry : node.entries()) {
        KeyValue* kv = list->add_values();
        kv->set_key(entry.key);
        if (std::optional<AnyValue> v = ValueFromYaml(entry.value)) *kv->mutable_value() = *v;
      }
      return out;
    }
  }
  return std::nullopt;
}

std::string HashValue(const AnyValue& value) {
  std::string bytes;
  switch (value.value_case()) {
    case AnyValue::kStringValue: bytes = value.string_value(); break;
    case AnyValue::kBoolValue: bytes.assign(1, value.bool_value() ? '\1' : '\0'); break;
    case AnyValue::kIntValue:
    case AnyValue::kDoubleValue: {
      uint64_t bits = 0;
      if (value.value_case() == AnyValue::kIntValue) {
        bits = static_cast<uint64_t>(value.int_value());
      } else {
        const double d = value.double_value();
        std::memcpy(&bits, &d, sizeof bits);
      }
      for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
      break;
    }
    default:
      return "";
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "";
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

void ConvertValue(AnyValue* value, ConvertTo to) {
  switch (to) {
    case ConvertTo::kString:
      if (value->value_case() != AnyValue::kStringValue) {
        value->set_string_value(AnyValueAsString(*value));
      }
      return;
    case ConvertTo::kInt:
      switch (value->value_case()) {
        case AnyValue::kDoubleValue: {
          // Go's int64(f): truncation; out-of-range values saturate here instead of being
          // undefined.
          const double d = value->double_value();
          int64_t i = 0;
          if (std::isnan(d)) i = 0;
          else if (d >= 9223372036854775807.0) i = std::numeric_limits<int64_t>::max();
          else if (d <= -9223372036854775808.0) i = std::numeric_limits<int64_t>::min();
          else i = static_cast<int64_t>(d);
          value->set_int_value(i);
          return;
        }
        case AnyValue::kBoolValue: value->set_int_value(value->bool_value() ? 1 : 0); return;
        case AnyValue::kStringValue:
          if (auto i = GoParseInt(value->string_value())) value->set_int_value(*i);
          return;
        default: return;
      }
    case ConvertTo::kDouble:
      switch (value->value_case()) {
        case AnyValue::kIntValue:
          value->set_double_value(static_cast<double>(value->int_value()));
          return;
        case AnyValue::kBoolValue: value->set_double_value(value->bool_value() ? 1 : 0); return;
        case AnyValue::kStringValue:
          if (auto d = GoParseFloat(value->string_value())) value->set_double_value(*d);
          return;
        default: return;
      }
  }
}

void ActionList::Apply(AttributeList* attrs, const ClientMetadata& metadata) const {
  AnyValue scratch;
  for (const Action& a : actions_) {
    switch (a.type) {
      case ActionType::kInsert: {
        if (FindAttribute(*attrs, a.key) != nullptr) break;
        const AnyValue* src = SourceValue(a, *attrs, metadata, &scratch);
        if (src == nullptr) break;
        KeyValue* kv = attrs->Add();
        kv->set_key(a.key);
        *kv->mutable_value() = *src;
        break;
      }
      case ActionType::kUpdate: {
        const AnyValue* src = SourceValue(a, *attrs, metadata, &scratch);
        if (src == nullptr) break;
        if (AnyValue* slot = FindMutableAttribute(attrs, a.key)) *slot = *src;
        break;
      }
      case ActionType::kUpsert: {
        const AnyValue* src = SourceValue(a, *attrs, metadata, &scratch);
        if (src == nullptr) break;
        UpsertAttribute(attrs, a.key) = *src;
        break;
      }
      case ActionType::kDelete: {
        int kept = 0;
        const int n = attrs->size();
        for (int i = 0; i < n; ++i) {
          const std::string& k = attrs->Get(i).key();
          const bool drop = (!a.key.empty() && k == a.key) ||
                            (a.pattern && RE2::PartialMatch(k, *a.pattern));
          if (drop) continue;
          if (kept != i) attrs->SwapElements(kept, i);
          ++kept;
        }
        if (kept < n) attrs->DeleteSubrange(kept, n - kept);
        break;
      }
      case ActionType::kHash:
        ForMatchingKeys(a, attrs, [&](int i) {
          AnyValue* v = attrs->Mutable(i)->mutable_value();
          v->set_string_value(HashValue(*v));
        });
        break;
      case ActionType::kExtract:
        Extract(a, attrs);
        break;
      case ActionType::kConvert:
        if (AnyValue* v = FindMutableAttribute(attrs, a.key)) ConvertValue(v, a.converted_type);
        break;
    }
  }
}

namespace {

// One `- key: ... action: ...` map.
void DecodeAction(config::MapReader& r, ActionList* out) {
  Action a;
  std::string action_name;
  const bool has_action = r.String("action", &action_name);
  r.String("key", &a.key);
  std::string pattern;
  const bool has_pattern = r.String("pattern", &pattern) && !pattern.empty();
  const config::Node* value_node = r.Raw("value");
  if (value_node != nullptr) a.value = ValueFromYaml(*value_node);
  const bool has_from_attribute = r.String("from_attribute", &a.from_attribute) &&
                                  !a.from_attribute.empty();
  std::string from_context;
  a.has_from_context = r.String("from_context", &from_context) && !from_context.empty();
  std::string converted;
  const bool has_converted = r.String("converted_type", &converted) && !converted.empty();

  if (!has_action) {
    r.ErrorHere("missing required key \"action\" (insert, update, upsert, delete, hash, extract "
                "or convert)");
    return;
  }
  // The Collector accepts any letter case here.
  const std::optional<ActionType> type = ParseActionType(Lower(action_name));
  if (!type) {
    r.Error("action", "unknown action \"" + action_name +
                          "\"; valid: insert, update, upsert, delete, hash, extract, convert");
    return;
  }
  a.type = *type;
  const int sources = (a.value ? 1 : 0) + (has_from_attribute ? 1 : 0) + (a.has_from_context ? 1 : 0);
  bool ok = true;
  auto fail = [&](std::string_view key, std::string message) {
    if (key.empty()) r.ErrorHere(std::move(message));
    else r.Error(key, std::move(message));
    ok = false;
  };
  const std::string name = Lower(action_name);

  switch (a.type) {
    case ActionType::kDelete:
    case ActionType::kHash:
      if (a.key.empty() && !has_pattern) fail("", name + " needs \"key\" or \"pattern\" (or both)");
      if (sources > 0) fail("", name + " takes no value, from_attribute or from_context");
      if (has_converted) fail("converted_type", "is only used by the convert action");
      break;
    case ActionType::kInsert:
    case ActionType::kUpdate:
    case ActionType::kUpsert:
      if (a.key.empty()) fail("", "missing required key \"key\"");
      if (sources == 0) {
        fail("", name + " needs one of \"value\", \"from_attribute\" or \"from_context\"");
      } else if (sources > 1) {
        fail("", name + " takes only one of \"value\", \"from_attribute\" and \"from_context\"");
      }
      if (has_pattern) fail("pattern", "is not used by the " + name + " action");
      if (has_converted) fail("converted_type", "is only used by the convert action");
      break;
    case ActionType::kExtract:
      if (a.key.empty()) fail("", "missing required key \"key\"");
      if (!has_pattern) fail("", "extract needs \"pattern\" with named groups, e.g. (?P<name>...)");
      if (sources > 0) fail("", "extract takes no value, from_attribute or from_context");
      if (has_converted) fail("converted_type", "is only used by the convert action");
      break;
    case ActionType::kConvert:
      if (a.key.empty()) fail("", "missing required key \"key\"");
      if (sources > 0 || has_pattern) {
        fail("", "convert takes no value, from_attribute, from_context or pattern");
      }
      if (!has_converted) {
        fail("", "convert needs \"converted_type\": int, double or string");
      } else if (converted == "int") {
        a.converted_type = ConvertTo::kInt;
      } else if (converted == "double") {
        a.converted_type = ConvertTo::kDouble;
      } else if (converted == "string") {
        a.converted_type = ConvertTo::kString;
      } else {
        fail("converted_type", "must be int, double or string, got \"" + converted + "\"");
      }
      break;
  }

  if (a.has_from_context) {
    // Only request metadata is available in otlpd (the receiver's include_metadata headers).
    std::string_view k = from_context;
    if (k.rfind("auth.", 0) == 0 || k == "client.address") {
      fail("from_context", "\"" + from_context +
                               "\" is not supported by otlpd: only request metadata "
                               "(\"metadata.<header>\") can be read");
    } else {
      if (k.rfind("metadata.", 0) == 0) k.remove_prefix(9);
      a.from_context_metadata = Lower(k);
    }
  }

  if (has_pattern && ok) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<RE2>(pattern, options);
    if (!re->ok()) {
      fail("pattern", "invalid regular expression: " + re->error());
    } else if (a.type == ActionType::kExtract) {
      const int groups = re->NumberOfCapturingGroups();
      const auto& named = re->CapturingGroupNames();  // index -> name
      if (groups == 0 || named.empty()) {
        fail("pattern", "has no named groups: write (?P<attribute_name>...)");
      } else if (static_cast<int>(named.size()) != groups) {
        fail("pattern", "has an unnamed group: every group must be named (?P<name>...), or "
                        "non-capturing (?:...)");
      } else {
        a.group_names.assign(static_cast<size_t>(groups) + 1, "");
        for (const auto& [index, group_name] : named) {
          a.group_names[static_cast<size_t>(index)] = group_name;
        }
      }
    }
    a.pattern = std::move(re);
  }
  if (ok) out->Add(std::move(a));
}

}  // namespace

void DecodeActions(config::MapReader& reader, std::string_view key, ActionList* out) {
  const config::Node* list = reader.Raw(key);
  if (list == nullptr || list->IsNull() || (list->IsSequence() && list->items().empty())) {
    reader.Error(key, "missing required key \"" + std::string(key) + "\": a list of actions");
    return;
  }
  if (!list->IsSequence()) {
    reader.Error(key, "expected a list of actions, got a " + std::string(list->KindName()));
    return;
  }
  reader.ForEachMap(key, [&](config::MapReader& item) { DecodeAction(item, out); });
}

}  // namespace otlpd::processor::attributes
