#include "detector/backbone.h"

#include <torch/torch.h>

#include "common/error.h"

namespace teamor::detector {

BackboneImpl::BackboneImpl(const BackboneOptions& options) : options_(options) {
  embd = register_module("embd", torch::nn::ModuleList());
  embd_norm = register_module("embd_norm", torch::nn::ModuleList());
  for (int64_t i = 0; i < options.num_embd; ++i) {
    const int64_t in = i == 0 ? options.input_dim : options.embd_dim;
    embd->push_back(MaskedConv1D(
        MaskedConv1DOptions{in, options.embd_dim, options.kernel_size, !options.with_ln}));
    if (options.with_ln) embd_norm->push_back(ChannelLayerNorm(options.embd_dim));
  }
}

Pyramid BackboneImpl::forward(const torch::Tensor& x_in, const torch::Tensor& mask_in) {
  TEAMOR_ASSERT(x_in.dim() == 3 && mask_in.dim() == 3);
  TEAMOR_ASSERT(x_in.size(2) % (int64_t{1} << options_.num_branch) == 0);
  torch::Tensor x = x_in;  // [B, C_in, T]
  torch::Tensor mask = mask_in;
  const auto maskf = mask.to(x.dtype());
  for (int64_t i = 0; i < options_.num_embd; ++i) {
    auto r = embd[i]->as<MaskedConv1DImpl>()->forward(x, mask);
    x = r.x;  // [B, C, T]
    if (options_.with_ln) x = embd_norm[i]->as<ChannelLayerNormImpl>()->forward(x);
    // Reference: padded cells become the LN bias here and leak into valid cells downstream.
    if (options_.mask_after_norm) x = x * maskf;
    x = torch::relu(x);
  }
  // Separate max and avg chains; level output is their sum.
  torch::Tensor m = x, a = x;
  for (int64_t i = 0; i < options_.num_stem; ++i) {
    m = masked_max_pool(m, mask, 1).x;
    a = masked_avg_pool(a, mask, 1).x;
  }
  Pyramid out;
  out.features.push_back(m + a);  // [B, C, T]
  out.masks.push_back(mask);
  for (int64_t l = 1; l <= options_.num_branch; ++l) {
    auto rm = masked_max_pool(m, mask, 2);
    mask = rm.mask;
    m = rm.x;
    a = masked_avg_pool(a, out.masks.back(), 2).x;  // same downsampled mask
    out.features.push_back(m + a);                  // [B, C, T / 2^l]
    out.masks.push_back(mask);
  }
  return out;
}

}  // namespace teamor::detector
