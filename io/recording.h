#pragma once
// A recording: several synchronized views (ceiling cameras, laparoscope) described by a manifest
// `recording.json` or discovered in a plain folder of video files.
//
//   auto rec = teamor::io::Recording::open("OR12/");   // folder with recording.json, or videos only
//   for (const auto& view : rec.views) std::cout << view.name << " " << view.path << "\n";
//
// recording.json:
//   {"id": "OR12", "views": [{"name": "ceiling1", "path": "cam1.mp4", "role": "ceiling",
//     "offset_s": 0.0}, ...], "annotations": "ground_truth.json"}

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace teamor::io {

enum class ViewRole { Ceiling, Endoscope, Other };

std::string_view to_string(ViewRole role);

/// One camera view of a recording. view_time = timeline_time + offset_s.
struct View {
  std::string name;
  std::filesystem::path path;  ///< absolute (resolved against the manifest's folder)
  ViewRole role = ViewRole::Other;
  double offset_s = 0;
};

struct Recording {
  std::string id;
  std::filesystem::path root;      ///< folder of the manifest (or the discovered folder)
  std::filesystem::path manifest;  ///< path of recording.json, empty when discovered
  std::vector<View> views;
  std::optional<std::filesystem::path> annotations;  ///< absolute path when the manifest names one

  /// @brief Opens a manifest file, a folder holding recording.json, or a folder of video files
  /// (views named after the files, roles guessed from names: "endo", "lap", "scope" = endoscope).
  /// @throws IoError / FormatError naming the file and the view when something is missing or wrong
  static Recording open(const std::filesystem::path& path);

  /// @brief Writes this recording as a manifest (paths relative to the manifest's folder), atomically.
  void save(const std::filesystem::path& manifest_path) const;

  /// @brief Throws IoError naming the view and file for the first view whose file is missing or
  /// unreadable.
  void check_views_exist() const;
};

}  // namespace teamor::io
