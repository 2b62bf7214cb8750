#include "processors/common/any_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace otlpd::processor {

const AnyValue* FindAttribute(const AttributeList& attrs, std::string_view key) {
  for (const auto& kv : attrs) {
    if (kv.key() == key) return &kv.value();
  }
  return nullptr;
}

AnyValue* FindMutableAttribute(AttributeList* attrs, std::string_view key) {
  for (auto& kv : *attrs) {
    if (kv.key() == key) return kv.mutable_value();
  }
  return nullptr;
}

AnyValue& UpsertAttribute(AttributeList* attrs, std::string_view key) {
  if (AnyValue* existing = FindMutableAttribute(attrs, key)) return *existing;
  KeyValue* kv = attrs->Add();
  kv->set_key(std::string(key));
  return *kv->mutable_value();
}

bool RemoveAttribute(AttributeList* attrs, std::string_view key) {
  int kept = 0;
  const int n = attrs->size();
  for (int i = 0; i < n; ++i) {
    if (attrs->Get(i).key() == key) continue;
    if (kept != i) attrs->SwapElements(kept, i);
    ++kept;
  }
  if (kept == n) return false;
  attrs->DeleteSubrange(kept, n - kept);
  return true;
}

bool AnyValuesEqual(const AnyValue& a, const AnyValue& b) {
  if (a.value_case() != b.value_case()) return false;
  switch (a.value_case()) {
    case AnyValue::kStringValue: return a.string_value() == b.string_value();
    case AnyValue::kBoolValue: return a.bool_value() == b.bool_value();
    case AnyValue::kIntValue: return a.int_value() == b.int_value();
    case AnyValue::kDoubleValue: return a.double_value() == b.double_value();
    case AnyValue::kBytesValue: return a.bytes_value() == b.bytes_value();
    case AnyValue::kArrayValue: return ArraysEqual(a.array_value().values(), b.array_value().values());
    case AnyValue::kKvlistValue:
      return AttributeListsEqual(a.kvlist_value().values(), b.kvlist_value().values());
    case AnyValue::kStringValueStrindex:
      return a.string_value_strindex() == b.string_value_strindex();
    case AnyValue::VALUE_NOT_SET: return true;
  }
  return false;
}

bool AttributeListsEqual(const AttributeList& a, const AttributeList& b) {
  if (a.size() != b.size()) return false;
  for (const auto& kv : a) {
    const AnyValue* other = FindAttribute(b, kv.key());
    if (other == nullptr || !AnyValuesEqual(kv.value(), *other)) return false;
  }
  return true;
}

bool ArraysEqual(const google::protobuf::RepeatedPtrField<AnyValue>& a,
                 const google::protobuf::RepeatedPtrField<AnyValue>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (!AnyValuesEqual(a.Get(i), b.Get(i))) return false;
  }
  return true;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  const double abs = std::fabs(v);
  const bool scientific = abs != 0 && (abs < 1e-6 || abs >= 1e21);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v,
                           scientific ? std::chars_format::scientific : std::chars_format::fixed);
  std::string out(buf, res.ptr);
  if (scientific) {
    // C++ writes at least two exponent digits ("1e-07"); Go writes "1e-07" too, but JSON (and
    // pcommon) trims it to "1e-7".
    auto e = out.find('e');
    if (e != std::string::npos && e + 2 < out.size() && out[e + 2] == '0') out.erase(e + 2, 1);
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        // Go escapes control characters and, to be safe inside HTML, <, > and &.
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          *out += "\\u00";
          out->push_back(kDigits[c >> 4]);
          out->push_back(kDigits[c & 0x0f]);
        } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
          // U+2028 and U+2029 end lines in JavaScript; Go escapes them as well.
          *out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendAnyValueJson(const AnyValue& value, std::string* out) {
  switch (value.value_case()) {
    case AnyValue::kStringValue: AppendJsonString(value.string_value(), out); return;
    case AnyValue::kBoolValue: *out += value.bool_value() ? "true" : "false"; return;
    case AnyValue::kIntValue: *out += std::to_string(value.int_value()); return;
    case AnyValue::kDoubleValue: *out += FormatDouble(value.double_value()); return;
    case AnyValue::kBytesValue: AppendJsonString(Base64Encode(value.bytes_value()), out); return;
    case AnyValue::kArrayValue: AppendArrayJson(value.array_value().values(), out); return;
    case AnyValue::kKvlistValue: AppendAttributesJson(value.kvlist_value().values(), out); return;
    case AnyValue::kStringValueStrindex:
    case AnyValue::VALUE_NOT_SET:
      *out += "null";
      return;
  }
}

void AppendArrayJson(const google::protobuf::RepeatedPtrField<AnyValue>& values, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (const auto& v : values) {
    if (!first) out->push_back(',');
    first = false;
    AppendAnyValueJson(v, out);
  }
  out->push_back(']');
}

void AppendAttributesJson(const AttributeList& attrs, std::string* out) {
  // Go marshals map[string]any with sorted keys.
  std::vector<const KeyValue*> sorted;
  sorted.reserve(attrs.size());
  for (const auto& kv : attrs) sorted.push_back(&kv);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const KeyValue* a, const KeyValue* b) { return a->key() < b->key(); });
  out->push_back('{');
  bool first = true;
  for (const KeyValue* kv : sorted) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(kv->key(), out);
    out->push_back(':');
    AppendAnyValueJson(kv->value(), out);
  }
  out->push_back('}');
}

std::string AnyValueAsString(const AnyValue& value) {
  switch (value.value_case()) {
    case AnyValue::kStringValue: return value.string_value();
    case AnyValue::kBoolValue: return value.bool_value() ? "true" : "false";
    case AnyValue::kIntValue: return std::to_string(value.int_value());
    case AnyValue::kDoubleValue: return FormatDouble(value.double_value());
    case AnyValue::kBytesValue: return Base64Encode(value.bytes_value());
    case AnyValue::kArrayValue:
    case AnyValue::kKvlistValue: {
      std::string out;
      AppendAnyValueJson(value, &out);
      return out;
    }
    case AnyValue::kStringValueStrindex:
    case AnyValue::VALUE_NOT_SET:
      return "";
  }
  return "";
}

}  // namespace otlpd::processor
