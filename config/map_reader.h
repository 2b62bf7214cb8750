// config::MapReader: reads one YAML map into a typed config struct, field by field, reporting
// every problem with its location and `a::b::c` path, and rejecting keys nobody asked for.
//
// Every reader method leaves `*out` untouched when the key is absent, so the struct's member
// initialisers are the defaults (Collector's CreateDefaultConfig). When the key is present but
// invalid it records an error and returns false. Every key asked for, present or not, becomes a
// known key: Finish() reports each key that was present but never asked for as
// "unknown key (did you mean X?)" or "unknown key; valid keys: a, b, c".
//
//   MapReader r(node, "processors::batch", errors);
//   r.Int("send_batch_size", &cfg.send_batch_size, /*min=*/0);
//   r.Duration("timeout", &cfg.timeout);
//   if (auto retry = r.Child("retry_on_failure")) { retry->Bool("enabled", &cfg.retry.enabled); retry->Finish(); }
//   if (cfg.max < cfg.size) r.Error("send_batch_max_size", "must be >= send_batch_size");
//   r.Finish();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/errors.h"
#include "config/node.h"
#include "config/secret.h"

namespace otlpd::config {

using Duration = std::chrono::nanoseconds;

// Go-style durations: "500ms", "1s", "1.5s", "5m", "1h30m", "250us", "10ns", "0". A bare number
// other than 0 is refused (unit missing). Negative durations are refused.
std::optional<Duration> ParseDuration(std::string_view text);
// "1s", "500ms", "1h30m": the shortest exact form, for messages and `validate` output.
std::string FormatDuration(Duration d);

// Closest candidate by edit distance, when close enough to be a plausible typo.
std::optional<std::string> DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

class MapReader {
 public:
  // `node` must be a map or null (an empty section such as `batch:`); anything else is reported
  // as "expected a map". `path` is the node's own path ("exporters::otlp_http/b14").
  MapReader(const Node& node, std::string path, Errors& errors);

  bool String(std::string_view key, std::string* out);
  bool Secret(std::string_view key, config::Secret* out);
  bool Bool(std::string_view key, bool* out);
  bool Int(std::string_view key, int64_t* out,
           int64_t min = std::numeric_limits<int64_t>::min(),
           int64_t max = std::numeric_limits<int64_t>::max());
  bool Double(std::string_view key, double* out,
              double min = -std::numeric_limits<double>::infinity(),
              double max = std::numeric_limits<double>::infinity());
  // `min` bounds the value ("must be at least 1ms"); negative is always refused.
  bool Duration(std::string_view key, config::Duration* out,
                config::Duration min = config::Duration::zero());
  // One of `allowed` (case-sensitive); the error lists them.
  bool Enum(std::string_view key, std::string* out, std::initializer_list<std::string_view> allowed);
  // A sequence of scalars.
  bool StringList(std::string_view key, std::vector<std::string>* out);
  // A map of scalar values; values keep their text.
  bool StringMap(std::string_view key, std::map<std::string, std::string>* out);
  bool SecretMap(std::string_view key, std::map<std::string, config::Secret>* out);

  // A reader for the nested map under `key`, or nullopt when absent (or not a map: then an error
  // is recorded). The caller must call Finish() on it.
  std::optional<MapReader> Child(std::string_view key);
  // For a sequence of maps (e.g. resource `attributes`): calls `fn` with a reader for each item,
  // path "key[i]", and calls Finish() on it afterwards. Returns false if absent or not a sequence.
  bool ForEachMap(std::string_view key, const std::function<void(MapReader&)>& fn);
  // The raw node under `key` (nullptr when absent), marked as known, for custom decoding.
  const Node* Raw(std::string_view key);

  bool Has(std::string_view key) const;
  // Records an error at the value of `key` (or at this map when the key is absent), path
  // "<path>::key".
  void Error(std::string_view key, std::string message);
  // Records an error at this map itself.
  void ErrorHere(std::string message);

  const std::string& path() const { return path_; }
  // "<path>::key"
  std::string PathOf(std::string_view key) const;
  const Node& node() const { return *node_; }
  Errors& errors() const { return *errors_; }

  // Reports every present key that no method asked for. Call once, after all reads.
  void Finish();

 private:
  const Node* Lookup(std::string_view key);  // marks known; nullptr when absent or null
  const Node* node_;
  std::string path_;
  Errors* errors_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace otlpd::config
