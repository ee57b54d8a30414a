#pragma once
// FeatureExtractor: the frames of one clip of every view in, one fused feature vector out.
//
//   auto config = teamor::features::BackendConfig::from_json(model_json["features"]);
//   auto fx = teamor::features::FeatureExtractor::create(config, bundle_dir);
//   io::MultiViewReader reader(recording, {.format = fx->input_format()});
//   io::ClipSampler sampler(grid);
//   fx->begin(recording.views, grid);                  // resets per-view state (background models)
//   FeatureSequence seq = fx->make_sequence(recording.views, grid);
//   for (int64_t g = 0; g < sampler.clip_count(reader.duration_s()); ++g)
//     seq.append(fx->extract_clip(reader.clip(g, sampler)));   // [view][k] optional frames
//   // batching backends (torchscript) are faster with extract_clips({clip_a, clip_b, ...}).
//
// The fused vector has a fixed layout (see features/README.md): the ceiling block(s), then the
// endoscope block; each block is the backend's per-view vector followed by one presence channel.
// A view whose frames are all nullopt contributes nothing (its block is zeros, presence 0), so a
// missing view degrades the features instead of failing. Clips must be given in time order.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "features/backend_config.h"
#include "features/feature_sequence.h"
#include "io/clip_sampler.h"
#include "io/frame.h"
#include "io/recording.h"

namespace teamor::features {

/// Frames of one clip: [view][k], k < grid.clip_frames (or k < frames_per_clip(), see
/// extract_clip).
using ClipFrames = std::vector<std::vector<std::optional<io::Frame>>>;

class ViewBackend;

/// @brief A feature backend plus view fusion. Not thread-safe: use one per thread.
class FeatureExtractor {
 public:
  /// @brief Builds the backend named config.backend (see registry.h) and the fusion.
  /// @param bundle_dir folder that relative weight file names in config.settings resolve against
  /// @throws ConfigError for unknown backends or settings; ModelError / IoError for weight files
  static std::unique_ptr<FeatureExtractor> create(const BackendConfig& config,
                                                  const std::filesystem::path& bundle_dir);
  /// @brief Wraps an already built backend (tests, custom backends).
  FeatureExtractor(std::unique_ptr<ViewBackend> backend, const BackendConfig& config);
  ~FeatureExtractor();
  FeatureExtractor(const FeatureExtractor&) = delete;
  FeatureExtractor& operator=(const FeatureExtractor&) = delete;

  /// Backend name (config.backend).
  const std::string& backend_name() const;
  /// The config it was built from.
  const BackendConfig& config() const;
  /// Frame size and pixel layout to ask the reader for (other sizes work, at a resize's cost).
  io::FrameFormat input_format() const;
  /// Frames of each clip the backend looks at.
  int frames_per_clip() const;
  /// @brief Which frames k of a clip of @p grid are used (sorted, frames_per_clip() entries); a
  /// pipeline may decode only these.
  std::vector<int> frame_indices(const io::ClipGrid& grid) const;
  /// Length of one view's vector (before fusion, without presence flag).
  int view_dimension() const;

  /// @brief Length of the fused vector for a recording with @p views.
  /// @throws ConfigError when Concat fusion has fewer slots than the recording has ceiling views
  int dimension(const std::vector<io::View>& views) const;
  /// @brief Names of the fused channels ("ceiling.motion.diff_mean", "ceiling.present",
  /// "ceiling1.<...>" for Concat, "endoscope.<...>"), dimension(views) entries.
  std::vector<std::string> channel_names(const std::vector<io::View>& views) const;

  /// @brief Starts a recording: remembers the views' roles, resets per-view state.
  /// @param grid the clip grid extract_clip's frames come from
  /// @throws ConfigError as dimension(), or when the backend wants more frames per clip than the
  /// grid's clips have
  void begin(const std::vector<io::View>& views, const io::ClipGrid& grid = {});

  /// @brief One fused vector for one clip.
  /// @param clip_frames [view][k] with views.size() rows; each row has either grid.clip_frames
  /// frames (the extractor picks frame_indices()) or exactly frames_per_clip() frames (already
  /// picked). Missing frames in a view are filled from the nearest present frame of that view.
  /// @return dimension(views) floats
  /// @throws ConfigError when begin() was not called or the shape does not match
  std::vector<float> extract_clip(const ClipFrames& clip_frames);

  /// @brief Like extract_clip for several consecutive clips at once (lets backends batch).
  /// @return one vector per clip
  std::vector<std::vector<float>> extract_clips(const std::vector<ClipFrames>& clips);

  /// @brief An empty sequence with this extractor's grid, backend and channel names.
  FeatureSequence make_sequence(const std::vector<io::View>& views,
                                const io::ClipGrid& grid = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teamor::features
