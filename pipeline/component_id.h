// ComponentId: `type[/name]` as written in the YAML (`otlp_http/b14`, `batch`), and the kinds of
// component. The type must match ^[a-zA-Z][0-9a-zA-Z_]{0,62}$; the name may be any non-empty
// text without a slash or white space.
//
//   StatusOr<ComponentId> id = ComponentId::Parse("otlp_http/b14");
//   id->type();      // "otlp_http"
//   id->ToString();  // "otlp_http/b14"
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "pipeline/status.h"

namespace otlpd {

enum class Kind { kReceiver, kProcessor, kExporter, kExtension };

// "receiver", "processor", ... (singular, for messages); KindSection gives the YAML section.
std::string_view KindName(Kind kind);
std::string_view KindSection(Kind kind);

class ComponentId {
 public:
  ComponentId() = default;
  ComponentId(std::string type, std::string name = "")
      : type_(std::move(type)), name_(std::move(name)) {}

  // INVALID_ARGUMENT with a message that says what is wrong with the text.
  static StatusOr<ComponentId> Parse(std::string_view text);
  // True when `type` is a valid component type name.
  static bool IsValidType(std::string_view type);

  const std::string& type() const { return type_; }
  const std::string& name() const { return name_; }
  std::string ToString() const { return name_.empty() ? type_ : type_ + "/" + name_; }

  auto operator<=>(const ComponentId&) const = default;

 private:
  std::string type_;
  std::string name_;
};

}  // namespace otlpd
