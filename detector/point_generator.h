#pragma once
// Point generation (spec 2.4): level l has points at t = i * 2^l (level-0 grid units, no +0.5),
// each row [t, reg_lo_l, reg_hi_l, stride_l] float32. The reference keeps a 92160-row buffer; we
// make exactly the rows asked for, which is the same values.

#include <cstdint>
#include <vector>

#include <torch/nn.h>

#include "detector/config.h"

namespace teamor::detector {

/// @brief Points of every level.
/// @param level_lengths T_l per level (cells)
/// @param config regression ranges and scale factor
/// @return per level a [T_l, 4] float32 tensor (t, reg_lo, reg_hi, stride)
/// @throws ConfigError when the number of levels differs from the regression ranges
std::vector<torch::Tensor> generate_points(const std::vector<int64_t>& level_lengths,
                                           const DetectorConfig& config);

}  // namespace teamor::detector
