#pragma once
// Heads shared across levels (spec 2.5): ClsHead (classification, and the start/end boundary heads
// on detached features) and RegHead (Trident bin logits, ReLU(scale_l * conv)).

#include <vector>

#include <torch/nn.h>

#include "detector/backbone.h"

namespace teamor::detector {

struct HeadOptions {
  int64_t input_dim = 512;       ///< neck channels
  int64_t feat_dim = 512;        ///< trunk channels
  int64_t out_dim = 1;           ///< classes (ClsHead) or 2 * (num_bins + 1) (RegHead)
  int64_t kernel_size = 3;       ///< conv kernel
  int64_t num_layers = 3;        ///< trunk convs + final conv
  bool with_ln = true;           ///< LayerNorm in the trunk
  double prior_prob = 0.01;      ///< ClsHead bias = -log((1 - p) / p)
  int64_t num_levels = 6;        ///< RegHead: one Scale per level
  bool mask_after_norm = false;  ///< improvement: zero LN output at masked positions
};

/// @brief Trunk of (MaskedConv1D -> LN -> ReLU) x (num_layers - 1) then a final MaskedConv1D.
class ClsHeadImpl : public torch::nn::Module {
 public:
  explicit ClsHeadImpl(const HeadOptions& options);
  /// @return per level [B, out_dim, T_l], exactly 0 at masked positions
  std::vector<torch::Tensor> forward(const Pyramid& pyramid);
  /// @brief One level, or a stretch of one (x [B, C, t], mask [B, 1, t]): [B, out_dim, t]. Output
  /// cells at least receptive_radius() from a cut end equal those of the whole level.
  torch::Tensor forward_level(const torch::Tensor& x, const torch::Tensor& mask, std::size_t level);
  /// Cells on each side that one output cell depends on (num_layers * (kernel_size / 2)).
  int64_t receptive_radius() const { return options_.num_layers * (options_.kernel_size / 2); }

  torch::nn::ModuleList head{nullptr};  ///< "head"
  torch::nn::ModuleList norm{nullptr};  ///< "norm"
  MaskedConv1D cls_head{nullptr};       ///< "cls_head"

 private:
  HeadOptions options_;
};
TORCH_MODULE(ClsHead);

class RegHeadImpl : public torch::nn::Module {
 public:
  explicit RegHeadImpl(const HeadOptions& options);
  /// @return per level ReLU(scale_l * conv) [B, out_dim, T_l]
  std::vector<torch::Tensor> forward(const Pyramid& pyramid);
  /// @brief Level @p level, or a stretch of it; see ClsHeadImpl::forward_level().
  torch::Tensor forward_level(const torch::Tensor& x, const torch::Tensor& mask, std::size_t level);
  int64_t receptive_radius() const { return options_.num_layers * (options_.kernel_size / 2); }

  torch::nn::ModuleList head{nullptr};   ///< "head"
  torch::nn::ModuleList norm{nullptr};   ///< "norm"
  torch::nn::ModuleList scale{nullptr};  ///< "scale": Scale per level
  MaskedConv1D offset_head{nullptr};     ///< "offset_head"

 private:
  HeadOptions options_;
};
TORCH_MODULE(RegHead);

}  // namespace teamor::detector
