#pragma once
// Building blocks of the MaxAvg network (spec 2.1): masked convolution, channel LayerNorm, the
// per-level Scale and the parameter-free max/avg pooling. Attribute names equal the reference's
// Python attributes so state-dict names match (spec 6.3).

#include <torch/nn.h>

namespace teamor::detector {

/// @brief A feature map and its validity mask, as every masked block takes and returns them.
struct Masked {
  torch::Tensor x;     ///< [B, C, T] float
  torch::Tensor mask;  ///< [B, 1, T] bool
};

/// @brief Options of MaskedConv1D (kernel odd, stride 1, padding k/2).
struct MaskedConv1DOptions {
  int64_t in_channels = 512;   ///< input channels
  int64_t out_channels = 512;  ///< output channels
  int64_t kernel_size = 3;     ///< odd kernel width in steps
  bool bias = true;            ///< reference: bias = not with_ln
};

/// @brief conv1d(x) * mask; the bias (if any) is zeroed at construction like the reference.
class MaskedConv1DImpl : public torch::nn::Module {
 public:
  explicit MaskedConv1DImpl(const MaskedConv1DOptions& options);
  /// @param x [B, C_in, T]  @param mask [B, 1, T] bool  @return {[B, C_out, T], mask}
  Masked forward(const torch::Tensor& x, const torch::Tensor& mask);

  torch::nn::Conv1d conv{nullptr};  ///< "conv"
};
TORCH_MODULE(MaskedConv1D);

/// @brief LayerNorm over channels of [B, C, T], biased variance, eps 1e-5; weight/bias (1, C, 1).
class ChannelLayerNormImpl : public torch::nn::Module {
 public:
  explicit ChannelLayerNormImpl(int64_t channels, double eps = 1e-5);
  /// @param x [B, C, T] @return [B, C, T]
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;  ///< "weight" (1, C, 1), init 1
  torch::Tensor bias;    ///< "bias" (1, C, 1), init 0
  double eps_;
};
TORCH_MODULE(ChannelLayerNorm);

/// @brief A learnable scalar (0-d parameter "scale", init 1.0).
class ScaleImpl : public torch::nn::Module {
 public:
  explicit ScaleImpl(double init = 1.0);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor scale;  ///< "scale" ()
};
TORCH_MODULE(Scale);

/// @brief Max pooling (k3, pad 1, -inf padding) times the output mask (spec 2.1).
/// @param stride 1 or 2; for 2 the output mask is the input mask at even indices
Masked masked_max_pool(const torch::Tensor& x, const torch::Tensor& mask, int64_t stride);
/// @brief Average pooling (k3, pad 1, divisor always 3) times the output mask (spec 2.1).
Masked masked_avg_pool(const torch::Tensor& x, const torch::Tensor& mask, int64_t stride);
/// @brief Nearest downsampling of a [B, 1, T] bool mask to length T / stride (even indices).
torch::Tensor downsample_mask(const torch::Tensor& mask, int64_t stride);

}  // namespace teamor::detector
