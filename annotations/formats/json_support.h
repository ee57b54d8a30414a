#pragma once
// Internal: strict JSON parsing for the JSON-based formats (duplicate keys are errors, parse errors
// name line and column) and small typed accessors that name the element path on failure.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace teamor::annotations::detail {

/// @brief Parses @p text; rejects invalid UTF-8, syntax errors and duplicate keys in any object.
/// @throws FormatError with the file and "line L, column C (byte B)" or the key's path.
nlohmann::json parse_json_strict(std::string_view text, const std::string& file);

/// JSON pointer-like path for messages: "/results/or06/3/segment".
std::string child_path(const std::string& parent, std::string_view key);
std::string child_path(const std::string& parent, std::size_t index);

/// @throws FormatError "expected <what> at <path>, found <type>".
[[noreturn]] void wrong_type(const nlohmann::json& value, std::string_view what,
                             const std::string& file, const std::string& path);

/// Typed getters: throw FormatError naming the path unless the value has the right type.
const nlohmann::json& require_object(const nlohmann::json& v, const std::string& file,
                                     const std::string& path);
const nlohmann::json& require_array(const nlohmann::json& v, const std::string& file,
                                    const std::string& path);
std::string require_string(const nlohmann::json& v, const std::string& file,
                           const std::string& path);
/// A finite number (integers accepted).
double require_number(const nlohmann::json& v, const std::string& file, const std::string& path);

/// Looks up @p key in object @p obj; throws FormatError "missing key" when absent.
const nlohmann::json& require_key(const nlohmann::json& obj, std::string_view key,
                                  const std::string& file, const std::string& path);

}  // namespace teamor::annotations::detail
