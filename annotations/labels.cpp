#include "annotations/labels.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "annotations/segment.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// Case-folded (ASCII only: labels in other scripts are matched exactly) and trimmed.
std::string normalise(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

LabelAliases LabelAliases::builtin() {
  LabelAliases a;
  for (const char* alias :
       {"Time-out", "timeout", "time out", "time-out", "11 (Time-Out)", "(11) Time-Out",
        "11 Time-Out", "Team Time-out", "team timeout", "team time-out"}) {
    a.add(alias, kTimeOut);
  }
  for (const char* alias : {"StOP?", "stop", "(10) STOP", "10 (STOP)", "10 (StOP?)",
                            "StOP?-protocol", "StOP-protocol", "stop protocol", "stop?"}) {
    a.add(alias, kStop);
  }
  return a;
}

void LabelAliases::add(std::string_view alias, std::string_view canonical) {
  table_[normalise(alias)] = std::string(trim(canonical));
}

std::string LabelAliases::canonical(std::string_view label) const {
  auto it = table_.find(normalise(label));
  if (it != table_.end()) return it->second;
  return std::string(trim(label));
}

void LabelAliases::load_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the label alias file", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  load_json_text(text.str(), path.string());
}

void LabelAliases::load_json_text(std::string_view text, const std::string& file_name) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(std::string("the label alias file is not valid JSON: ") + e.what(), file_name,
                      "byte " + std::to_string(e.byte));
  }
  if (doc.is_object() && doc.contains("aliases")) doc = doc["aliases"];
  if (!doc.is_object())
    throw FormatError("expected a JSON object {\"alias\": \"canonical label\"}, found " +
                          std::string(doc.type_name()),
                      file_name, "/");
  for (const auto& [key, value] : doc.items()) {
    if (value.is_string()) {
      add(key, value.get<std::string>());
    } else if (value.is_array()) {
      add(key, key);
      for (const auto& alias : value) {
        if (!alias.is_string())
          throw FormatError("expected alias strings in the list of '" + key + "', found " +
                                std::string(alias.type_name()),
                            file_name, "/" + key);
        add(alias.get<std::string>(), key);
      }
    } else {
      throw FormatError("expected a string (canonical label) or a list of aliases, found " +
                            std::string(value.type_name()),
                        file_name, "/" + key);
    }
  }
}

LabelAliases& default_label_aliases() {
  static LabelAliases table = LabelAliases::builtin();
  return table;
}

std::string canonical_label(std::string_view label) {
  return default_label_aliases().canonical(label);
}

}  // namespace teamor::annotations
