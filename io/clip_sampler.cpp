#include "io/clip_sampler.h"

#include <cmath>
#include <string>

#include "common/error.h"

namespace teamor::io {
namespace {

/// Tolerance for "a whole clip fits": durations computed from frame counts land a hair below.
constexpr double kFrameEpsilon = 1e-6;

}  // namespace

ClipSampler::ClipSampler(ClipGrid grid) : grid_(grid) {
  if (grid_.clip_frames < 1)
    throw ConfigError("clip_frames must be at least 1, found " + std::to_string(grid_.clip_frames));
  if (grid_.stride < 1)
    throw ConfigError("stride must be at least 1 frame, found " + std::to_string(grid_.stride));
  if (!(grid_.fps > 0) || !std::isfinite(grid_.fps))
    throw ConfigError("fps must be a positive number, found " + std::to_string(grid_.fps));
}

std::int64_t ClipSampler::clip_count(double duration_s) const {
  if (!(duration_s > 0)) return 0;
  const double frames = duration_s * grid_.fps + kFrameEpsilon;
  if (frames < grid_.clip_frames) return 0;
  return static_cast<std::int64_t>(std::floor((frames - grid_.clip_frames) / grid_.stride)) + 1;
}

double ClipSampler::frame_time(std::int64_t g, int k) const {
  return static_cast<double>(g * grid_.stride + k) / grid_.fps;
}

std::vector<double> ClipSampler::clip_times(std::int64_t g) const {
  std::vector<double> times(static_cast<std::size_t>(grid_.clip_frames));
  for (int k = 0; k < grid_.clip_frames; ++k)
    times[static_cast<std::size_t>(k)] = frame_time(g, k);
  return times;
}

double ClipSampler::clip_start_s(std::int64_t g) const {
  return frame_time(g, 0);
}

double ClipSampler::clip_end_s(std::int64_t g) const {
  return static_cast<double>(g * grid_.stride + grid_.clip_frames) / grid_.fps;
}

double ClipSampler::clip_center_s(std::int64_t g) const {
  // The reference convention t = (g * stride + clip_frames / 2) / fps (Python's true division).
  return (static_cast<double>(g * grid_.stride) + 0.5 * grid_.clip_frames) / grid_.fps;
}

double ClipSampler::grid_position(double time_s) const {
  return (time_s * grid_.fps - 0.5 * grid_.clip_frames) / grid_.stride;
}

}  // namespace teamor::io
