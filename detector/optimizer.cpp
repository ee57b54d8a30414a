#include "detector/optimizer.h"

#include <torch/torch.h>
#include <algorithm>
#include <map>

#include "common/error.h"

namespace teamor::detector {

ParameterGroups make_parameter_groups(const torch::nn::Module& model) {
  std::map<std::string, torch::Tensor> decay, no_decay;
  for (const auto& item : model.named_modules("", /*include_self=*/true)) {
    const auto& prefix = item.key();
    const auto& module = item.value();
    const bool is_conv = module->as<torch::nn::Conv1d>() != nullptr;
    for (const auto& p : module->named_parameters(/*recurse=*/false)) {
      if (!p.value().requires_grad()) continue;
      const std::string name = prefix.empty() ? p.key() : prefix + "." + p.key();
      const bool conv_weight =
          (is_conv && p.key() == "weight") ||
          (name.size() >= 11 && name.compare(name.size() - 11, 11, "conv.weight") == 0);
      (conv_weight ? decay : no_decay).emplace(name, p.value());
    }
  }
  ParameterGroups g;
  for (auto& [n, t] : decay) {  // std::map iterates in sorted name order
    g.decay_names.push_back(n);
    g.decay.push_back(t);
  }
  for (auto& [n, t] : no_decay) {
    g.no_decay_names.push_back(n);
    g.no_decay.push_back(t);
  }
  std::size_t trainable = 0;
  for (const auto& p : model.parameters())
    trainable += p.requires_grad() ? 1 : 0;
  TEAMOR_ASSERT(g.decay.size() + g.no_decay.size() == trainable);
  return g;
}

std::unique_ptr<torch::optim::AdamW> make_optimizer(const torch::nn::Module& model, double lr,
                                                    double weight_decay) {
  auto groups = make_parameter_groups(model);
  auto decay_opts = std::make_unique<torch::optim::AdamWOptions>(lr);
  decay_opts->betas({0.9, 0.999}).eps(1e-8).weight_decay(weight_decay).amsgrad(false);
  auto no_decay_opts = std::make_unique<torch::optim::AdamWOptions>(lr);
  no_decay_opts->betas({0.9, 0.999}).eps(1e-8).weight_decay(0.0).amsgrad(false);
  std::vector<torch::optim::OptimizerParamGroup> param_groups;
  param_groups.emplace_back(groups.decay, std::move(decay_opts));
  param_groups.emplace_back(groups.no_decay, std::move(no_decay_opts));
  auto defaults = torch::optim::AdamWOptions(lr);
  defaults.betas({0.9, 0.999}).eps(1e-8).weight_decay(weight_decay);
  return std::make_unique<torch::optim::AdamW>(std::move(param_groups), defaults);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
}

}  // namespace teamor::detector
