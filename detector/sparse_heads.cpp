// NetworkImpl::forward_for_detection: the heads that only matter around candidates run only there.
// About 60 % of the network's arithmetic is in the start, end and regression heads (spec 6.2), but
// post-processing reads them only at cells whose class score survives the thresholds, and the
// Trident decoding of such a cell only within num_bins cells of it. A head's output cell depends on
// receptive_radius() cells each side, so a stretch computed with that margin is exact.
#include <algorithm>

#include <torch/torch.h>

#include "detector/candidate_windows.h"
#include "detector/network.h"

namespace teamor::detector {
namespace {

/// Runs @p run (one head on one level) over @p windows of a level of @p length cells with
/// @p margin extra cells each side, into a zero tensor shaped like the whole level's output.
template <typename Run>
torch::Tensor run_on_windows(const Run& run, const torch::Tensor& x, const torch::Tensor& mask,
                             const std::vector<CellRange>& windows, int64_t margin) {
  const int64_t length = x.size(2);
  torch::Tensor out;
  for (const auto& w : windows) {
    const int64_t lo = std::max<int64_t>(0, w.begin - margin);
    const int64_t hi = std::min(length, w.end + margin);
    auto part = run(x.slice(2, lo, hi), mask.slice(2, lo, hi));  // [B, C_out, hi - lo]
    if (!out.defined()) out = torch::zeros({part.size(0), part.size(1), length}, part.options());
    out.slice(2, w.begin, w.end).copy_(part.slice(2, w.begin - lo, w.end - lo));
  }
  return out;
}

}  // namespace

NetworkOutput NetworkImpl::forward_for_detection(const torch::Tensor& x, const torch::Tensor& mask,
                                                 double min_score) {
  torch::NoGradGuard no_grad;
  auto pyramid = neck->forward(backbone->forward(x, mask));
  NetworkOutput out;
  out.cls_logits = cls_head->forward(pyramid);
  out.masks = pyramid.masks;
  out.neck_features = pyramid.features;
  const int64_t halo = config_.model.num_bins;
  const int64_t margin = std::max(
      {start_head->receptive_radius(), end_head->receptive_radius(), reg_head->receptive_radius()});
  for (std::size_t l = 0; l < pyramid.features.size(); ++l) {
    const auto& f = pyramid.features[l];
    const auto& m = pyramid.masks[l];
    const int64_t length = f.size(2);
    // The same probability detect_on_grid() thresholds; best over classes and the batch.
    auto prob = torch::sigmoid(out.cls_logits[l]) * m.to(out.cls_logits[l].dtype());
    auto best = std::get<0>(prob.max(/*dim=*/1)).amax(/*dim=*/0);  // [T_l]
    auto needed = ((best > config_.test.pre_nms_thresh) & (best >= min_score)).nonzero();
    std::vector<int64_t> positions(needed.size(0));
    auto acc = needed.accessor<int64_t, 2>();
    for (int64_t i = 0; i < needed.size(0); ++i)
      positions[i] = acc[i][0];
    const auto windows = candidate_windows(std::move(positions), halo, length, 2 * margin);
    auto start = [&](const torch::Tensor& xs, const torch::Tensor& ms) {
      return start_head->forward_level(xs, ms, l);
    };
    auto end = [&](const torch::Tensor& xs, const torch::Tensor& ms) {
      return end_head->forward_level(xs, ms, l);
    };
    auto reg = [&](const torch::Tensor& xs, const torch::Tensor& ms) {
      return reg_head->forward_level(xs, ms, l);
    };
    if (windows.empty()) {  // no candidate on this level: nothing will be read
      const int64_t batch = f.size(0), classes = config_.dataset.num_classes;
      out.start_logits.push_back(torch::zeros({batch, classes, length}, f.options()));
      out.end_logits.push_back(torch::zeros({batch, classes, length}, f.options()));
      out.reg_offsets.push_back(torch::zeros({batch, 2 * (halo + 1), length}, f.options()));
      continue;
    }
    if (2 * covered_cells(windows) > length) {  // mostly needed: one pass over the level
      out.start_logits.push_back(start(f, m));
      out.end_logits.push_back(end(f, m));
      out.reg_offsets.push_back(reg(f, m));
      continue;
    }
    out.start_logits.push_back(run_on_windows(start, f, m, windows, margin));
    out.end_logits.push_back(run_on_windows(end, f, m, windows, margin));
    out.reg_offsets.push_back(run_on_windows(reg, f, m, windows, margin));
  }
  return out;
}

}  // namespace teamor::detector
