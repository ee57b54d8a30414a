#include "detector/data_split.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace teamor::detector {

DataSplit reference_split(std::vector<std::string> file_names, double train_ratio) {
  if (!(train_ratio >= 0.0 && train_ratio <= 1.0)) {
    throw ConfigError(
        "dataset.train_set_ratio must lie in [0, 1], found " + std::to_string(train_ratio), {},
        "dataset.train_set_ratio");
  }
  std::sort(file_names.begin(), file_names.end());
  std::vector<std::string> kept;
  for (const auto& name : file_names) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos) continue;
    const std::string stem = name.substr(0, dot);
    // The reference's view-1 rule: any stem whose last character is '1' (spec 1.2, quirk 8.9).
    if (name.substr(dot + 1) == "npy" && !stem.empty() && stem.back() == '1') kept.push_back(stem);
  }
  const auto n_train =
      static_cast<std::size_t>(std::floor(static_cast<double>(kept.size()) * train_ratio));
  DataSplit split;
  split.training.assign(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(n_train));
  split.test.assign(kept.begin() + static_cast<std::ptrdiff_t>(n_train), kept.end());
  return split;
}

namespace {
std::vector<std::string> id_list(const nlohmann::json& j, const std::string& key,
                                 const std::filesystem::path& path) {
  if (!j.is_array()) {
    throw FormatError("split file: \"" + key + "\" must be a list of video ids", path.string(),
                      "key '" + key + "'");
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string() || j[i].get<std::string>().empty()) {
      throw FormatError("split file: entry " + std::to_string(i) + " of \"" + key +
                            "\" is not a non-empty string",
                        path.string(), "key '" + key + "'");
    }
    ids.push_back(j[i].get<std::string>());
  }
  return ids;
}
}  // namespace

DataSplit load_split_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open the split file", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(std::string("split file is not valid JSON: ") + e.what(), path.string(),
                      "byte " + std::to_string(e.byte));
  }
  if (!j.is_object()) {
    throw FormatError("split file must be a JSON object {\"training\": [...], \"test\": [...]}",
                      path.string());
  }
  DataSplit split;
  bool have_train = false, have_test = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "training" || key == "train") {
      if (have_train)
        throw FormatError("split file names the training ids twice", path.string(),
                          "key '" + key + "'");
      split.training = id_list(value, key, path);
      have_train = true;
    } else if (key == "test" || key == "validation") {
      if (have_test)
        throw FormatError("split file names the test ids twice", path.string(),
                          "key '" + key + "'");
      split.test = id_list(value, key, path);
      have_test = true;
    } else {
      throw FormatError(
          "split file: unknown key \"" + key + "\"; expected \"training\" and \"test\"",
          path.string(), "key '" + key + "'");
    }
  }
  if (!have_train || !have_test) {
    throw FormatError("split file must have both \"training\" and \"test\" lists", path.string());
  }
  std::set<std::string> seen;
  for (const auto* part : {&split.training, &split.test}) {
    for (const auto& id : *part) {
      if (!seen.insert(id).second) {
        throw FormatError("split file lists id '" + id + "' twice", path.string(),
                          "id '" + id + "'");
      }
    }
  }
  return split;
}

void check_split(const DataSplit& split, const std::string& source) {
  if (split.training.empty()) {
    throw ConfigError("the training split is empty (" + source +
                      "); expected at least one video id with features and annotations");
  }
  if (split.test.empty()) {
    throw ConfigError("the held-out test split is empty (" + source +
                      "); expected at least one video id with features and annotations");
  }
  std::set<std::string> train(split.training.begin(), split.training.end());
  for (const auto& id : split.test) {
    if (train.count(id)) {
      throw ConfigError("video '" + id + "' is in both the training and the test split (" + source +
                        ")");
    }
  }
}

}  // namespace teamor::detector
