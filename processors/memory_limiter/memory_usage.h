// How much memory the process uses and how much it may use: the two numbers memory_limiter
// compares. Linux only (procfs and cgroupfs), read fresh on every call.
//
// `root` prefixes every path so that tests can point the readers at a fake /proc and /sys tree.
//
//   StatusOr<uint64_t> rss = ReadProcessRss();        // resident bytes of this process
//   StatusOr<uint64_t> total = TotalMemoryBytes();    // cgroup limit, else MemTotal
//   uint64_t limit = *total / 100 * 80;               // limit_percentage: 80
#pragma once

#include <cstdint>
#include <string>

#include "pipeline/status.h"

namespace otlpd::processor::memory_limiter {

// Resident set size of this process in bytes (/proc/self/statm, resident pages * page size).
// RSS counts what the allocator holds, not only live objects: that is the memory the kernel and
// the container runtime see, so it is what must stay below the limit.
StatusOr<uint64_t> ReadProcessRss(const std::string& root = "");

// The memory this process may use: the cgroup limit (v2 memory.max, v1
// memory.limit_in_bytes, of the process's own cgroup) when one is set and below the machine's
// memory, else MemTotal from /proc/meminfo.
StatusOr<uint64_t> TotalMemoryBytes(const std::string& root = "");

}  // namespace otlpd::processor::memory_limiter
