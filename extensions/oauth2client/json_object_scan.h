// ScanJsonObject: reads the top-level members of one JSON object (RFC 8259), which is all a
// token endpoint's answer needs ({"access_token": "...", "expires_in": 3600, ...}). Strings are
// unescaped; numbers keep their text; nested objects and arrays are checked and skipped.
//
// Not protobuf's JsonStringToMessage into google.protobuf.Struct: Debian's libprotobuf 3.21
// crashes in Map lookups when the caller is built with -fsanitize=thread, and the project's
// sanitizer suite runs these tests.
//
//   auto members = ScanJsonObject(R"({"access_token":"a\u0062c","expires_in":60})");
//   members->at("access_token").value;   // "abc"
//   members->at("expires_in").kind;      // JsonMember::Kind::kNumber, value "60"
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace otlpd::extension::oauth2client {

struct JsonMember {
  enum class Kind { kString, kNumber, kOther };  // kOther: object, array, true, false, null
  Kind kind = Kind::kOther;
  std::string value;  // the unescaped string (UTF-8), or the number's text; empty for kOther
};

// nullopt unless `text` is exactly one JSON object (white space around it allowed). A key that
// appears twice keeps its last value, as Go's encoding/json does.
std::optional<std::map<std::string, JsonMember>> ScanJsonObject(std::string_view text);

}  // namespace otlpd::extension::oauth2client
