#include "annotations/formats/json_support.h"

#include <cmath>
#include <set>
#include <vector>

#include "annotations/formats/format_support.h"
#include "common/error.h"

namespace teamor::annotations::detail {

nlohmann::json parse_json_strict(std::string_view text, const std::string& file) {
  text = require_utf8(text, file);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw FormatError("the file is empty; expected a JSON document", file, "byte 0");
  // One key set per open object (arrays push an unused entry) to find duplicated keys, which
  // nlohmann would otherwise resolve silently by keeping the last value.
  std::vector<std::set<std::string>> keys;
  std::vector<std::string> path;
  std::string duplicate;
  auto callback = [&](int /*depth*/, nlohmann::json::parse_event_t event,
                      nlohmann::json& parsed) -> bool {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        keys.emplace_back();
        path.emplace_back();
        break;
      case E::object_end:
      case E::array_end:
        if (!keys.empty()) keys.pop_back();
        if (!path.empty()) path.pop_back();
        break;
      case E::key: {
        auto name = parsed.get<std::string>();
        if (!keys.empty() && !keys.back().insert(name).second && duplicate.empty()) {
          std::string where;
          for (std::size_t i = 0; i + 1 < path.size(); ++i)
            if (!path[i].empty()) where += "/" + path[i];
          duplicate = where + "/" + name;
        }
        if (!path.empty()) path.back() = name;
        break;
      }
      default:
        break;
    }
    return true;
  };
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end(), callback);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    // nlohmann's message repeats the position; keep its description after the last ": ".
    auto cut = what.find("syntax error");
    if (cut != std::string::npos) what = what.substr(cut);
    throw FormatError("invalid JSON: " + what, file, text_position(text, byte));
  } catch (const nlohmann::json::exception& e) {
    // Number overflow (1e999) and the like carry no position; point at the literal when found.
    std::string what = e.what();
    std::size_t byte = 0;
    if (auto q = what.find('\''); q != std::string::npos) {
      auto literal = what.substr(q + 1, what.find('\'', q + 1) - q - 1);
      if (auto at = text.find(literal); at != std::string_view::npos && !literal.empty()) byte = at;
    }
    auto cut = what.find("] ");
    throw FormatError("invalid JSON: " + (cut == std::string::npos ? what : what.substr(cut + 2)),
                      file, text_position(text, byte));
  }
  if (!duplicate.empty())
    throw FormatError("duplicate key '" + duplicate.substr(duplicate.rfind('/') + 1) +
                          "' (each id or key may appear once per object)",
                      file, duplicate);
  return doc;
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent + "/" + std::string(key);
}

std::string child_path(const std::string& parent, std::size_t index) {
  return parent + "/" + std::to_string(index);
}

void wrong_type(const nlohmann::json& value, std::string_view what, const std::string& file,
                const std::string& path) {
  throw FormatError("expected " + std::string(what) + ", found " + std::string(value.type_name()),
                    file, path.empty() ? "/" : path);
}

const nlohmann::json& require_object(const nlohmann::json& v, const std::string& file,
                                     const std::string& path) {
  if (!v.is_object()) wrong_type(v, "an object", file, path);
  return v;
}

const nlohmann::json& require_array(const nlohmann::json& v, const std::string& file,
                                    const std::string& path) {
  if (!v.is_array()) wrong_type(v, "an array", file, path);
  return v;
}

std::string require_string(const nlohmann::json& v, const std::string& file,
                           const std::string& path) {
  if (!v.is_string()) wrong_type(v, "a string", file, path);
  return v.get<std::string>();
}

double require_number(const nlohmann::json& v, const std::string& file, const std::string& path) {
  if (!v.is_number()) wrong_type(v, "a number", file, path);
  double x = v.get<double>();
  if (!std::isfinite(x))
    throw FormatError("expected a finite number, found " + format_number(x), file, path);
  return x;
}

const nlohmann::json& require_key(const nlohmann::json& obj, std::string_view key,
                                  const std::string& file, const std::string& path) {
  auto it = obj.find(std::string(key));
  if (it == obj.end())
    throw FormatError("missing key '" + std::string(key) + "'", file, path.empty() ? "/" : path);
  return *it;
}

}  // namespace teamor::annotations::detail
