#include "detector/blocks.h"

#include <torch/torch.h>

namespace teamor::detector {

MaskedConv1DImpl::MaskedConv1DImpl(const MaskedConv1DOptions& options) {
  conv = register_module(
      "conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(options.in_channels, options.out_channels,
                                                         options.kernel_size)
                                    .stride(1)
                                    .padding(options.kernel_size / 2)
                                    .bias(options.bias)));
  // The reference zeroes the bias after the default init drew it (the draw still consumes RNG).
  if (options.bias) {
    torch::NoGradGuard no_grad;
    conv->bias.zero_();
  }
}

Masked MaskedConv1DImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  // [B, C_out, T] * [B, 1, T]
  auto out = conv->forward(x) * mask.to(x.dtype());
  return {out, mask};
}

ChannelLayerNormImpl::ChannelLayerNormImpl(int64_t channels, double eps) : eps_(eps) {
  weight = register_parameter("weight", torch::ones({1, channels, 1}));
  bias = register_parameter("bias", torch::zeros({1, channels, 1}));
}

torch::Tensor ChannelLayerNormImpl::forward(const torch::Tensor& x) {
  // Same operation order as the reference: centre, biased variance, divide, affine.
  auto mu = torch::mean(x, 1, /*keepdim=*/true);
  auto res_x = x - mu;
  auto sigma = torch::mean(res_x * res_x, 1, /*keepdim=*/true);
  auto out = res_x / torch::sqrt(sigma + eps_);
  return out * weight + bias;
}

ScaleImpl::ScaleImpl(double init) {
  scale = register_parameter("scale", torch::tensor(static_cast<float>(init)));
}

torch::Tensor ScaleImpl::forward(const torch::Tensor& x) {
  return x * scale;
}

torch::Tensor downsample_mask(const torch::Tensor& mask, int64_t stride) {
  if (stride == 1) return mask;
  // Nearest interpolation to T / stride picks index i * stride.
  return mask.slice(/*dim=*/2, 0, mask.size(2), stride).slice(2, 0, mask.size(2) / stride);
}

Masked masked_max_pool(const torch::Tensor& x, const torch::Tensor& mask, int64_t stride) {
  auto out_mask = downsample_mask(mask, stride);
  auto out = torch::max_pool1d(x, {3}, {stride}, {1});
  return {out * out_mask.to(out.dtype()), out_mask};
}

Masked masked_avg_pool(const torch::Tensor& x, const torch::Tensor& mask, int64_t stride) {
  auto out_mask = downsample_mask(mask, stride);
  // count_include_pad = true: the divisor is always 3, also at the edges.
  auto out = torch::avg_pool1d(x, {3}, {stride}, {1}, /*ceil_mode=*/false,
                               /*count_include_pad=*/true);
  return {out * out_mask.to(out.dtype()), out_mask};
}

}  // namespace teamor::detector
