#pragma once
// ViewBackend: what a feature backend implements. It turns the sampled frames of one view's clip
// into one vector; FeatureExtractor (feature_extractor.h) picks the frames, fills gaps, fuses the
// views. Users never call it directly; backends register a factory under a name in
// features/registry.h.

#include <span>
#include <string>
#include <vector>

#include "io/frame.h"
#include "io/recording.h"

namespace teamor::features {

/// @brief One view's part of one clip, as handed to a backend.
struct ViewClip {
  std::size_t view = 0;  ///< index of the view in the recording (for per-view state)
  io::ViewRole role = io::ViewRole::Other;
  std::vector<const io::Frame*> frames;  ///< frames_per_clip() frames, none null, in time order
};

/// @brief Interface of a per-view feature backend.
class ViewBackend {
 public:
  virtual ~ViewBackend() = default;

  /// Length of one view's vector.
  virtual int dimension() const = 0;
  /// One name per channel ("motion.diff_mean", "vm2.0017"), dimension() entries.
  virtual std::vector<std::string> channel_names() const = 0;
  /// Frame size and layout the backend works on; other sizes are resized internally.
  virtual io::FrameFormat input_format() const = 0;
  /// Frames of a clip the backend wants (>= 1, <= the grid's clip_frames).
  virtual int frames_per_clip() const = 0;
  /// @brief Which frames of a clip of @p clip_frames frames it uses: frames_per_clip() sorted
  /// indices in [0, clip_frames). The default spreads them evenly: k_j = j * clip_frames / n.
  virtual std::vector<int> frame_indices(int clip_frames) const;
  /// @brief Starts a new recording with @p view_count views: drops per-view temporal state.
  virtual void begin(std::size_t view_count) = 0;
  /// @brief Computes one vector per entry of @p clips into @p out (clips.size() * dimension()
  /// floats, row-major). Entries may belong to different views and, for batching backends, to
  /// consecutive clips; entries of one view come in time order.
  /// @throws ModelError when the model fails on the input
  virtual void extract(std::span<const ViewClip> clips, std::span<float> out) = 0;
};

}  // namespace teamor::features
