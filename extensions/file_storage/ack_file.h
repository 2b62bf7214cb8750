// The ack file of a log: the persisted low-water mark, i.e. "every record below this sequence is
// acknowledged". Written atomically (temp file, fsync, rename, fsync of the directory), so a
// crash leaves either the old or the new value, never a mix. A missing or damaged file reads as
// 0: everything still on disk is delivered again (at-least-once), never skipped.
//
//   Status s = WriteAckFile(log_dir, low_water, /*sync=*/true);
//   uint64_t acked_below = ReadAckFile(log_dir, logger);
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "pipeline/status.h"

namespace otlpd::extension::file_storage {

inline constexpr const char* kAckFileName = "ack";

// `sync` false skips the fsyncs (fsync policy `never`): the rename is still atomic for a crash of
// the process, not for a power loss.
Status WriteAckFile(const std::string& log_dir, uint64_t acked_below, bool sync);

// The persisted low-water mark, or 0 when there is none; a damaged file is logged once.
uint64_t ReadAckFile(const std::string& log_dir, spdlog::logger& log);

}  // namespace otlpd::extension::file_storage
