#pragma once
// Writing a synthetic recording's side files: the manifest in io/recording.h's format and the
// ground truth in ActivityNet v1.3 JSON (internal to teamor_synth; render_recording() calls these).

#include <filesystem>
#include <string>
#include <vector>

#include "annotations/segment.h"

namespace teamor::synth {

struct ManifestView {
  std::string name;
  std::string file;  ///< relative to the manifest's folder
  std::string role;  ///< "ceiling" or "endoscope"
  double offset_s = 0;
};

/// @brief Writes recording.json atomically. @throws IoError naming the path
void write_manifest(const std::filesystem::path& path, const std::string& id,
                    const std::vector<ManifestView>& views, const std::string& annotations_file);

/// @brief Writes ActivityNet v1.3 ground truth with one database entry, atomically.
/// @param duration_s recording length, seconds; @param fps nominal frame rate
void write_activitynet(const std::filesystem::path& path, const std::string& id,
                       const std::string& subset, double duration_s, double fps,
                       const std::vector<annotations::Segment>& segments);

}  // namespace teamor::synth
