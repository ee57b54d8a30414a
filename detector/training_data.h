#pragma once
// Training samples: features joined with ground truth on the feature grid (MAXAVG_SPEC 1.3-1.6),
// and the reference's random crop. The crop draws from our own seeded generator (the reference's
// Python `random` in data-loader workers cannot be reproduced, spec 1.8); the distribution is the
// same.

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <torch/types.h>

#include "annotations/annotation_set.h"

namespace teamor::detector {

/// @brief One video ready for training.
struct TrainingVideo {
  std::string id;
  torch::Tensor features;   ///< [C, T] float32
  torch::Tensor segments;   ///< [N, 2] float32 (start, end) on the level-0 grid; N may be 0
  torch::Tensor labels;     ///< [N] int64 class ids
  bool has_events = false;  ///< false: the reference's `segments = None` (never cropped)
  double duration_s = 0;    ///< real duration covered by the features, seconds
  std::int64_t length() const { return features.size(1); }
};

/// @brief Seconds -> grid as the reference does it in float32: (s * fps - 0.5 * frames) / stride.
/// @param seconds time on the recording timeline
/// @param fps frames per second; @param feat_stride frames between rows; @param num_frames per clip
float seconds_to_grid(double seconds, double fps, int feat_stride, int num_frames);

/// @brief Uniform integer in [a, b] (both inclusive), from a 64-bit Mersenne twister by rejection,
/// so that results do not depend on the standard library's distribution code.
std::int64_t uniform_int(std::mt19937_64& rng, std::int64_t a, std::int64_t b);

/// @brief Crop settings (dataset section of the config).
struct CropOptions {
  std::int64_t max_seq_len = 23040;  ///< longer videos are cut to this length
  double trunc_thresh = 0.3;         ///< keep segments with at least this fraction inside
  double crop_ratio_lo = 0.9;        ///< crop length range as a fraction of L
  double crop_ratio_hi = 1.0;
  int max_attempts = 200;  ///< windows tried before giving up (the last one is used)
};

/// @brief The reference's truncate_feats (spec 1.6): draws a crop length in
/// [max(round(lo*L), 1), min(round(hi*L), L)] (round = half to even); equal to L means no crop;
/// then up to max_attempts windows until one keeps a segment. Videos without events are returned
/// unchanged.
/// @return the cropped video (segments clipped to the window and shifted)
TrainingVideo random_crop(const TrainingVideo& video, const CropOptions& options,
                          std::mt19937_64& rng);

/// @brief Ground truth of @p label in @p set as grid segments (class 0), in the reference's float32
/// arithmetic. Segments of zero or negative length are skipped.
/// @param fps, feat_stride, num_frames grid convention
void set_ground_truth(TrainingVideo& video, const annotations::AnnotationSet* set,
                      const std::string& label, double fps, int feat_stride, int num_frames);

/// @brief Finds the annotation entry for feature id @p id: exact key, or a key whose part before
/// the last '.' equals @p id (reference pickles key by video file name, "or01_view1.mp4").
/// @return nullptr when there is none
const annotations::AnnotationSet* find_annotation(const annotations::AnnotationCollection& all,
                                                  const std::string& id);

}  // namespace teamor::detector
