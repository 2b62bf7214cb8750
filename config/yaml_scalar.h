// YAML 1.2 core-schema readings of a plain scalar's text: the one place that decides what counts
// as an integer, a float, a bool or null, shared by the typed field reader and by settings whose
// type comes from the YAML itself (resource/attributes `value`).
//
//   ParseYamlInt("0x1F");     // 31
//   ParseYamlFloat("-.inf");  // -infinity
//   ParseYamlBool("True");    // true
//   IsYamlNull("~");          // true
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace otlpd::config {

// [-+]?[0-9]+, 0x/0X hexadecimal, 0o octal; nullopt when out of int64 range.
std::optional<int64_t> ParseYamlInt(std::string_view text);
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, and .inf / -.inf / .nan spellings.
std::optional<double> ParseYamlFloat(std::string_view text);
// true/True/TRUE/false/False/FALSE (YAML 1.2: not yes/no/on/off).
std::optional<bool> ParseYamlBool(std::string_view text);
// "", ~, null, Null, NULL.
bool IsYamlNull(std::string_view text);

}  // namespace otlpd::config
