#include "detector/postprocess.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "common/error.h"

namespace teamor::detector {

torch::Tensor decode_trident(const torch::Tensor& start_logits, const torch::Tensor& end_logits,
                             const torch::Tensor& reg_offsets, int64_t num_bins) {
  namespace F = torch::nn::functional;
  const int64_t w = num_bins + 1;
  // 17-wide windows per level; cells outside the level read 0 (zero padding), spec 2.6.
  auto s_win = F::pad(start_logits, F::PadFuncOptions({num_bins, 0})).unfold(2, w, 1);  // [B,C,T,w]
  auto e_win = F::pad(end_logits, F::PadFuncOptions({0, num_bins})).unfold(2, w, 1);    // [B,C,T,w]
  auto reg = reg_offsets.permute({0, 2, 1});                                  // [B, T, 2w]
  auto left_logits = s_win + reg.slice(2, 0, w).unsqueeze(1);                 // [B, C, T, w]
  auto right_logits = e_win + reg.slice(2, w, 2 * w).unsqueeze(1);            // [B, C, T, w]
  auto bins = torch::arange(0, w, reg_offsets.options());                     // j = 0..num_bins
  auto left = (torch::softmax(left_logits, -1) * (num_bins - bins)).sum(-1);  // [B, C, T]
  auto right = (torch::softmax(right_logits, -1) * bins).sum(-1);             // [B, C, T]
  return torch::stack({left, right}, -1).permute({0, 2, 1, 3});               // [B, T, C, 2]
}

torch::Tensor decode_trident_at(const torch::Tensor& start_logits, const torch::Tensor& end_logits,
                                const torch::Tensor& reg_offsets, int64_t num_bins,
                                const torch::Tensor& points, const torch::Tensor& classes) {
  namespace F = torch::nn::functional;
  const int64_t w = num_bins + 1;
  // Views of the 17-wide windows (no copy), then only the k wanted rows are gathered.
  auto s_win = F::pad(start_logits, F::PadFuncOptions({num_bins, 0})).unfold(1, w, 1);  // [C,T,w]
  auto e_win = F::pad(end_logits, F::PadFuncOptions({0, num_bins})).unfold(1, w, 1);    // [C,T,w]
  auto reg = reg_offsets.index_select(1, points).t();                                   // [k, 2w]
  auto left_logits = s_win.index({classes, points}) + reg.slice(1, 0, w);               // [k, w]
  auto right_logits = e_win.index({classes, points}) + reg.slice(1, w, 2 * w);          // [k, w]
  auto bins = torch::arange(0, w, reg_offsets.options());
  auto left = (torch::softmax(left_logits, -1) * (num_bins - bins)).sum(-1);  // [k]
  auto right = (torch::softmax(right_logits, -1) * bins).sum(-1);             // [k]
  return torch::stack({left, right}, -1);                                     // [k, 2]
}

std::vector<Detection> soft_nms(std::vector<Detection> d, double sigma_d, double min_score_d,
                                int64_t max_keep) {
  // Mirrors nms_1d_cpu.softnms (method 2) in float32: the pick is swapped into slot i, removed
  // items are replaced by the last one, so the working order (and tie breaking) is the reference's.
  const float sigma = static_cast<float>(sigma_d);
  const float min_score = static_cast<float>(min_score_d);
  std::size_t n = d.size();
  std::vector<float> x1(n), x2(n), sc(n), area(n);
  std::vector<int> label(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = static_cast<float>(d[i].start);
    x2[i] = static_cast<float>(d[i].end);
    sc[i] = static_cast<float>(d[i].score);
    area[i] = x2[i] - x1[i] + 1e-6f;
    label[i] = d[i].label;
  }
  std::vector<Detection> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t max_pos = i;
    float max_score = sc[i];
    for (std::size_t p = i + 1; p < n; ++p)
      if (sc[p] > max_score) {
        max_score = sc[p];
        max_pos = p;
      }
    std::swap(x1[i], x1[max_pos]);
    std::swap(x2[i], x2[max_pos]);
    std::swap(sc[i], sc[max_pos]);
    std::swap(area[i], area[max_pos]);
    std::swap(label[i], label[max_pos]);
    const float ix1 = x1[i], ix2 = x2[i], iarea = area[i];
    for (std::size_t p = i + 1; p < n;) {
      const float xx1 = std::max(ix1, x1[p]);
      const float xx2 = std::min(ix2, x2[p]);
      const float inter = std::max(0.0f, xx2 - xx1);
      const float ovr = inter / (iarea + area[p] - inter);
      sc[p] *= std::exp(-(ovr * ovr) / sigma);
      if (sc[p] < min_score) {
        x1[p] = x1[n - 1];
        x2[p] = x2[n - 1];
        sc[p] = sc[n - 1];
        area[p] = area[n - 1];
        label[p] = label[n - 1];
        --n;
        continue;
      }
      ++p;
    }
  }
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back({x1[i], x2[i], sc[i], label[i]});
  if (max_keep > 0 && out.size() > static_cast<std::size_t>(max_keep)) out.resize(max_keep);
  return out;
}

