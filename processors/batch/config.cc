#include "processors/batch/config.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

namespace otlpd::processor::batch {
namespace {

// The Collector keeps these in uint32 fields; a larger number is a typo, not a wish.
constexpr int64_t kMaxCount = std::numeric_limits<uint32_t>::max();

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

void DecodeConfig(config::MapReader& r, Config& cfg) {
  const bool size_ok = r.Int("send_batch_size", &cfg.send_batch_size, 0, kMaxCount) ||
                       !r.Has("send_batch_size");
  r.Duration("timeout", &cfg.timeout);
  const bool max_ok = r.Int("send_batch_max_size", &cfg.send_batch_max_size, 0, kMaxCount) ||
                      !r.Has("send_batch_max_size");
  r.Int("metadata_cardinality_limit", &cfg.metadata_cardinality_limit, 0, kMaxCount);

  std::vector<std::string> keys;
  if (r.StringList("metadata_keys", &keys)) {
    // Client metadata keys arrive lower case (HTTP/2 and gRPC spell them so), and two spellings
    // of one key would silently form one partition: refuse the duplicate instead.
    std::set<std::string> seen;
    cfg.metadata_keys.clear();
    for (const std::string& k : keys) {
      std::string lower = Lower(k);
      if (lower.empty()) {
        r.Error("metadata_keys", "entries must not be empty");
        continue;
      }
      if (!seen.insert(lower).second) {
        r.Error("metadata_keys", "duplicate entry \"" + lower + "\" (keys are case-insensitive)");
        continue;
      }
      cfg.metadata_keys.push_back(std::move(lower));
    }
  }

  // Only compare values that were read correctly, so one typo does not produce two errors.
  if (size_ok && max_ok && cfg.send_batch_max_size != 0 &&
      cfg.send_batch_max_size < cfg.send_batch_size) {
    r.Error("send_batch_max_size", "must be >= send_batch_size (" +
                                       std::to_string(cfg.send_batch_size) + "), got " +
                                       std::to_string(cfg.send_batch_max_size));
  }
}

}  // namespace otlpd::processor::batch
