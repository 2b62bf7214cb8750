// Helpers for SegmentLog tests: options for a log in a temp directory, and draining a log.
//
//   auto log = OpenOrDie(LogOptions(dir.path() + "/log"));
//   std::vector<StoredRecord> records = ReadAll(*log);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "extensions/file_storage/segment_log.h"
#include "pipeline/logging.h"

namespace otlpd::extension::file_storage {

inline SegmentLogOptions LogOptions(const std::string& directory,
                                    FsyncPolicy fsync = FsyncPolicy::kBatch) {
  SegmentLogOptions options;
  options.directory = directory;
  options.fsync = fsync;
  options.logger = GetLogger("extension/file_storage/test");
  return options;
}

inline std::unique_ptr<SegmentLog> OpenOrDie(SegmentLogOptions options) {
  StatusOr<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(std::move(options));
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(*log) : nullptr;
}

// Every record ReadNext hands out until it has none (errors fail the test).
inline std::vector<StoredRecord> ReadAll(DurableLog& log) {
  std::vector<StoredRecord> out;
  for (;;) {
    auto next = log.ReadNext();
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !next->has_value()) return out;
    out.push_back(std::move(**next));
  }
}

inline std::string Payload(int i, size_t size = 0) {
  std::string s = "record-" + std::to_string(i);
  if (s.size() < size) s.append(size - s.size(), static_cast<char>('a' + i % 26));
  return s;
}

}  // namespace otlpd::extension::file_storage
