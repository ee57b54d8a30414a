#pragma once
// Training losses of the reference (MAXAVG_SPEC section 3.2): sigmoid focal loss on every valid
// point, positives weighted by IoU(pred, target)^p (the weight is NOT detached, as in the
// reference), DIoU regression loss on positives, both divided by an exponential moving average of
// the positive count.
//
//   LossNormalizer norm(250.0);
//   LossResult r = compute_losses(heads, gt_cls, gt_reg, norm, {});
//   r.final_loss.backward();

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace teamor::detector {

/// @brief Sigmoid focal loss per element (alpha 0.25, gamma 2 in the reference), no reduction.
/// @param logits any shape, float32
/// @param targets same shape, values in [0, 1]
/// @return same shape: alpha_t * BCE(logits, targets) * (1 - p_t)^gamma
torch::Tensor sigmoid_focal_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                                 double alpha = 0.25, double gamma = 2.0);

/// @brief 1 - IoU of segments given as (left, right) distances from the same centre point.
/// @param pred [N, 2] non-negative distances
/// @param target [N, 2] non-negative distances
/// @return [N]; IoU = inter / max(union, eps)
torch::Tensor offset_iou_loss(const torch::Tensor& pred, const torch::Tensor& target,
                              double eps = 1e-8);

/// @brief Distance-IoU loss 1 - IoU + (rho / enclosing length)^2 for (left, right) distances.
/// @param pred [N, 2]
/// @param target [N, 2]
/// @return [N]
torch::Tensor offset_diou_loss(const torch::Tensor& pred, const torch::Tensor& target,
                               double eps = 1e-8);

/// @brief The loss normaliser eta: an EMA of max(positives, 1), updated before every use.
class LossNormalizer {
 public:
  /// @param initial eta before the first update (250 in the reference)
  /// @param momentum weight of the old value (0.9 in the reference)
  explicit LossNormalizer(double initial = 250.0, double momentum = 0.9)
      : value_(initial), momentum_(momentum) {}
  /// @brief eta <- m * eta + (1 - m) * max(num_pos, 1); returns the new eta.
  double update(std::int64_t num_pos);
  double value() const { return value_; }
  /// @brief Restores a saved value (checkpoint resume).
  void set_value(double value) { value_ = value; }

 private:
  double value_;
  double momentum_;
};

/// @brief Raw head outputs of one batch, per pyramid level (level 0 first).
struct HeadOutputs {
  std::vector<torch::Tensor> cls;      ///< [B, C, T_l] classification logits
  std::vector<torch::Tensor> offsets;  ///< [B, 2*(num_bins+1), T_l] reg-head output (after ReLU)
  std::vector<torch::Tensor> start;    ///< [B, C, T_l] start-boundary logits
  std::vector<torch::Tensor> end;      ///< [B, C, T_l] end-boundary logits
  std::vector<torch::Tensor> masks;  ///< [B, T_l] or [B, 1, T_l] bool: cell is a real feature step
};

/// @brief Loss settings.
struct LossOptions {
  int num_bins = 16;               ///< Trident bins (windows are num_bins + 1 wide)
  double iou_weight_power = 0.25;  ///< positives' focal loss times IoU^p
  double loss_weight = 1.0;  ///< final = cls + w * reg; <= 0: w = cls / max(reg, 0.01) (detached)
  double label_smoothing = 0.0;  ///< reference default 0
};

/// @brief The losses of one batch.
struct LossResult {
  torch::Tensor cls_loss;    ///< scalar: focal sum / eta
  torch::Tensor reg_loss;    ///< scalar: DIoU sum / eta
  torch::Tensor final_loss;  ///< scalar: cls + w * reg (what is back-propagated)
  std::int64_t num_pos = 0;  ///< positive (video, point) pairs in the batch
  double normalizer = 0;     ///< eta after this batch's update
};

/// @brief Trident decoding of (left, right) distances in cells at the given points, differentiable.
/// @param heads per-level outputs
/// @param batch_index [K] int64 video index of each wanted point
/// @param point_index [K] int64 index into the level-concatenated points
/// @param num_bins Trident bins
/// @return [K, C, 2] distances in cells of each point's level
torch::Tensor decode_trident_offsets(const HeadOutputs& heads, const torch::Tensor& batch_index,
                                     const torch::Tensor& point_index, int num_bins);

/// @brief Computes the reference losses for one batch and updates @p normalizer first.
/// @param heads per-level head outputs
/// @param gt_cls [B, sum_T, C] class targets from assign_labels
/// @param gt_reg [B, sum_T, 2] regression targets in cells
/// @param normalizer the loss normaliser (updated in place before use, as in the reference)
/// @param options loss settings
/// @return losses; gradients flow into every head (IoU weight not detached)
LossResult compute_losses(const HeadOutputs& heads, const torch::Tensor& gt_cls,
                          const torch::Tensor& gt_reg, LossNormalizer& normalizer,
                          const LossOptions& options);

}  // namespace teamor::detector