std::vector<Detection> detect_on_grid(const NetworkOutput& output, int64_t b,
                                      const DetectorConfig& config) {
  torch::NoGradGuard no_grad;
  const auto& tc = config.test;
  const int64_t num_classes = config.dataset.num_classes;
  std::vector<int64_t> lengths;
  for (const auto& c : output.cls_logits)
    lengths.push_back(c.size(2));
  std::vector<Detection> candidates;
  int64_t stride = 1;
  for (std::size_t l = 0; l < output.cls_logits.size(); ++l) {
    auto cls = output.cls_logits[l][b].transpose(0, 1);                   // [T_l, C]
    auto mask = output.masks[l][b][0].unsqueeze(-1).to(torch::kFloat32);  // [T_l, 1]
    auto prob = (torch::sigmoid(cls) * mask).flatten();                   // index t * C + c
    auto keep = prob > tc.pre_nms_thresh;
    auto kept_prob = prob.masked_select(keep);
    auto topk_idx = keep.nonzero().select(1, 0);
    const int64_t k = std::min<int64_t>(tc.pre_nms_topk, topk_idx.size(0));
    auto sorted = kept_prob.sort(/*dim=*/0, /*descending=*/true);
    auto scores = std::get<0>(sorted).slice(0, 0, k);
    auto idx = topk_idx.index_select(0, std::get<1>(sorted).slice(0, 0, k));
    auto pt = torch::div(idx, num_classes, "floor");
    auto cls_id = torch::fmod(idx, num_classes);
    // Decode only what survived; same arithmetic as decoding the whole level.
    auto off = decode_trident_at(output.start_logits[l][b], output.end_logits[l][b],
                                 output.reg_offsets[l][b], config.model.num_bins, pt,
                                 cls_id);  // [k, 2]
    auto t = pt.to(torch::kFloat32) * static_cast<float>(stride);
    const float s = static_cast<float>(stride);
    auto left = t - off.select(1, 0) * s;
    auto right = t + off.select(1, 1) * s;
    auto keep2 = (right - left) > tc.duration_thresh;
    auto lc = left.contiguous(), rc = right.contiguous(), sc = scores.contiguous();
    auto cc = cls_id.contiguous();
    auto kc = keep2.contiguous();
    const float* lp = lc.data_ptr<float>();
    const float* rp = rc.data_ptr<float>();
    const float* sp = sc.data_ptr<float>();
    const int64_t* cp = cc.data_ptr<int64_t>();
    const bool* kp = kc.data_ptr<bool>();
    for (int64_t i = 0; i < k; ++i)
      if (kp[i]) candidates.push_back({lp[i], rp[i], sp[i], static_cast<int>(cp[i])});
    stride *= config.model.scale_factor;
  }
  // Multiclass Soft-NMS: per class in ascending id, then sort all by score (stable for ties).
  std::vector<Detection> result;
  for (int64_t c = 0; c < num_classes; ++c) {
    std::vector<Detection> of_class;
    for (const auto& d : candidates)
      if (d.label == c) of_class.push_back(d);
    auto kept = soft_nms(std::move(of_class), tc.nms_sigma, tc.min_score, tc.max_seg_num);
    result.insert(result.end(), kept.begin(), kept.end());
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const Detection& a, const Detection& b2) { return a.score > b2.score; });
  if (result.size() > static_cast<std::size_t>(tc.max_seg_num)) result.resize(tc.max_seg_num);
  return result;
}

std::vector<Detection> to_seconds(std::vector<Detection> detections, const DetectorConfig& config,
                                  double duration_s) {
  const float stride = static_cast<float>(config.dataset.feat_stride);
  const float half = 0.5f * static_cast<float>(config.dataset.num_frames);
  const float fps = static_cast<float>(config.dataset.default_fps);
  const bool clip = config.use_clip_to_duration() && duration_s > 0;
  for (auto& d : detections) {
    // float32 like the reference's tensor arithmetic
    float s = (static_cast<float>(d.start) * stride + half) / fps;
    float e = (static_cast<float>(d.end) * stride + half) / fps;
    if (s <= 0) s = 0;
    if (e <= 0) e = 0;
    if (clip) {
      s = std::min<float>(s, static_cast<float>(duration_s));
      e = std::min<float>(e, static_cast<float>(duration_s));
    }
    d.start = s;
    d.end = e;
  }
  if (clip)  // a segment that lies wholly past the end says nothing about this video
    std::erase_if(detections, [](const Detection& d) { return d.end <= d.start; });
  return detections;
}

}  // namespace teamor::detector
