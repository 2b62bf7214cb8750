#include "receivers/otlp/body_codec.h"

#include <climits>

#include "pipeline/otlp_json.h"
#include "pipeline/otlp_wire.h"

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
    return InvalidArgumentError(std::string(kUnparsableProtobuf));
  }
  return OkStatus();
}

// The body with its Content-Encoding undone: `raw` itself when it is not compressed (checked
// against the limit), else the decoded bytes, kept in `*storage`.
StatusOr<std::string_view> UndoContentEncoding(Compression compression, std::string_view raw,
                                               size_t max_decoded, std::string* storage) {
  if (compression == Compression::kNone) {
    if (raw.size() > max_decoded) {
      return InvalidArgumentError("body exceeds " + std::to_string(max_decoded) + " bytes");
    }
    return raw;
  }
  StatusOr<std::string> d = Decompress(compression, raw, max_decoded);
  if (!d.ok()) return d.status();
  *storage = std::move(d).value();
  return std::string_view(*storage);
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
  std::string decoded;
  StatusOr<std::string_view> plain = UndoContentEncoding(compression, body, max_decoded, &decoded);
  if (!plain.ok()) return plain.status();
  if (compression != Compression::kNone) body = std::move(decoded);
  return OkStatus();
}

Status DecodeRequestBody(BodyEncoding encoding, Compression compression, std::string_view raw,
                         size_t max_decoded, google::protobuf::Message& out) {
  std::string decompressed;
  StatusOr<std::string_view> body = UndoContentEncoding(compression, raw, max_decoded, &decompressed);
  if (!body.ok()) return body.status();
  if (encoding == BodyEncoding::kProtobuf) return ParseProtobuf(*body, out);
  return ParseOtlpJson(*body, out);
}

std::string EncodeBody(BodyEncoding encoding, const google::protobuf::Message& message) {
  if (encoding == BodyEncoding::kProtobuf) return message.SerializeAsString();
  StatusOr<std::string> json = PrintOtlpJson(message);
  // Printing our own well-formed messages cannot fail; an empty object keeps the answer valid.
  return json.ok() ? std::move(json).value() : std::string("{}");
}

}  // namespace otlpd::receiver::otlp
