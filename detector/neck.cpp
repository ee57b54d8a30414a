#include "detector/neck.h"

#include <torch/torch.h>

namespace teamor::detector {

NeckImpl::NeckImpl(const NeckOptions& options) : options_(options) {
  fpn_norms = register_module("fpn_norms", torch::nn::ModuleList());
  if (options.with_ln)
    for (int64_t l = 0; l < options.num_levels; ++l)
      fpn_norms->push_back(ChannelLayerNorm(options.channels));
}

Pyramid NeckImpl::forward(const Pyramid& input) {
  Pyramid out;
  out.masks = input.masks;
  for (std::size_t l = 0; l < input.features.size(); ++l) {
    torch::Tensor x = input.features[l];  // [B, C, T_l]
    if (options_.with_ln) x = fpn_norms[l]->as<ChannelLayerNormImpl>()->forward(x);
    if (options_.mask_after_norm) x = x * input.masks[l].to(x.dtype());
    out.features.push_back(x);
  }
  return out;
}

}  // namespace teamor::detector
