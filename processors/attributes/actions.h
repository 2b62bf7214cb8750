// The attribute action engine shared by the `resource` processor (resource attributes) and the
// `attributes` processor (span, log record and data point attributes): the Collector's
// insert, update, upsert, delete, hash, extract and convert actions, decoded and validated from
// YAML once, then applied in order to one attribute list at a time.
//
//   - key: deployment.environment      # insert: only if absent; update: only if present;
//     value: prod                      # upsert: always. Source: value (typed from YAML),
//     action: upsert                   # from_attribute, or from_context (metadata.<header>)
//   - {key: password, action: delete}  # delete / hash: key and/or pattern (regex on keys)
//   - {key: url, pattern: '^(?P<scheme>\w+)://', action: extract}   # named groups -> attributes
//   - {key: status, converted_type: int, action: convert}           # int | double | string
//
//   ActionList actions;
//   DecodeActions(reader, "attributes", &actions);   // errors go to the reader's Errors
//   actions.Apply(resource.mutable_attributes(), batch.metadata());
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "config/map_reader.h"
#include "pipeline/telemetry.h"
#include "processors/common/any_value.h"

namespace otlpd::processor::attributes {

enum class ActionType { kInsert, kUpdate, kUpsert, kDelete, kHash, kExtract, kConvert };
enum class ConvertTo { kInt, kDouble, kString };

struct Action {
  ActionType type = ActionType::kUpsert;
  std::string key;
  // Exactly one source for insert / update / upsert.
  std::optional<AnyValue> value;
  std::string from_attribute;
  std::string from_context_metadata;  // from_context: the client metadata key (lower case)
  bool has_from_context = false;
  // delete / hash: keys to match (unanchored, like Go's MatchString); extract: the regex whose
  // named groups become attributes.
  std::shared_ptr<const RE2> pattern;
  std::vector<std::string> group_names;  // extract: name of capture group i at index i
  ConvertTo converted_type = ConvertTo::kString;
};

class ActionList {
 public:
  bool empty() const { return actions_.empty(); }
  size_t size() const { return actions_.size(); }
  const std::vector<Action>& actions() const { return actions_; }
  void Add(Action action) { actions_.push_back(std::move(action)); }

  // Applies every action, in order, to `attrs`. `metadata` is the request's client metadata
  // (from_context). Thread-safe: the list is immutable.
  void Apply(AttributeList* attrs, const ClientMetadata& metadata) const;

 private:
  std::vector<Action> actions_;
};

// Reads the list of actions under `key` into `out`, reporting every problem (missing key or
// action, two value sources, unknown action, bad regex, ...) at its location. An absent or empty
// list is reported as missing: neither processor does anything without actions.
void DecodeActions(config::MapReader& reader, std::string_view key, ActionList* out);

// A YAML value typed as the Collector types it: a plain scalar that reads as an integer, a
// float or true/false becomes int / double / bool; quoted or other text stays a string;
// sequences and maps become arrays and key/value lists. Null gives nullopt.
std::optional<AnyValue> ValueFromYaml(const config::Node& node);

// The hash action: lower-case hex SHA-256 of the value's bytes (a string's text; a bool as one
// byte; an int or a double as 8 little-endian bytes); other types hash to "" as in the Collector.
std::string HashValue(const AnyValue& value);

// The convert action on one value; a string that does not parse stays as it is.
void ConvertValue(AnyValue* value, ConvertTo to);

}  // namespace otlpd::processor::attributes
