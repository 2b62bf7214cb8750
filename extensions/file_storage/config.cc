#include "extensions/file_storage/config.h"

#include <algorithm>

namespace otlpd::extension::file_storage {
namespace {

void DecodeFsync(config::MapReader& reader, Config& cfg) {
  const config::Node* node = reader.Raw("fsync");
  if (node == nullptr || node->IsNull()) return;
  const std::string& text = node->scalar();
  if (node->IsScalar()) {
    // The Collector's key is a boolean; YAML 1.2 core spells it true/false in three cases.
    if (text == "always" || text == "true" || text == "True" || text == "TRUE") {
      cfg.fsync = FsyncPolicy::kAlways;
      return;
    }
    if (text == "never" || text == "false" || text == "False" || text == "FALSE") {
      cfg.fsync = FsyncPolicy::kNever;
      return;
    }
    if (text == "batch") {
      cfg.fsync = FsyncPolicy::kBatch;
      return;
    }
  }
  reader.Error("fsync", "must be one of always, batch, never (or true = always, false = never), got " +
                            (node->IsScalar() ? "\"" + text + "\"" : std::string("a ") + std::string(node->KindName())));
}

void DecodePermissions(config::MapReader& reader, Config& cfg) {
  std::string text;
  if (!reader.String("directory_permissions", &text)) return;
  bool valid = !text.empty() && text.size() <= 4;
  mode_t mode = 0;
  for (char c : text) {
    if (c < '0' || c > '7') valid = false;
    mode = static_cast<mode_t>(mode * 8 + static_cast<mode_t>(c - '0'));
  }
  if (!valid || mode > 0777) {
    reader.Error("directory_permissions", "must be an octal mode such as \"0750\", got \"" + text + "\"");
    return;
  }
  cfg.directory_permissions = mode;
}

}  // namespace

std::string_view FsyncPolicyName(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kAlways:
      return "always";
    case FsyncPolicy::kBatch:
      return "batch";
    case FsyncPolicy::kNever:
      return "never";
  }
  return "batch";
}

void DecodeConfig(config::MapReader& reader, Config& cfg) {
  if (reader.String("directory", &cfg.directory) && cfg.directory.empty()) {
    reader.Error("directory", "must not be empty");
  }
  reader.Bool("create_directory", &cfg.create_directory);
  DecodePermissions(reader, cfg);
  DecodeFsync(reader, cfg);
  reader.Int("max_size_mib", &cfg.max_size_mib, 1, int64_t{1} << 30);
  if (reader.Int("segment_size_mib", &cfg.segment_size_mib, 1, 4095)) {
    if (cfg.segment_size_mib > cfg.max_size_mib) {
      reader.Error("segment_size_mib", "must be <= max_size_mib (" + std::to_string(cfg.max_size_mib) +
                                           "), got " + std::to_string(cfg.segment_size_mib));
    }
  } else if (!reader.Has("segment_size_mib")) {
    // A small max_size_mib with the default segment size: segments shrink to fit.
    cfg.segment_size_mib = std::min(cfg.segment_size_mib, cfg.max_size_mib);
  }
  reader.Duration("timeout", &cfg.timeout, std::chrono::milliseconds(1));
  if (reader.Raw("compaction") != nullptr) {
    reader.Error("compaction",
                 "not supported: otlpd's file_storage compacts by itself (a segment is deleted as "
                 "soon as all its records are acknowledged); remove this block");
  }
}

}  // namespace otlpd::extension::file_storage
