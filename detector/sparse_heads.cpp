// NetworkImpl::forward_for_detection: the heads that only matter around candidates run only there.
// About 60 % of the network's arithmetic is in the start, end and regression heads (spec 6.2), but
// post-processing reads them only at cells whose class score survives the thresholds, and the
// Trident decoding of such a cell only within num_bins cells of it. A head's output cell depends on
// receptive_radius() cells each side, so a stretch computed with that margin is exact.
#include "detector/sparse_heads.h"

#include <algorithm>
#include <array>

#include <torch/torch.h>

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

std::vector<CellRange> head_windows(const torch::Tensor& cls_logits, const torch::Tensor& mask,
                                    const DetectorConfig& config, double min_score,
                                    int64_t join_gap) {
  // The same probability detect_on_grid() thresholds; best over classes and the batch.
  auto prob = torch::sigmoid(cls_logits) * mask.to(cls_logits.dtype());
  auto best = std::get<0>(prob.max(/*dim=*/1)).amax(/*dim=*/0);  // [T_l]
  auto needed = ((best > config.test.pre_nms_thresh) & (best >= min_score)).nonzero();
  std::vector<int64_t> positions(needed.size(0));
  auto acc = needed.accessor<int64_t, 2>();
  for (int64_t i = 0; i < needed.size(0); ++i)
    positions[i] = acc[i][0];
  return candidate_windows(std::move(positions), config.model.num_bins, cls_logits.size(2),
                           join_gap);
}

int64_t head_margin(NetworkImpl& net) {
  return std::max({net.start_head->receptive_radius(), net.end_head->receptive_radius(),
                   net.reg_head->receptive_radius()});
}

std::array<torch::Tensor, 3> heads_on_windows(NetworkImpl& net, const torch::Tensor& x,
                                              const torch::Tensor& mask, std::size_t level,
                                              const std::vector<CellRange>& windows) {
  const int64_t length = x.size(2);
  auto start = [&](const torch::Tensor& xs, const torch::Tensor& ms) {
    return net.start_head->forward_level(xs, ms, level);
  };
  auto end = [&](const torch::Tensor& xs, const torch::Tensor& ms) {
    return net.end_head->forward_level(xs, ms, level);
  };
  auto reg = [&](const torch::Tensor& xs, const torch::Tensor& ms) {
    return net.reg_head->forward_level(xs, ms, level);
  };
  if (windows.empty()) {  // no candidate: nothing will be read
    const auto& c = net.config();
    const int64_t batch = x.size(0), classes = c.dataset.num_classes;
    return {torch::zeros({batch, classes, length}, x.options()),
            torch::zeros({batch, classes, length}, x.options()),
            torch::zeros({batch, 2 * (c.model.num_bins + 1), length}, x.options())};
  }
  if (2 * covered_cells(windows) > length) return {start(x, mask), end(x, mask), reg(x, mask)};
  const int64_t margin = head_margin(net);
  return {run_on_windows(start, x, mask, windows, margin),
          run_on_windows(end, x, mask, windows, margin),
          run_on_windows(reg, x, mask, windows, margin)};
}

NetworkOutput NetworkImpl::forward_for_detection(const torch::Tensor& x, const torch::Tensor& mask,
                                                 double min_score) {
  torch::NoGradGuard no_grad;
  auto pyramid = neck->forward(backbone->forward(x, mask));
  NetworkOutput out;
  out.cls_logits = cls_head->forward(pyramid);
  out.masks = pyramid.masks;
  out.neck_features = pyramid.features;
  const int64_t join_gap = 2 * head_margin(*this);
  for (std::size_t l = 0; l < pyramid.features.size(); ++l) {
    const auto windows =
        head_windows(out.cls_logits[l], pyramid.masks[l], config_, min_score, join_gap);
    auto [start, end, reg] =
        heads_on_windows(*this, pyramid.features[l], pyramid.masks[l], l, windows);
    out.start_logits.push_back(start);
    out.end_logits.push_back(end);
    out.reg_offsets.push_back(reg);
  }
  return out;
}

}  // namespace teamor::detector
