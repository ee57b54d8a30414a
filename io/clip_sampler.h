#pragma once
// ClipSampler: the feature grid. Clip g covers the nominal frames [g*stride, g*stride + clip_frames)
// at the nominal fps, i.e. timeline times t_k = (g*stride + k) / fps; a view at another or variable
// frame rate is sampled by timestamp (nearest frame at or before t_k + half a nominal frame), so all
// views line up. Grid index <-> seconds: center(g) = (g*stride + clip_frames/2) / fps.

#include <cstdint>
#include <vector>

namespace teamor::io {

struct ClipGrid {
  int clip_frames = 32;   ///< frames per clip
  int stride = 32;        ///< nominal frames between clip starts
  double fps = 30.0;      ///< nominal frame rate of the grid
  friend bool operator==(const ClipGrid&, const ClipGrid&) = default;
};

class ClipSampler {
 public:
  /// @throws ConfigError when clip_frames or stride < 1 or fps <= 0
  explicit ClipSampler(ClipGrid grid = {});

  const ClipGrid& grid() const { return grid_; }
  /// Number of whole clips that fit in @p duration_s seconds of timeline.
  std::int64_t clip_count(double duration_s) const;
  /// Timeline time (s) of frame @p k (0 <= k < clip_frames) of clip @p g.
  double frame_time(std::int64_t g, int k) const;
  /// All clip_frames timeline times of clip @p g.
  std::vector<double> clip_times(std::int64_t g) const;
  /// Timeline time of clip @p g's start, end (exclusive) and center (the reference convention).
  double clip_start_s(std::int64_t g) const;
  double clip_end_s(std::int64_t g) const;
  double clip_center_s(std::int64_t g) const;
  /// Grid index whose center is nearest to @p time_s (may be negative or past the end).
  double grid_position(double time_s) const;

 private:
  ClipGrid grid_;
};

}  // namespace teamor::io
