#pragma once
// Backbone "avg_max" (spec 2.2): two masked conv + LN + ReLU embedding layers, then separate max
// and average pooling chains (2 stride-1 stem blocks, 5 stride-2 branch blocks); level output =
// max chain + avg chain.

#include <vector>

#include <torch/nn.h>

#include "detector/blocks.h"

namespace teamor::detector {

/// @brief Backbone options (spec 0, model section).
struct BackboneOptions {
  int64_t input_dim = 1664;  ///< input channels
  int64_t embd_dim = 512;    ///< embedding channels
  int64_t kernel_size = 3;   ///< embedding conv kernel
  bool with_ln = true;       ///< LayerNorm after each embedding conv
  int64_t num_embd = 2;      ///< backbone_arch[0]
  int64_t num_stem = 2;      ///< backbone_arch[1]
  int64_t num_branch = 5;    ///< backbone_arch[2]
  /// Zero LN outputs at masked positions so padding never leaks into valid cells (improvement;
  /// false = reference).
  bool mask_after_norm = false;
};

/// @brief Per-level features and masks.
struct Pyramid {
  std::vector<torch::Tensor> features;  ///< level l: [B, C, T / 2^l]
  std::vector<torch::Tensor> masks;     ///< level l: [B, 1, T / 2^l] bool
};

class BackboneImpl : public torch::nn::Module {
 public:
  explicit BackboneImpl(const BackboneOptions& options);
  /// @param x [B, C_in, T] (T a multiple of 2^num_branch) @param mask [B, 1, T] bool
  Pyramid forward(const torch::Tensor& x, const torch::Tensor& mask);

  torch::nn::ModuleList embd{nullptr};       ///< "embd": MaskedConv1D
  torch::nn::ModuleList embd_norm{nullptr};  ///< "embd_norm": ChannelLayerNorm

 private:
  BackboneOptions options_;
};
TORCH_MODULE(Backbone);

}  // namespace teamor::detector
