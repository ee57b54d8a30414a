#pragma once
// Helpers for the annotation tests: where the data lives, and a sample collection that uses every
// field the model has.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "annotations/annotation_set.h"

namespace teamor::annotations::testing {

inline std::filesystem::path shared_dir() {
  return TEAMOR_SHARED_DIR;
}
inline std::filesystem::path data_dir() {
  return std::filesystem::path(TEAMOR_SOURCE_DIR) / "tests" / "data";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A fresh temporary folder per test.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("teamor_ann_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Two recordings, both labels, ground truth and scored predictions in several states, views,
/// notes with commas, quotes and non-ASCII text, times that are not whole milliseconds apart.
inline AnnotationCollection sample_collection() {
  AnnotationCollection c;
  AnnotationSet a;
  a.recording_id = "or12_2024-03-02";
  a.fps = 30;
  a.duration_s = 7412.6;
  a.media = {{"ceiling1", "cam1.mp4", 0.0}, {"ceiling2", "cam2.mp4", 1.5}};
  a.segments = {
      {"Time-out", 812.4, 905.1, std::nullopt, Source::GroundTruth, ReviewState::Accepted, "", ""},
      {"StOP?", 3120.0, 3188.5, std::nullopt, Source::GroundTruth, ReviewState::Accepted, "", ""},
      {"Time-out", 809.7, 903.25, 0.91, Source::Prediction, ReviewState::Proposed, "", ""},
      {"StOP?", 3100.033, 3190.5, 0.22, Source::Prediction, ReviewState::Rejected, "",
       "wrong, \"early\" – zu früh"},
      {"Time-out", 100.0, 130.0, 0.4, Source::Prediction, ReviewState::Accepted, "", ""},
  };
  c[a.recording_id] = a;
  AnnotationSet b;
  b.recording_id = "or13";
  b.fps = 25;
  b.segments = {
      {"Time-out", 60.0, 75.5, 0.75, Source::Prediction, ReviewState::Edited, "", "moved start"},
      {"StOP?", 0.0, 12.345, std::nullopt, Source::Reviewer, ReviewState::Accepted, "", ""},
  };
  c[b.recording_id] = b;
  return c;
}

}  // namespace teamor::annotations::testing
