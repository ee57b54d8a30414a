#include "io/recording.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::io {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifestName = "recording.json";

/// File extensions taken as videos when a plain folder is discovered (lower case).
const std::set<std::string> kVideoExtensions = {".mp4", ".m4v", ".mov",  ".mkv", ".webm", ".avi",
                                                ".ts",  ".mts", ".m2ts", ".mpg", ".mpeg", ".wmv",
                                                ".flv", ".mxf", ".3gp",  ".ogv"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_video_file(const fs::path& path) {
  return kVideoExtensions.count(lower(path.extension().string())) > 0;
}

ViewRole guess_role(const std::string& name) {
  const std::string n = lower(name);
  for (const char* word : {"endo", "lap", "scope"})
    if (n.find(word) != std::string::npos) return ViewRole::Endoscope;
  for (const char* word : {"ceil", "cam"})
    if (n.find(word) != std::string::npos) return ViewRole::Ceiling;
  return ViewRole::Other;
}

std::optional<ViewRole> role_from_string(const std::string& text) {
  if (text == "ceiling") return ViewRole::Ceiling;
  if (text == "endoscope") return ViewRole::Endoscope;
  if (text == "other") return ViewRole::Other;
  return std::nullopt;
}

const char* type_name(const json& value) {
  return value.type_name();
}

/// Strict reader of one manifest: every key known, every value of the right type.
class ManifestParser {
 public:
  explicit ManifestParser(fs::path manifest) : manifest_(std::move(manifest)) {}

  Recording parse() {
    const json doc = load();
    if (!doc.is_object())
      fail("(top level)", std::string("expected a JSON object, found ") + type_name(doc));
    Recording rec;
    rec.manifest = manifest_;
    rec.root = manifest_.parent_path();
    rec.id = rec.root.filename().string();
    bool has_views = false;
    for (const auto& [key, value] : doc.items()) {
      if (key == "id") {
        rec.id = string_value(value, "id");
        if (rec.id.empty()) fail("id", "expected a non-empty recording id, found \"\"");
      } else if (key == "views") {
        has_views = true;
        if (!value.is_array())
          fail("views", std::string("expected an array of views, found ") + type_name(value));
        for (std::size_t i = 0; i < value.size(); ++i)
          rec.views.push_back(parse_view(value[i], "views[" + std::to_string(i) + "]", rec.root));
      } else if (key == "annotations") {
        rec.annotations = resolve(rec.root, string_value(value, "annotations"));
      } else {
        fail(key, "unknown key '" + key + "' (expected id, views, annotations)");
      }
    }
    if (!has_views) fail("views", "the manifest has no 'views' array");
    if (rec.views.empty()) fail("views", "expected at least one view, found an empty array");
    std::set<std::string> names;
    for (std::size_t i = 0; i < rec.views.size(); ++i)
      if (!names.insert(rec.views[i].name).second)
        fail("views[" + std::to_string(i) + "].name",
             "view name '" + rec.views[i].name + "' is used twice; names must be unique");
    return rec;
  }

 private:
  json load() const {
    std::ifstream in(manifest_, std::ios::binary);
    if (!in) throw IoError("cannot open the recording manifest for reading", manifest_.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
      return json::parse(buffer.str());
    } catch (const json::parse_error& e) {
      throw FormatError(std::string("expected valid JSON: ") + e.what(), manifest_.string(),
                        "byte " + std::to_string(e.byte));
    }
  }

  View parse_view(const json& value, const std::string& where, const fs::path& root) const {
    if (!value.is_object())
      fail(where, std::string("expected a view object, found ") + type_name(value));
    View view;
    bool has_name = false, has_path = false;
    for (const auto& [key, item] : value.items()) {
      const std::string at = where + "." + key;
      if (key == "name") {
        view.name = string_value(item, at);
        has_name = !view.name.empty();
      } else if (key == "path") {
        const std::string path = string_value(item, at);
        if (path.empty()) fail(at, "expected a video file path, found \"\"");
        view.path = resolve(root, path);
        has_path = true;
      } else if (key == "role") {
        const std::string role = string_value(item, at);
        const auto parsed = role_from_string(role);
        if (!parsed) fail(at, "expected 'ceiling', 'endoscope' or 'other', found '" + role + "'");
        view.role = *parsed;
      } else if (key == "offset_s") {
        if (!item.is_number())
          fail(at, std::string("expected a number of seconds, found ") + type_name(item));
        view.offset_s = item.get<double>();
        if (!std::isfinite(view.offset_s)) fail(at, "expected a finite number of seconds");
      } else {
        fail(at, "unknown key '" + key + "' (expected name, path, role, offset_s)");
      }
    }
    if (!has_name) fail(where + ".name", "every view needs a non-empty 'name'");
    if (!has_path) fail(where + ".path", "view '" + view.name + "' has no 'path'");
    return view;
  }

  std::string string_value(const json& value, const std::string& key) const {
    if (!value.is_string()) fail(key, std::string("expected a string, found ") + type_name(value));
    return value.get<std::string>();
  }

  static fs::path resolve(const fs::path& root, const std::string& relative) {
    const fs::path p(relative);
    return (p.is_absolute() ? p : root / p).lexically_normal();
  }

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw FormatError(message, manifest_.string(), "key '" + key + "'");
  }

  fs::path manifest_;
};

