#include "detector/losses.h"

#include <torch/torch.h>
#include <algorithm>

#include "common/error.h"

namespace teamor::detector {

namespace F = torch::nn::functional;

torch::Tensor sigmoid_focal_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 double alpha, double gamma) {
  const auto x = logits.to(torch::kFloat32);
  const auto y = targets.to(torch::kFloat32);
  const auto p = torch::sigmoid(x);
  const auto ce = F::binary_cross_entropy_with_logits(
      x, y, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
  const auto p_t = p * y + (1 - p) * (1 - y);
  auto loss = ce * (1 - p_t).pow(gamma);
  if (alpha >= 0) {
    const auto alpha_t = alpha * y + (1 - alpha) * (1 - y);
    loss = alpha_t * loss;
  }
  return loss;
}

namespace {
struct IouParts {
  torch::Tensor iou;
  torch::Tensor lp, rp, lg, rg;
};

IouParts offset_iou(const torch::Tensor& pred, const torch::Tensor& target, double eps) {
  TEAMOR_ASSERT(pred.dim() == 2 && pred.size(1) == 2 && target.sizes() == pred.sizes());
  IouParts r;
  r.lp = pred.select(1, 0);
  r.rp = pred.select(1, 1);
  r.lg = target.select(1, 0);
  r.rg = target.select(1, 1);
  const auto inter = torch::minimum(r.rp, r.rg) + torch::minimum(r.lp, r.lg);
  const auto uni = (r.lp + r.rp) + (r.lg + r.rg) - inter;
  r.iou = inter / uni.clamp_min(eps);
  return r;
}
}  // namespace

torch::Tensor offset_iou_loss(const torch::Tensor& pred, const torch::Tensor& target, double eps) {
  return 1.0 - offset_iou(pred, target, eps).iou;
}

torch::Tensor offset_diou_loss(const torch::Tensor& pred, const torch::Tensor& target, double eps) {
  const auto p = offset_iou(pred, target, eps);
  const auto len_c = torch::maximum(p.lp, p.lg) + torch::maximum(p.rp, p.rg);
  const auto rho = 0.5 * (p.rp - p.lp - p.rg + p.lg);
  return 1.0 - p.iou + torch::square(rho / len_c.clamp_min(eps));
}

double LossNormalizer::update(std::int64_t num_pos) {
  // Same double arithmetic as the reference's Python floats: (1 - 0.9) is 0.09999999999999998.
  value_ = momentum_ * value_ +
           (1.0 - momentum_) * static_cast<double>(std::max<std::int64_t>(num_pos, 1));
  return value_;
}

namespace {
/// [B, T_l] bool from [B, T_l] or [B, 1, T_l].
torch::Tensor flat_mask(const torch::Tensor& m) {
  return m.dim() == 3 ? m.squeeze(1).to(torch::kBool) : m.to(torch::kBool);
}
}  // namespace

torch::Tensor decode_trident_offsets(const HeadOutputs& heads, const torch::Tensor& batch_index,
                                     const torch::Tensor& point_index, int num_bins) {
  const int w = num_bins + 1;
  std::vector<torch::Tensor> start_win, end_win, offs;
  for (std::size_t l = 0; l < heads.cls.size(); ++l) {
    // Windows are built per level (zeros outside the level), then levels are concatenated:
    // window j of the start logits reads S[t - num_bins + j], of the end logits E[t + j].
    start_win.push_back(F::pad(heads.start[l], F::PadFuncOptions({num_bins, 0}))
                            .unfold(2, w, 1)
                            .permute({0, 2, 1, 3}));
    end_win.push_back(F::pad(heads.end[l], F::PadFuncOptions({0, num_bins}))
                          .unfold(2, w, 1)
                          .permute({0, 2, 1, 3}));
    const auto o = heads.offsets[l].permute({0, 2, 1});  // [B, T_l, 2w]
    offs.push_back(o.reshape({o.size(0), o.size(1), 2, w}));
  }
  // Gather only the wanted points: the softmax is per row, so this equals decoding everything
  // and indexing afterwards (values and gradients), at a fraction of the cost.
  const auto s = torch::cat(start_win, 1).index({batch_index, point_index});  // [K, C, w]
  const auto e = torch::cat(end_win, 1).index({batch_index, point_index});
  const auto o = torch::cat(offs, 1).index({batch_index, point_index});  // [K, 2, w]
  const auto left = torch::softmax(s + o.slice(1, 0, 1), -1);
  auto right = torch::softmax(e + o.slice(1, 1, 2), -1);
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(s.device());
  const auto left_idx = torch::arange(num_bins, -1, -1, opts).unsqueeze(-1);  // 16..0
  const auto right_idx = torch::arange(0, w, opts).unsqueeze(-1);             // 0..16
  // The reference fills NaNs of the left distribution using the right one's NaN mask (spec 8.5);
  // kept for fidelity, it changes nothing without NaNs.
  const auto nan_right = torch::isnan(right);
  const auto left_f = left.masked_fill(nan_right, 0);
  right = right.masked_fill(nan_right, 0);
  return torch::cat({torch::matmul(left_f, left_idx), torch::matmul(right, right_idx)}, -1);
}

LossResult compute_losses(const HeadOutputs& heads, const torch::Tensor& gt_cls,
                          const torch::Tensor& gt_reg, LossNormalizer& normalizer,
                          const LossOptions& options) {
  const auto levels = heads.cls.size();
  TEAMOR_ASSERT(levels > 0 && heads.offsets.size() == levels && heads.start.size() == levels &&
                heads.end.size() == levels && heads.masks.size() == levels);
  std::vector<torch::Tensor> masks, logits;
  for (std::size_t l = 0; l < levels; ++l) {
    masks.push_back(flat_mask(heads.masks[l]));
    logits.push_back(heads.cls[l].permute({0, 2, 1}));  // [B, T_l, C]
  }
  const auto valid = torch::cat(masks, 1);        // [B, sum_T]
  const auto cls_logits = torch::cat(logits, 1);  // [B, sum_T, C]
  TEAMOR_ASSERT(gt_cls.dim() == 3 && gt_cls.size(0) == valid.size(0) &&
                gt_cls.size(1) == valid.size(1) && gt_cls.size(2) == cls_logits.size(2));
  TEAMOR_ASSERT(gt_reg.dim() == 3 && gt_reg.size(1) == valid.size(1) && gt_reg.size(2) == 2);

  const auto pos_mask = torch::logical_and(gt_cls.sum(-1) > 0, valid);
  const auto pos_idx = torch::nonzero(pos_mask);  // [K, 2], batch-major then point order
  const auto b_idx = pos_idx.select(1, 0);
  const auto t_idx = pos_idx.select(1, 1);
  const auto decoded = decode_trident_offsets(heads, b_idx, t_idx, options.num_bins);  // [K, C, 2]
  const auto pos_cls = gt_cls.index({b_idx, t_idx}) > 0;                               // [K, C]
  const auto pred = decoded.index({pos_cls});                                          // [P, 2]
  const auto target =
      gt_reg.index({b_idx, t_idx}).unsqueeze(1).expand({-1, pos_cls.size(1), 2}).index({pos_cls});

  LossResult r;
  r.num_pos = pos_mask.sum().item<std::int64_t>();
  r.normalizer = normalizer.update(r.num_pos);

  auto gt_target = gt_cls.index({valid});  // [V, C]
  const auto rated = gt_target > 0;
  if (options.label_smoothing > 0) {
    gt_target = gt_target * (1 - options.label_smoothing) +
                options.label_smoothing / (gt_target.size(1) + 1);
  }
  auto focal = sigmoid_focal_loss(cls_logits.index({valid}), gt_target);
  if (pred.size(0) > 0) {
    // IoU weight of the positives; deliberately not detached (spec 3.2 / 8.2).
    const auto weight = (1.0 - offset_iou_loss(pred, target)).pow(options.iou_weight_power);
    focal = focal.index_put({rated}, focal.index({rated}) * weight);
  }
  r.cls_loss = focal.sum() / r.normalizer;
  if (r.num_pos == 0) {
    r.reg_loss = 0 * pred.sum();
  } else {
    r.reg_loss = offset_diou_loss(pred, target).sum() / r.normalizer;
  }
  if (options.loss_weight > 0) {
    r.final_loss = r.cls_loss + r.reg_loss * options.loss_weight;
  } else {
    const double w = r.cls_loss.item<double>() / std::max(r.reg_loss.item<double>(), 0.01);
    r.final_loss = r.cls_loss + r.reg_loss * w;
  }
  return r;
}

}  // namespace teamor::detector
