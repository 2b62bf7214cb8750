// CountSpansOnWire: the number of spans in an encoded ExportTraceServiceRequest, found by walking
// the protobuf wire format (resource_spans = 1 -> scope_spans = 2 -> spans = 2) without building
// any message, so a benchmark sink can count millions of spans per second on one core.
//
//   std::optional<int64_t> n = CountSpansOnWire(body);   // nullopt when the bytes are malformed
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace otlpd::bench {

namespace wire {

// Reads a base-128 varint at `p`; advances `p`. False when it runs past `end` or over 10 bytes.
inline bool ReadVarint(const char*& p, const char* end, uint64_t& out) {
  out = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const auto byte = static_cast<uint8_t>(*p++);
    out |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Calls `on_field(field_number, payload)` for every length-delimited field of the message in
// `msg` and skips the others. False on malformed input or when `on_field` returns false.
template <class OnField>
bool ForEachLengthField(std::string_view msg, OnField on_field) {
  const char* p = msg.data();
  const char* end = p + msg.size();
  while (p < end) {
    uint64_t key = 0;
    if (!ReadVarint(p, end, key)) return false;
    const uint32_t field = static_cast<uint32_t>(key >> 3);
    switch (key & 7) {
      case 0: {
        uint64_t ignored = 0;
        if (!ReadVarint(p, end, ignored)) return false;
        break;
      }
      case 1:
        if (end - p < 8) return false;
        p += 8;
        break;
      case 5:
        if (end - p < 4) return false;
        p += 4;
        break;
      case 2: {
        uint64_t len = 0;
        if (!ReadVarint(p, end, len) || len > static_cast<uint64_t>(end - p)) return false;
        if (!on_field(field, std::string_view(p, len))) return false;
        p += len;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace wire

inline std::optional<int64_t> CountSpansOnWire(std::string_view request) {
  int64_t spans = 0;
  const bool ok = wire::ForEachLengthField(request, [&](uint32_t f, std::string_view rs) {
    if (f != 1) return true;
    return wire::ForEachLengthField(rs, [&](uint32_t f2, std::string_view ss) {
      if (f2 != 2) return true;
      return wire::ForEachLengthField(ss, [&](uint32_t f3, std::string_view) {
        if (f3 == 2) ++spans;
        return true;
      });
    });
  });
  if (!ok) return std::nullopt;
  return spans;
}

}  // namespace otlpd::bench
