#pragma once
// Internal to the skeleton backend: people tracked over one clip's poses and the weight-free
// skeleton statistics (features/README.md, "skeleton").

#include <string>
#include <vector>

#include "features/bodypix_pose.h"

namespace teamor::features::skeleton {

/// Channel names of statistics(), in order.
std::vector<std::string> statistic_names();

/// A person followed through the clip: one pose per analysed frame (nullptr-free; frames where the
/// person was not found are skipped, `frame` gives the index).
struct Track {
  std::vector<int> frame;
  std::vector<pose::Pose> poses;
};

/// @brief Links the poses of consecutive frames greedily by centre distance.
/// @param frames poses per analysed frame, in time order
std::vector<Track> track(const std::vector<std::vector<pose::Pose>>& frames);

/// @brief Weight-free statistics of one view clip (statistic_names().size() values into @p out).
void statistics(const std::vector<std::vector<pose::Pose>>& frames,
                const std::vector<Track>& tracks, float* out);

/// @brief ST-GCN++ input [1, M, T, 17, 3] (x', y', score) from the @p persons longest tracks,
/// coordinates normalised to [-1, 1] as mmaction2's PreNormalize2D; empty slots (-1, -1, 0).
std::vector<float> graph_input(const std::vector<Track>& tracks, int frames, int persons);

}  // namespace teamor::features::skeleton
