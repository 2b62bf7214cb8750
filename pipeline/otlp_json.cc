#include "pipeline/otlp_json.h"

#include <array>
#include <cstdint>
#include <optional>

#include <google/protobuf/util/json_util.h>

namespace otlpd {
namespace {

// The object keys whose string values are IDs, and the byte length each must have.
struct IdKey {
  std::string_view name;
  size_t bytes;
};
constexpr std::array<IdKey, 6> kIdKeys = {{{"traceId", 16},
                                           {"spanId", 8},
                                           {"parentSpanId", 8},
                                           {"trace_id", 16},
                                           {"span_id", 8},
                                           {"parent_span_id", 8}}};

const IdKey* FindIdKey(std::string_view key) {
  for (const IdKey& k : kIdKeys) {
    if (k.name == key) return &k;
  }
  return nullptr;
}

constexpr char kBase64Chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHexChars[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A key as the JSON parser will read it, for keys written with escapes ("\u0074raceId" is
// traceId to protobuf too). Only ASCII matters here (every OTLP name is ASCII): any escape that
// is not ASCII, or is malformed, gives a key that matches nothing.
std::string UnescapeAsciiKey(std::string_view raw) {
  std::string key;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      key += raw[i];
      continue;
    }
    if (++i >= raw.size()) return "\x01";
    const char e = raw[i];
    if (e == '"' || e == '\\' || e == '/') {
      key += e;
    } else if (e == 'u' && i + 4 < raw.size()) {
      int code = 0;
      for (size_t j = 1; j <= 4; ++j) {
        const int h = HexValue(raw[i + j]);
        if (h < 0) return "\x01";
        code = code * 16 + h;
      }
      if (code == 0 || code >= 0x80) return "\x01";
      key += static_cast<char>(code);
      i += 4;
    } else {
      return "\x01";  // \b \f \n \r \t: in no OTLP name
    }
  }
  return key;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // standard and URL-safe alphabets
  if (c == '/' || c == '_') return 63;
  return -1;
}

void AppendBase64(std::string_view bytes, std::string& out) {
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out += kBase64Chars[(v >> 18) & 63];
    out += kBase64Chars[(v >> 12) & 63];
    out += kBase64Chars[(v >> 6) & 63];
    out += kBase64Chars[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return;
  uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
  if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
  out += kBase64Chars[(v >> 18) & 63];
  out += kBase64Chars[(v >> 12) & 63];
  out += rest == 2 ? kBase64Chars[(v >> 6) & 63] : '=';
  out += '=';
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// Index of the quote that closes the JSON string whose content starts at `pos`, or npos.
size_t FindStringEnd(std::string_view json, size_t pos) {
  while (pos < json.size()) {
    const char c = json[pos];
    if (c == '\\') {
      pos += 2;
    } else if (c == '"') {
      return pos;
    } else {
      ++pos;
    }
  }
  return std::string_view::npos;
}

size_t SkipSpace(std::string_view json, size_t pos) {
  while (pos < json.size() &&
         (json[pos] == ' ' || json[pos] == '\t' || json[pos] == '\n' || json[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

enum class Direction { kHexToBase64, kBase64ToHex };

// Converts one ID value (the text between the quotes) into `out`.
Status ConvertId(const IdKey& key, std::string_view value, Direction dir, std::string& out) {
  if (dir == Direction::kBase64ToHex) {
    std::optional<std::string> bytes = DecodeBase64(value);
    if (!bytes) return InternalError("protobuf printed invalid base64 for " + std::string(key.name));
    for (char c : *bytes) {
      out += kHexChars[(static_cast<uint8_t>(c) >> 4) & 0xf];
      out += kHexChars[static_cast<uint8_t>(c) & 0xf];
    }
    return OkStatus();
  }
  if (value.empty()) return OkStatus();
  const auto bad = [&](std::string_view why) {
    std::string shown(value.substr(0, 64));
    return InvalidArgumentError("invalid OTLP/JSON: " + std::string(key.name) + " \"" + shown +
                                "\": " + std::string(why));
  };
  if (value.size() != key.bytes * 2) {
    return bad("want " + std::to_string(key.bytes * 2) + " hex digits, got " +
               std::to_string(value.size()));
  }
  std::string bytes(key.bytes, '\0');
  for (size_t i = 0; i < key.bytes; ++i) {
    const int hi = HexValue(value[2 * i]);
    const int lo = HexValue(value[2 * i + 1]);
    if (hi < 0 || lo < 0) return bad("not a hex string");
    bytes[i] = static_cast<char>((hi << 4) | lo);
  }
  AppendBase64(bytes, out);
  return OkStatus();
}

// Copies `json` to `out`, converting the string values of the ID keys. This is a scanner, not a
// parser: outside strings it only looks for quotes, and a string followed by ':' is an object
// key. That is exact for valid JSON, and for invalid JSON the protobuf parser that runs next
// reports the error. Keys written with escapes (\u0074raceId) are recognised as well: protobuf
// would read them as the ID field, base64 and all.
Status RewriteIds(std::string_view json, Direction dir, std::string& out) {
  out.clear();
  out.reserve(json.size() + json.size() / 8);
  size_t copied = 0;  // json[0, copied) is already in `out`
  size_t pos = 0;
  while (pos < json.size()) {
    if (json[pos] != '"') {
      ++pos;
      continue;
    }
    const size_t key_end = FindStringEnd(json, pos + 1);
    if (key_end == std::string_view::npos) break;
    const std::string_view raw_key = json.substr(pos + 1, key_end - pos - 1);
    std::string unescaped;
    std::string_view key = raw_key;
    if (raw_key.find('\\') != std::string_view::npos) {
      unescaped = UnescapeAsciiKey(raw_key);
      key = unescaped;
    }
    pos = key_end + 1;
    const size_t colon = SkipSpace(json, pos);
    if (colon >= json.size() || json[colon] != ':') continue;  // a value, not a key
    if (key.empty()) {
      // protobuf's JSON parser reads an empty key as "this message" and writes the value's
      // fields into the enclosing message: `"": [{"spanId": ...}]` inside a span replaced the
      // span's own IDs with a link's encoding (found by otlp_json_fuzzer). No OTLP field is
      // unnamed, so the key is refused instead of ignored like other unknown ones.
      return InvalidArgumentError("invalid OTLP/JSON: empty object key");
    }
    const IdKey* id = FindIdKey(key);
    if (id == nullptr) continue;
    const size_t value_start = SkipSpace(json, colon + 1);
    if (value_start >= json.size() || json[value_start] != '"') continue;  // null, number: protobuf decides
    const size_t value_end = FindStringEnd(json, value_start + 1);
    if (value_end == std::string_view::npos) break;
    out.append(json.substr(copied, value_start + 1 - copied));
    Status s =
        ConvertId(*id, json.substr(value_start + 1, value_end - value_start - 1), dir, out);
    if (!s.ok()) return s;
    copied = value_end;
    pos = value_end + 1;
  }
  out.append(json.substr(copied));
  return OkStatus();
}

}  // namespace

Status ParseOtlpJson(std::string_view json, google::protobuf::Message& message) {
  std::string rewritten;
  Status s = RewriteIds(json, Direction::kHexToBase64, rewritten);
  if (!s.ok()) return s;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  message.Clear();
  auto result = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(rewritten.data(), rewritten.size()), &message, options);
  if (!result.ok()) {
    return InvalidArgumentError("invalid OTLP/JSON: " + std::string(result.message()));
  }
  return OkStatus();
}

StatusOr<std::string> PrintOtlpJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  options.preserve_proto_field_names = false;
  std::string plain;
  auto result = google::protobuf::util::MessageToJsonString(message, &plain, options);
  if (!result.ok()) return InternalError("OTLP/JSON encoding: " + std::string(result.message()));
  std::string out;
  Status s = RewriteIds(plain, Direction::kBase64ToHex, out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace otlpd
