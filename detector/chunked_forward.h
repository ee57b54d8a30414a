#pragma once
// Inference over long recordings in overlapping chunks, so that the network's memory stops growing
// with the recording's length (the [T x C] features and the per-level outputs, a few floats per
// cell, still do).
//
//   auto out = forward_in_chunks(*net, batch.x, batch.mask, min_score, sparse, 1024);
//   auto detections = detect_on_grid(out, 0, config);   // as after net->forward()

#include <cstdint>

#include <torch/types.h>

#include "detector/network.h"

namespace teamor::detector {

/// @brief Steps on each side of a cell that the deepest level's head outputs depend on: embedding
/// convolutions, stem pools, one pool per level and the head convolutions at the deepest level.
int64_t receptive_radius_steps(const DetectorConfig& config);

/// @brief The network's outputs for one padded sequence, computed chunk by chunk.
///
/// Chunk k covers steps [k * chunk_steps, (k + 1) * chunk_steps) and runs on that stretch widened
/// by receptive_radius_steps() (rounded up to max_div_factor) on each side, so every output cell of
/// the chunk equals the one-pass value: chunk starts are multiples of max_div_factor, so each
/// level's cells line up, and with adaptive padding (masked cells are zero after every norm) a
/// cut behaves like the one-pass padding beyond the margin. With @p sparse the start, end and
/// regression heads run only where forward_for_detection() runs them: the class scores of all
/// chunks come first, then the chunks holding candidates are computed again for their heads.
/// neck_features stays empty.
/// @param x [1, C, T_pad] @param mask [1, 1, T_pad], as from pad_batch()
/// @param chunk_steps a positive multiple of max_div_factor
/// @throws ConfigError when the network does not use adaptive padding (the reference's padding
///         makes results depend on the cut)
NetworkOutput forward_in_chunks(NetworkImpl& net, const torch::Tensor& x, const torch::Tensor& mask,
                                double min_score, bool sparse, int64_t chunk_steps);

}  // namespace teamor::detector
