#include "detector/label_assigner.h"

#include <torch/torch.h>
#include <limits>

#include "common/error.h"

namespace teamor::detector {

LabelTargets assign_labels(const torch::Tensor& points, const torch::Tensor& segments,
                           const torch::Tensor& labels, const LabelAssignerOptions& options) {
  TEAMOR_ASSERT(points.dim() == 2 && points.size(1) == 4);
  TEAMOR_ASSERT(options.num_classes >= 1);
  const auto num_pts = points.size(0);
  const auto fopts = torch::TensorOptions().dtype(torch::kFloat32).device(points.device());
  if (!segments.defined() || segments.numel() == 0) {
    return {torch::zeros({num_pts, options.num_classes}, fopts), torch::zeros({num_pts, 2}, fopts)};
  }
  TEAMOR_ASSERT(segments.dim() == 2 && segments.size(1) == 2);
  TEAMOR_ASSERT(labels.dim() == 1 && labels.size(0) == segments.size(0));
  TEAMOR_ASSERT(labels.min().item<std::int64_t>() >= 0 &&
                labels.max().item<std::int64_t>() < options.num_classes);
  const auto num_gts = segments.size(0);
  const auto seg = segments.to(fopts);

  // Every (point, truth) pair at once: [P, N]. The float32 operation order follows the reference so
  // that ties in the strict comparisons resolve the same way.
  auto lens = (seg.select(1, 1) - seg.select(1, 0)).unsqueeze(0).repeat({num_pts, 1});
  const auto gt = seg.unsqueeze(0).expand({num_pts, num_gts, 2});
  const auto t = points.select(1, 0).unsqueeze(1);
  const auto stride = points.select(1, 3).unsqueeze(1);
  const auto left = t - gt.select(2, 0);
  const auto right = gt.select(2, 1) - t;
  const auto reg_all = torch::stack({left, right}, -1);  // [P, N, 2]

  torch::Tensor inside;
  if (options.center_sample) {
    const auto centre = (gt.select(2, 0) + gt.select(2, 1)) * 0.5;
    const auto t_min = centre - stride * options.center_sample_radius;
    const auto t_max = centre + stride * options.center_sample_radius;
    const auto dist_left = t - torch::maximum(t_min, gt.select(2, 0));
    const auto dist_right = torch::minimum(t_max, gt.select(2, 1)) - t;
    inside = std::get<0>(torch::stack({dist_left, dist_right}, -1).min(-1)) > 0;
  } else {
    inside = std::get<0>(reg_all.min(-1)) > 0;
  }
  const auto max_dist = std::get<0>(reg_all.max(-1));
  const auto in_range = torch::logical_and(max_dist >= points.select(1, 1).unsqueeze(1),
                                           max_dist <= points.select(1, 2).unsqueeze(1));
  const double inf = std::numeric_limits<double>::infinity();
  lens.masked_fill_(inside.logical_not(), inf);
  lens.masked_fill_(in_range.logical_not(), inf);

  auto [min_len, min_idx] = lens.min(1);
  const auto chosen =
      torch::logical_and(lens <= (min_len.unsqueeze(1) + 1e-3), lens < inf).to(torch::kFloat32);
  const auto one_hot =
      torch::one_hot(labels.to(torch::kInt64).to(points.device()), options.num_classes)
          .to(torch::kFloat32);
  auto cls = torch::matmul(chosen, one_hot).clamp_(0.0, 1.0);
  auto reg = reg_all.index({torch::arange(num_pts, min_idx.options()), min_idx});  // [P, 2]
  reg = reg / points.select(1, 3).unsqueeze(1);
  return {cls, reg};
}

torch::Tensor make_points(const std::vector<std::int64_t>& level_lengths,
                          const std::vector<std::pair<double, double>>& regression_range) {
  TEAMOR_ASSERT(level_lengths.size() == regression_range.size());
  std::vector<torch::Tensor> levels;
  for (std::size_t l = 0; l < level_lengths.size(); ++l) {
    const double stride = static_cast<double>(std::int64_t{1} << l);
    const auto n = level_lengths[l];
    auto rows = torch::empty({n, 4}, torch::kFloat32);
    rows.select(1, 0).copy_(torch::arange(0, n, torch::kFloat32) * static_cast<float>(stride));
    rows.select(1, 1).fill_(regression_range[l].first);
    rows.select(1, 2).fill_(regression_range[l].second);
    rows.select(1, 3).fill_(stride);
    levels.push_back(rows);
  }
  return torch::cat(levels, 0);
}

}  // namespace teamor::detector
