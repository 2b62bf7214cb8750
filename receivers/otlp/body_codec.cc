#include "receivers/otlp/body_codec.h"

#include <climits>

#include "pipeline/otlp_json.h"

namespace otlpd::receiver::otlp {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Status ParseProtobuf(std::string_view bytes, google::protobuf::Message& out) {
  if (bytes.size() > INT_MAX || !out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError("cannot parse the protobuf body");
  }
  return OkStatus();
}

}  // namespace

std::optional<BodyEncoding> ParseContentType(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  if (EqualsIgnoreCase(media, "application/x-protobuf")) return BodyEncoding::kProtobuf;
  if (EqualsIgnoreCase(media, "application/json")) return BodyEncoding::kJson;
  return std::nullopt;
}

std::string_view ContentTypeOf(BodyEncoding encoding) {
  return encoding == BodyEncoding::kJson ? "application/json" : "application/x-protobuf";
}

Status DecompressBody(Compression compression, size_t max_decoded, std::string& body) {
  if (compression == Compression::kNone) {
    if (body.size() > max_decoded) {
      return InvalidArgumentError("body exceeds " + std::to_string(max_decoded) + " bytes");
    }
    return OkStatus();
  }
  StatusOr<std::string> d = Decompress(compression, body, max_decoded);
  if (!d.ok()) return d.status();
  body = std::move(d).value();
  return OkStatus();
}

Status DecodeRequestBody(BodyEncoding encoding, Compression compression, std::string_view raw,
                         size_t max_decoded, google::protobuf::Message& out) {
  std::string decompressed;
  std::string_view body = raw;
  if (compression != Compression::kNone) {
    StatusOr<std::string> d = Decompress(compression, raw, max_decoded);
    if (!d.ok()) return d.status();
    decompressed = std::move(d).value();
    body = decompressed;
  } else if (raw.size() > max_decoded) {
    return InvalidArgumentError("body exceeds " + std::to_string(max_decoded) + " bytes");
  }
  if (encoding == BodyEncoding::kProtobuf) return ParseProtobuf(body, out);
  return ParseOtlpJson(body, out);
}

std::string EncodeBody(BodyEncoding encoding, const google::protobuf::Message& message) {
  if (encoding == BodyEncoding::kProtobuf) return message.SerializeAsString();
  StatusOr<std::string> json = PrintOtlpJson(message);
  // Printing our own well-formed messages cannot fail; an empty object keeps the answer valid.
  return json.ok() ? std::move(json).value() : std::string("{}");
}

}  // namespace otlpd::receiver::otlp
