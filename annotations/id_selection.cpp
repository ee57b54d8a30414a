#include "annotations/id_selection.h"

#include <algorithm>
#include <cctype>

#include "annotations/formats/format_support.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::set<std::string> parse_id_selection(const std::string& spec) {
  std::string text = spec;
  std::string source = "--ids";
  if (!spec.empty() && spec.front() == '@') {
    source = spec.substr(1);
    text = detail::read_file(source);
  }
  std::set<std::string> ids;
  std::string current;
  bool comment = false;
  auto flush = [&] {
    if (!current.empty()) ids.insert(current);
    current.clear();
  };
  for (char c : text) {
    if (c == '\n') comment = false;
    if (comment) continue;
    if (c == '#') {
      flush();
      comment = true;
    } else if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  if (ids.empty()) throw ConfigError("no recording id given in " + source);
  return ids;
}

std::set<std::string> ids_in_subset(const AnnotationCollection& collection,
                                    const std::string& subset) {
  std::set<std::string> ids, present;
  for (const auto& [id, set] : collection) {
    present.insert(set.subset.empty() ? "(none)" : set.subset);
    if (lower(set.subset) == lower(subset)) ids.insert(id);
  }
  if (ids.empty()) {
    std::string names;
    for (const auto& p : present)
      names += (names.empty() ? "" : ", ") + p;
    throw ConfigError("no recording is in subset '" + subset + "'; subsets present: " + names);
  }
  return ids;
}

std::set<std::string> match_ids(const std::set<std::string>& ids,
                                const AnnotationCollection& collection) {
  std::set<std::string> out;
  for (const auto& id : ids) {
    if (!collection.count(id)) {
      std::string stem = detail::file_stem(id);
      if (collection.count(stem)) {
        out.insert(stem);
        continue;
      }
    }
    out.insert(id);
  }
  return out;
}

}  // namespace teamor::annotations
