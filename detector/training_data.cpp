#include "detector/training_data.h"

#include <torch/torch.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"

namespace teamor::detector {

float seconds_to_grid(double seconds, double fps, int feat_stride, int num_frames) {
  // The reference stores seconds as float32 and computes (seg * fps - 0.5 * frames) / stride in
  // float32 (spec 1.5).
  const float s = static_cast<float>(seconds);
  return (s * static_cast<float>(fps) - static_cast<float>(0.5 * num_frames)) /
         static_cast<float>(feat_stride);
}

std::int64_t uniform_int(std::mt19937_64& rng, std::int64_t a, std::int64_t b) {
  TEAMOR_ASSERT(a <= b);
  const std::uint64_t range = static_cast<std::uint64_t>(b - a) + 1;
  if (range == 0) return a + static_cast<std::int64_t>(rng());  // full 64-bit span
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t x;
  do {
    x = rng();
  } while (x >= limit);
  return a + static_cast<std::int64_t>(x % range);
}

TrainingVideo random_crop(const TrainingVideo& video, const CropOptions& options,
                          std::mt19937_64& rng) {
  if (!video.has_events) return video;  // reference: segments None -> never cropped (spec 8.10)
  const std::int64_t len = video.length();
  std::int64_t crop_len;
  if (len <= options.max_seq_len) {
    // Python round(): half to even, which std::nearbyint does in the default rounding mode.
    const auto lo = std::max<std::int64_t>(
        static_cast<std::int64_t>(std::nearbyint(options.crop_ratio_lo * static_cast<double>(len))),
        1);
    const auto hi = std::min<std::int64_t>(
        static_cast<std::int64_t>(std::nearbyint(options.crop_ratio_hi * static_cast<double>(len))),
        len);
    if (lo > hi) return video;
    crop_len = uniform_int(rng, lo, hi);
    if (crop_len == len) return video;
  } else {
    crop_len = options.max_seq_len;
  }
  const auto seg = video.segments;
  torch::Tensor keep, left, right;
  std::int64_t st = 0, ed = 0;
  for (int attempt = 0; attempt < options.max_attempts; ++attempt) {
    st = uniform_int(rng, 0, len - crop_len);
    ed = st + crop_len;
    // float32 as in the reference: window bounds, intersection, ratio, threshold.
    left = torch::clamp_min(seg.select(1, 0), static_cast<float>(st));
    right = torch::clamp_max(seg.select(1, 1), static_cast<float>(ed));
    const auto inter = (right - left).clamp_min(0);
    const auto area = (seg.select(1, 1) - seg.select(1, 0)).abs();
    keep = (inter / area) >= static_cast<float>(options.trunc_thresh);
    if (keep.sum().item<std::int64_t>() > 0) break;
  }
  TrainingVideo out = video;
  out.features = video.features.slice(1, st, ed);
  out.segments =
      torch::stack({left.index({keep}), right.index({keep})}, 1) - static_cast<float>(st);
  out.labels = video.labels.index({keep});
  return out;
}

void set_ground_truth(TrainingVideo& video, const annotations::AnnotationSet* set,
                      const std::string& label, double fps, int feat_stride, int num_frames) {
  std::vector<float> values;
  if (set != nullptr) {
    for (const auto& s : set->segments) {
      if (s.label != label || s.source == annotations::Source::Prediction) continue;
      if (!(s.end_s > s.start_s)) continue;
      values.push_back(seconds_to_grid(s.start_s, fps, feat_stride, num_frames));
      values.push_back(seconds_to_grid(s.end_s, fps, feat_stride, num_frames));
    }
  }
  const auto n = static_cast<std::int64_t>(values.size() / 2);
  video.has_events = n > 0;
  video.segments = torch::from_blob(values.data(), {n, 2}, torch::kFloat32).clone();
  video.labels = torch::zeros({n}, torch::kInt64);
}

const annotations::AnnotationSet* find_annotation(const annotations::AnnotationCollection& all,
                                                  const std::string& id) {
  if (auto it = all.find(id); it != all.end()) return &it->second;
  for (const auto& [key, set] : all) {
    const auto dot = key.rfind('.');
    if (dot != std::string::npos && key.compare(0, dot, id) == 0 && dot == id.size()) return &set;
  }
  return nullptr;
}

}  // namespace teamor::detector
