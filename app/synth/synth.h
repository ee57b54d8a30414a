#pragma once
// Synthetic operating-room recordings: a 3-D room with a gowned team rendered by ceiling cameras
// plus a laparoscope view, with Time-outs and StOP?-briefings at known times (the ground truth).
//
//   teamor::synth::SynthOptions options;          // 10 min, 4 views, 30 fps, 640x360, seed 1
//   options.minutes = 2;
//   options.time_scale = 0.2;                     // shorter protocols (tests)
//   auto result = teamor::synth::render_recording(options, "out/OR1");
//   // out/OR1: ceiling1.mp4 ... ceiling3.mp4, endoscope.mp4, recording.json, ground_truth.json
//   for (const auto& s : result.ground_truth) std::cout << s.label << " " << s.start_s << "\n";
//
// The same options (seed included) give the same ground truth bytes and the same decoded frames.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "annotations/segment.h"
#include "common/progress.h"

namespace teamor::synth {

/// @brief Everything that shapes a synthetic recording; defaults match `teamor synth` without
/// options.
struct SynthOptions {
  double minutes = 10.0;   ///< recording length, minutes (0 < minutes <= 600)
  int views = 4;           ///< views in total: views-1 ceiling cameras + 1 laparoscope (2..9)
  double fps = 30.0;       ///< frames per second of every view (1..120)
  int width = 640;         ///< frame width, pixels (even, 128..3840)
  int height = 360;        ///< frame height, pixels (even, 72..2160)
  std::uint64_t seed = 1;  ///< random seed: the recording is a pure function of the options
  int timeouts = 1;        ///< Time-outs before incision (0..3)
  int stops = 1;           ///< StOP?-briefings during surgery (0..3)
  double time_scale =
      1.0;         ///< factor on protocol durations (Time-out 60-150 s, StOP? 30-90 s), (0, 1]
  std::string id;  ///< recording id; empty = "synth-<seed>"
  std::string subset = "validation";  ///< ActivityNet subset written with the ground truth
  std::string codec = "auto";         ///< VideoWriter codec ("auto", "libx264", "mpeg4")
  std::string preset = "ultrafast";   ///< x264 preset
  int crf = 23;                       ///< x264 quality
  int threads = 0;                    ///< views rendered in parallel, 0 = one per core

  /// @brief Checks every value and that the protocols fit into the recording.
  /// @throws ConfigError naming the command-line option ("--minutes", "--size", ...) and the value
  void validate() const;
  /// The recording id actually used.
  std::string resolved_id() const;
};

/// @brief What render_recording wrote.
struct SynthResult {
  std::string id;
  std::filesystem::path manifest;                  ///< out_dir/recording.json
  std::filesystem::path ground_truth_file;         ///< out_dir/ground_truth.json (ActivityNet v1.3)
  std::vector<std::filesystem::path> videos;       ///< one per view, ceiling views first
  std::vector<annotations::Segment> ground_truth;  ///< Time-out and StOP? intervals, seconds
  double duration_s = 0;                           ///< recording length, seconds
  std::int64_t frames_per_view = 0;
  double incision_s = 0;       ///< laparoscope inserted (textured from here)
  double scope_removed_s = 0;  ///< laparoscope removed (dark again from here)
  /// Where the centre of the operating table's top appears in each ceiling view, pixels (x, y);
  /// lets callers check that the views agree about the 3-D scene.
  std::vector<std::pair<double, double>> table_center_px;
};

/// @brief Renders and encodes a whole recording into @p out_dir (created if missing).
/// @param progress called from the calling thread with frames done / total (may be empty)
/// @param cancel checked every frame; cancelling throws CancelledError and publishes no video
/// @throws ConfigError for invalid options, IoError when a file cannot be written
SynthResult render_recording(const SynthOptions& options, const std::filesystem::path& out_dir,
                             const ProgressCallback& progress = {},
                             const CancelToken* cancel = nullptr);

}  // namespace teamor::synth