Recording discover(const fs::path& folder) {
  Recording rec;
  rec.root = folder;
  rec.id = folder.filename().string();
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_regular_file(ec) && is_video_file(entry.path())) files.push_back(entry.path());
  if (ec) throw IoError("cannot list the recording folder: " + ec.message(), folder.string());
  if (files.empty())
    throw IoError(std::string("expected ") + kManifestName +
                      " or video files (.mp4, .mkv, .avi, ...) in the folder, found neither",
                  folder.string());
  std::sort(files.begin(), files.end());
  std::set<std::string> stems;
  for (const auto& f : files)
    stems.insert(f.stem().string());
  const bool stems_unique = stems.size() == files.size();
  for (const auto& f : files) {
    View view;
    view.name = stems_unique ? f.stem().string() : f.filename().string();
    view.path = f;
    view.role = guess_role(view.name);
    rec.views.push_back(std::move(view));
  }
  return rec;
}

}  // namespace

std::string_view to_string(ViewRole role) {
  switch (role) {
    case ViewRole::Ceiling:
      return "ceiling";
    case ViewRole::Endoscope:
      return "endoscope";
    case ViewRole::Other:
      return "other";
  }
  return "other";
}

Recording Recording::open(const fs::path& path) {
  std::error_code ec;
  const fs::path full = fs::absolute(path, ec).lexically_normal();
  if (!fs::exists(full, ec))
    throw IoError("the recording does not exist (expected a folder or a recording.json)",
                  path.string());
  if (fs::is_directory(full, ec)) {
    const fs::path manifest = full / kManifestName;
    if (fs::exists(manifest, ec)) return ManifestParser(manifest).parse();
    // A trailing slash gives an empty filename; the folder's own name is the id.
    Recording rec = discover(full);
    if (rec.id.empty()) rec.id = full.parent_path().filename().string();
    return rec;
  }
  if (lower(full.extension().string()) == ".json") return ManifestParser(full).parse();
  if (is_video_file(full)) {
    Recording rec;
    rec.root = full.parent_path();
    rec.id = full.stem().string();
    rec.views.push_back({full.stem().string(), full, guess_role(full.stem().string()), 0.0});
    return rec;
  }
  throw IoError("expected a recording folder, a recording.json manifest or a video file, found a " +
                    full.extension().string() + " file",
                path.string());
}

void Recording::save(const fs::path& manifest_path) const {
  std::error_code ec;
  const fs::path folder = fs::absolute(manifest_path, ec).parent_path();
  json doc;
  doc["id"] = id;
  json views_json = json::array();
  for (const auto& view : views) {
    views_json.push_back({{"name", view.name},
                          {"path", view.path.lexically_proximate(folder).generic_string()},
                          {"role", std::string(to_string(view.role))},
                          {"offset_s", view.offset_s}});
  }
  doc["views"] = std::move(views_json);
  if (annotations) doc["annotations"] = annotations->lexically_proximate(folder).generic_string();
  write_file_atomically(manifest_path, doc.dump(2) + "\n");
}

void Recording::check_views_exist() const {
  for (const auto& view : views) {
    std::error_code ec;
    const std::string who = "view '" + view.name + "'";
    if (!fs::exists(view.path, ec))
      throw IoError(who + ": the video file does not exist", view.path.string());
    if (!fs::is_regular_file(view.path, ec))
      throw IoError(who + ": expected a video file, found a folder or special file",
                    view.path.string());
    std::ifstream in(view.path, std::ios::binary);
    char byte = 0;
    if (!in || !in.read(&byte, 1))
      throw IoError(who + ": the video file cannot be read (permissions, or empty)",
                    view.path.string());
  }
}

}  // namespace teamor::io
