#pragma once
// Turning raw outputs into detections (spec 2.6 and 4): Trident decoding, per-level top-k, Gaussian
// Soft-NMS, conversion from the feature grid to seconds.

#include <cstdint>
#include <vector>

#include <torch/nn.h>

#include "detector/config.h"
#include "detector/network.h"

namespace teamor::detector {

/// @brief Trident decoding for one level (differentiable; used by the losses too).
/// @param start_logits [B, C, T_l] @param end_logits [B, C, T_l]
/// @param reg_offsets [B, 2 * (num_bins + 1), T_l]
/// @param num_bins bins per side (16)
/// @return [B, T_l, C, 2]: (d_left, d_right) in cells of this level, in [0, num_bins]
torch::Tensor decode_trident(const torch::Tensor& start_logits, const torch::Tensor& end_logits,
                             const torch::Tensor& reg_offsets, int64_t num_bins);

/// @brief Trident decoding of one video's level at chosen cells only (what post-processing needs):
/// the same arithmetic as decode_trident() followed by indexing, without decoding every cell.
/// @param start_logits [C, T_l] @param end_logits [C, T_l] @param reg_offsets [2 * (num_bins + 1),
/// T_l]
/// @param points [k] int64 cells @param classes [k] int64 class of each cell
/// @return [k, 2]: (d_left, d_right) in cells of this level
torch::Tensor decode_trident_at(const torch::Tensor& start_logits, const torch::Tensor& end_logits,
                                const torch::Tensor& reg_offsets, int64_t num_bins,
                                const torch::Tensor& points, const torch::Tensor& classes);

/// @brief One detection on the level-0 feature grid or in seconds.
struct Detection {
  double start = 0;  ///< grid units or seconds
  double end = 0;    ///< grid units or seconds
  double score = 0;  ///< after Soft-NMS decay
  int label = 0;     ///< class id
};

/// @brief Gaussian Soft-NMS exactly as the reference's nms_1d_cpu.softnms, method 2 (spec 4.4).
/// @param candidates input (modified copy) @param sigma decay exp(-iou^2 / sigma)
/// @param min_score drop below this @param max_keep cap (<= 0: no cap)
std::vector<Detection> soft_nms(std::vector<Detection> candidates, double sigma, double min_score,
                                int64_t max_keep);

/// @brief Post-processing of one video (batch index @p b) on the grid (spec 4.2-4.4).
/// @param output network outputs @param b batch index
/// @return detections in grid units, sorted by score descending, at most max_seg_num
std::vector<Detection> detect_on_grid(const NetworkOutput& output, int64_t b,
                                      const DetectorConfig& config);

/// @brief Grid -> seconds: (g * feat_stride + num_frames / 2) / fps, clamped at 0; and at
/// @p duration_s when clipping to the real duration is on (improvement) and duration_s > 0.
std::vector<Detection> to_seconds(std::vector<Detection> detections, const DetectorConfig& config,
                                  double duration_s);

}  // namespace teamor::detector
