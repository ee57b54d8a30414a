#include "detector/heads.h"

#include <cmath>

#include <torch/torch.h>

namespace teamor::detector {
namespace {

// Builds the shared trunk in the reference order (head.i conv, then norm.i), so RNG draws match.
void build_trunk(torch::nn::Module& self, torch::nn::ModuleList& head, torch::nn::ModuleList& norm,
                 const HeadOptions& o) {
  head = self.register_module("head", torch::nn::ModuleList());
  norm = self.register_module("norm", torch::nn::ModuleList());
  for (int64_t i = 0; i + 1 < o.num_layers; ++i) {
    const int64_t in = i == 0 ? o.input_dim : o.feat_dim;
    head->push_back(MaskedConv1D(MaskedConv1DOptions{in, o.feat_dim, o.kernel_size, !o.with_ln}));
    if (o.with_ln) norm->push_back(ChannelLayerNorm(o.feat_dim));
  }
}

// (conv -> LN -> ReLU) for each trunk layer. [B, C, T_l] -> [B, feat_dim, T_l]
torch::Tensor run_trunk(torch::nn::ModuleList& head, torch::nn::ModuleList& norm,
                        const HeadOptions& o, torch::Tensor x, const torch::Tensor& mask) {
  const auto maskf = mask.to(x.dtype());
  for (std::size_t i = 0; i < head->size(); ++i) {
    x = head[i]->as<MaskedConv1DImpl>()->forward(x, mask).x;
    if (o.with_ln) x = norm[i]->as<ChannelLayerNormImpl>()->forward(x);
    if (o.mask_after_norm) x = x * maskf;
    x = torch::relu(x);
  }
  return x;
}

}  // namespace

ClsHeadImpl::ClsHeadImpl(const HeadOptions& options) : options_(options) {
  build_trunk(*this, head, norm, options);
  cls_head = register_module("cls_head",
                             MaskedConv1D(MaskedConv1DOptions{options.feat_dim, options.out_dim,
                                                              options.kernel_size, /*bias=*/true}));
  if (options.prior_prob > 0) {
    torch::NoGradGuard no_grad;
    const double bias_value = -std::log((1 - options.prior_prob) / options.prior_prob);
    cls_head->conv->bias.fill_(bias_value);
  }
}

std::vector<torch::Tensor> ClsHeadImpl::forward(const Pyramid& pyramid) {
  std::vector<torch::Tensor> out;
  for (std::size_t l = 0; l < pyramid.features.size(); ++l)
    out.push_back(forward_level(pyramid.features[l], pyramid.masks[l], l));
  return out;
}

torch::Tensor ClsHeadImpl::forward_level(const torch::Tensor& x, const torch::Tensor& mask,
                                         std::size_t) {
  auto trunk = run_trunk(head, norm, options_, x, mask);
  return cls_head->forward(trunk, mask).x;  // [B, out_dim, t]
}

RegHeadImpl::RegHeadImpl(const HeadOptions& options) : options_(options) {
  build_trunk(*this, head, norm, options);
  scale = register_module("scale", torch::nn::ModuleList());
  for (int64_t l = 0; l < options.num_levels; ++l)
    scale->push_back(Scale(1.0));
  offset_head = register_module(
      "offset_head", MaskedConv1D(MaskedConv1DOptions{options.feat_dim, options.out_dim,
                                                      options.kernel_size, /*bias=*/true}));
}

std::vector<torch::Tensor> RegHeadImpl::forward(const Pyramid& pyramid) {
  std::vector<torch::Tensor> out;
  for (std::size_t l = 0; l < pyramid.features.size(); ++l)
    out.push_back(forward_level(pyramid.features[l], pyramid.masks[l], l));
  return out;
}

torch::Tensor RegHeadImpl::forward_level(const torch::Tensor& x, const torch::Tensor& mask,
                                         std::size_t level) {
  auto trunk = run_trunk(head, norm, options_, x, mask);
  auto off = offset_head->forward(trunk, mask).x;  // [B, out_dim, t]
  return torch::relu(scale[level]->as<ScaleImpl>()->forward(off));
}

}  // namespace teamor::detector
