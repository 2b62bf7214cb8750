#include "processors/memory_limiter/memory_usage.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace otlpd::processor::memory_limiter {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::optional<uint64_t> ParseU64(std::string_view s) {
  s = Trim(s);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// MemTotal from /proc/meminfo ("MemTotal:       24683468 kB").
std::optional<uint64_t> MemTotal(const std::string& root) {
  auto text = ReadFile(root + "/proc/meminfo");
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemTotal:", 0) != 0) continue;
    std::istringstream fields(line.substr(9));
    uint64_t kib = 0;
    std::string unit;
    if (fields >> kib) return kib * 1024;
  }
  return std::nullopt;
}

// A cgroup limit file: a byte count, or "max" (v2) for none.
std::optional<uint64_t> ReadLimitFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return std::nullopt;
  if (Trim(*text) == "max") return std::nullopt;
  return ParseU64(*text);
}

struct CgroupLine {
  std::string controllers;
  std::string path;
  bool v2 = false;
};

// /proc/self/cgroup: "hierarchy:controllers:path"; v2's unified hierarchy is "0::path".
std::vector<CgroupLine> ReadCgroups(const std::string& root) {
  std::vector<CgroupLine> out;
  auto text = ReadFile(root + "/proc/self/cgroup");
  if (!text) return out;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    CgroupLine c;
    c.controllers = line.substr(first + 1, second - first - 1);
    c.path = line.substr(second + 1);
    c.v2 = line.substr(0, first) == "0" && c.controllers.empty();
    out.push_back(std::move(c));
  }
  return out;
}

bool HasController(const std::string& list, std::string_view name) {
  std::istringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == name) return true;
  }
  return false;
}

std::optional<uint64_t> CgroupLimit(const std::string& root) {
  for (const CgroupLine& c : ReadCgroups(root)) {
    const std::string path = c.path == "/" ? "" : c.path;
    if (c.v2) {
      if (auto v = ReadLimitFile(root + "/sys/fs/cgroup" + path + "/memory.max")) return v;
      if (auto v = ReadLimitFile(root + "/sys/fs/cgroup/memory.max")) return v;
    } else if (HasController(c.controllers, "memory")) {
      if (auto v = ReadLimitFile(root + "/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes")) {
        return v;
      }
      if (auto v = ReadLimitFile(root + "/sys/fs/cgroup/memory/memory.limit_in_bytes")) return v;
    }
  }
  return std::nullopt;
}

}  // namespace

StatusOr<uint64_t> ReadProcessRss(const std::string& root) {
  auto text = ReadFile(root + "/proc/self/statm");
  if (!text) return UnavailableError("cannot read " + root + "/proc/self/statm");
  std::istringstream in(*text);
  uint64_t size_pages = 0, resident_pages = 0;
  if (!(in >> size_pages >> resident_pages)) {
    return InternalError("unexpected content in " + root + "/proc/self/statm");
  }
  const long page = sysconf(_SC_PAGESIZE);
  return resident_pages * static_cast<uint64_t>(page > 0 ? page : 4096);
}

StatusOr<uint64_t> TotalMemoryBytes(const std::string& root) {
  const std::optional<uint64_t> machine = MemTotal(root);
  const std::optional<uint64_t> cgroup = CgroupLimit(root);
  // cgroup v1 reports "no limit" as a huge page-aligned number: the machine's memory wins.
  if (cgroup && (!machine || *cgroup < *machine)) return *cgroup;
  if (machine) return *machine;
  return UnavailableError("cannot tell the memory available: no cgroup limit and no MemTotal in " +
                          root + "/proc/meminfo");
}

}  // namespace otlpd::processor::memory_limiter
