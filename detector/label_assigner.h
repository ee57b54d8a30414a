#pragma once
// Label assignment for training (MAXAVG_SPEC section 3.1): every point of the concatenated pyramid
// gets a class target (one-hot over classes, possibly several ones) and a regression target (left
// and right distance to the chosen ground truth, in cells of the point's level).
//
//   torch::Tensor points = ...;  // [sum_T, 4] rows (t, reg_lo, reg_hi, stride), level 0 first
//   LabelTargets t = assign_labels(points, segments, labels, {.num_classes = 1});

#include <torch/types.h>

namespace teamor::detector {

/// @brief Label assignment settings (train_cfg of the reference config).
struct LabelAssignerOptions {
  int num_classes = 1;        ///< number of classes of the network
  bool center_sample = true;  ///< "radius" centre sampling (false: anywhere inside the truth)
  double center_sample_radius = 1.5;  ///< half-width of the centre region, in strides
};

/// @brief Targets of one video.
struct LabelTargets {
  torch::Tensor cls;  ///< [sum_T, num_classes] float32, 1 where the point is positive for the class
  torch::Tensor reg;  ///< [sum_T, 2] float32 (left, right) distances in cells of the point's level
};

/// @brief Assigns targets to every point of one video, exactly as the reference does.
/// @param points [sum_T, 4] float32 rows (t, reg_lo, reg_hi, stride); t and the range in level-0
///        grid units (one unit = one feature step)
/// @param segments [N, 2] float32 ground-truth (start, end) on the level-0 grid; N may be 0 or the
///        tensor undefined for a video without events
/// @param labels [N] int64 class ids in [0, num_classes)
/// @param options class count and centre sampling
/// @return the targets; all zero when there is no ground truth
/// @throws teamor::Error (assertion) when shapes do not fit or a label is out of range
LabelTargets assign_labels(const torch::Tensor& points, const torch::Tensor& segments,
                           const torch::Tensor& labels, const LabelAssignerOptions& options);

/// @brief Builds the concatenated point table of a pyramid (spec 2.4): level l has rows
/// (i * stride_l, lo_l, hi_l, stride_l) for i < level_lengths[l], stride_l = 2^l.
/// @param level_lengths cells per level (the padded lengths T_pad / 2^l)
/// @param regression_range (lo, hi) per level in level-0 grid units
/// @return [sum_T, 4] float32
torch::Tensor make_points(const std::vector<std::int64_t>& level_lengths,
                          const std::vector<std::pair<double, double>>& regression_range);

}  // namespace teamor::detector
