#include "pipeline/component_id.h"

#include <cctype>

namespace otlpd {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kReceiver: return "receiver";
    case Kind::kProcessor: return "processor";
    case Kind::kExporter: return "exporter";
    case Kind::kExtension: return "extension";
  }
  return "";
}

std::string_view KindSection(Kind kind) {
  switch (kind) {
    case Kind::kReceiver: return "receivers";
    case Kind::kProcessor: return "processors";
    case Kind::kExporter: return "exporters";
    case Kind::kExtension: return "extensions";
  }
  return "";
}

bool ComponentId::IsValidType(std::string_view type) {
  if (type.empty() || type.size() > 63) return false;
  if (!std::isalpha(static_cast<unsigned char>(type[0]))) return false;
  for (char c : type) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

StatusOr<ComponentId> ComponentId::Parse(std::string_view text) {
  std::string_view type = text;
  std::string_view name;
  const auto slash = text.find('/');
  if (slash != std::string_view::npos) {
    type = text.substr(0, slash);
    name = text.substr(slash + 1);
    if (name.empty()) {
      return InvalidArgumentError("invalid component ID \"" + std::string(text) +
                                  "\": the name after '/' must not be empty");
    }
    if (name.find('/') != std::string_view::npos) {
      return InvalidArgumentError("invalid component ID \"" + std::string(text) +
                                  "\": only one '/' is allowed (type/name)");
    }
    for (char c : name) {
      if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
        return InvalidArgumentError("invalid component ID \"" + std::string(text) +
                                    "\": the name must not contain spaces or control characters");
      }
    }
  }
  if (!IsValidType(type)) {
    return InvalidArgumentError("invalid component ID \"" + std::string(text) +
                                "\": the type must match ^[a-zA-Z][0-9a-zA-Z_]{0,62}$");
  }
  return ComponentId(std::string(type), std::string(name));
}

}  // namespace otlpd
