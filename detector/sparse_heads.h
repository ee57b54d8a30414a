#pragma once
// Internal to the detector library: the pieces of NetworkImpl::forward_for_detection() that the
// chunked forward (chunked_forward.h) shares. See sparse_heads.cpp for why they are exact.

#include <array>
#include <cstdint>
#include <vector>

#include <torch/types.h>

#include "detector/candidate_windows.h"
#include "detector/network.h"

namespace teamor::detector {

/// @brief The cells of one level around which the start, end and regression heads must run:
/// within num_bins of a cell whose class probability (sigmoid(cls) * mask, best over classes and
/// batch) exceeds test.pre_nms_thresh and reaches @p min_score; ranges closer than @p join_gap
/// are joined.
/// @param cls_logits [B, C, T_l] @param mask [B, 1, T_l] bool
std::vector<CellRange> head_windows(const torch::Tensor& cls_logits, const torch::Tensor& mask,
                                    const DetectorConfig& config, double min_score,
                                    int64_t join_gap);

/// Cells each side that the start, end and regression heads' outputs depend on, at their level.
int64_t head_margin(NetworkImpl& net);

/// @brief The start, end and regression outputs of level @p level on @p windows only (zeros
/// elsewhere; one pass over the whole level when the windows cover most of it).
/// @param x [B, C, T_l] neck features of the level @param mask [B, 1, T_l]
/// @return {start [B, classes, T_l], end [B, classes, T_l], regression [B, 2 * (num_bins + 1),
/// T_l]}
std::array<torch::Tensor, 3> heads_on_windows(NetworkImpl& net, const torch::Tensor& x,
                                              const torch::Tensor& mask, std::size_t level,
                                              const std::vector<CellRange>& windows);

}  // namespace teamor::detector
