#include "detector/point_generator.h"

#include <torch/torch.h>

#include "common/error.h"

namespace teamor::detector {

std::vector<torch::Tensor> generate_points(const std::vector<int64_t>& level_lengths,
                                           const DetectorConfig& config) {
  const auto& ranges = config.model.regression_range;
  if (level_lengths.size() > ranges.size())
    throw ConfigError("model.regression_range has " + std::to_string(ranges.size()) +
                          " entries but the pyramid has " + std::to_string(level_lengths.size()) +
                          " levels",
                      {}, "model.regression_range");
  std::vector<torch::Tensor> points;
  int64_t stride = 1;
  for (std::size_t l = 0; l < level_lengths.size(); ++l) {
    const int64_t n = level_lengths[l];
    // Same construction as the reference buffer: arange(0, max_len, stride) in float32.
    auto t = torch::arange(0, n * stride, stride, torch::kFloat32).slice(0, 0, n);
    auto lo = torch::full({n}, static_cast<float>(ranges[l].first), torch::kFloat32);
    auto hi = torch::full({n}, static_cast<float>(ranges[l].second), torch::kFloat32);
    auto s = torch::full({n}, static_cast<float>(stride), torch::kFloat32);
    points.push_back(torch::stack({t, lo, hi, s}, 1));  // [T_l, 4]
    stride *= config.model.scale_factor;
  }
  return points;
}

}  // namespace teamor::detector
