#include "app/pipeline/batch_inputs.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>

#include "common/error.h"

namespace teamor::app::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kManifestName = "recording.json";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

/// A folder is a recording when it has a manifest or at least one video file directly in it.
bool is_recording_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_regular_file(folder / kManifestName, ec)) return true;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.is_regular_file(ec) && is_video_file(entry.path()) && !is_hidden(entry.path())) {
      return true;
    }
  }
  return false;
}

/// Id of a recording path: the manifest's stem, or the folder name for a folder or for a manifest
/// called recording.json (its folder names the recording).
std::string id_of(const fs::path& path) {
  const fs::path normal = path.lexically_normal();
  fs::path name = normal.filename();
  if (name.empty()) name = normal.parent_path().filename();  // "dir/" has an empty filename
  if (name == kManifestName) return normal.parent_path().filename().string();
  if (lower(name.extension().string()) == ".json") return name.stem().string();
  return name.string();
}

bool same_path(const fs::path& a, const fs::path& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::vector<BatchInput> read_list_file(const fs::path& list) {
  std::ifstream in(list);
  if (!in) throw IoError("cannot open the list of recordings", list.string());
  std::vector<BatchInput> inputs;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string entry = trim(line);
    if (entry.empty() || entry.front() == '#') continue;
    fs::path path(entry);
    if (path.is_relative()) path = list.parent_path() / path;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      throw IoError("listed recording '" + entry + "' does not exist (expected a folder or a " +
                        "recording.json manifest)",
                    list.string(), "line " + std::to_string(line_number));
    }
    inputs.push_back({id_of(path), path.lexically_normal()});
  }
  return inputs;
}

std::vector<BatchInput> scan_folder(const fs::path& folder, const fs::path& exclude) {
  if (is_recording_folder(folder)) return {{id_of(folder), folder.lexically_normal()}};
  std::vector<BatchInput> inputs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const fs::path& path = entry.path();
    if (is_hidden(path) || same_path(path, exclude)) continue;
    if (entry.is_directory(ec)) {
      if (is_recording_folder(path)) inputs.push_back({id_of(path), path.lexically_normal()});
    } else if (entry.is_regular_file(ec) && lower(path.extension().string()) == ".json") {
      inputs.push_back({id_of(path), path.lexically_normal()});
    }
  }
  if (ec) throw IoError("cannot list the folder: " + ec.message(), folder.string());
  return inputs;
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  auto bad = [&] {
    return ConfigError(
        "--shard '" + std::string(text) +
        "' is not of the form I/N with 0 <= I < N (e.g. 0/4, the first of 4 shards)");
  };
  if (slash == std::string_view::npos) throw bad();
  Shard shard;
  const auto* begin = text.data();
  auto r1 = std::from_chars(begin, begin + slash, shard.index);
  auto r2 = std::from_chars(begin + slash + 1, begin + text.size(), shard.count);
  if (r1.ec != std::errc{} || r1.ptr != begin + slash || r2.ec != std::errc{} ||
      r2.ptr != begin + text.size() || shard.count < 1 || shard.index < 0 ||
      shard.index >= shard.count) {
    throw bad();
  }
  return shard;
}

std::string to_string(const Shard& shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

bool is_video_file(const fs::path& path) {
  static constexpr std::array<std::string_view, 9> kExtensions = {
      ".mp4", ".mkv", ".avi", ".mov", ".m4v", ".webm", ".mpg", ".mpeg", ".ts"};
  const std::string ext = lower(path.extension().string());
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::vector<BatchInput> discover_batch_inputs(const fs::path& input, const fs::path& exclude) {
  std::error_code ec;
  if (!fs::exists(input, ec)) {
    throw IoError("batch input does not exist (expected a folder of recordings or a list file)",
                  input.string());
  }
  std::vector<BatchInput> inputs =
      fs::is_directory(input, ec) ? scan_folder(input, exclude) : read_list_file(input);
  if (inputs.empty()) {
    throw ConfigError("found no recordings (expected sub-folders with recording.json or video " +
                          std::string("files, *.json manifests, or a list file)"),
                      input.string());
  }
  std::sort(inputs.begin(), inputs.end(), [](const BatchInput& a, const BatchInput& b) {
    return a.id != b.id ? a.id < b.id : a.path < b.path;
  });
  // Ids name the result files, so two recordings with one id would overwrite each other's results.
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    if (inputs[i].id == inputs[i - 1].id) {
      throw ConfigError("two recordings have the id '" + inputs[i].id + "' (" +
                            inputs[i - 1].path.string() + " and " + inputs[i].path.string() +
                            "); their result files would collide, rename one",
                        input.string());
    }
  }
  return inputs;
}

std::vector<BatchInput> select_shard(const std::vector<BatchInput>& inputs, const Shard& shard) {
  TEAMOR_ASSERT(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count);
  std::vector<BatchInput> mine;
  for (std::size_t i = static_cast<std::size_t>(shard.index); i < inputs.size();
       i += static_cast<std::size_t>(shard.count)) {
    mine.push_back(inputs[i]);
  }
  return mine;
}

}  // namespace teamor::app::pipeline
