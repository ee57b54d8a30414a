#pragma once
// AdamW with the reference's two parameter groups (MAXAVG_SPEC section 3.3): convolution weights
// decay, everything else (conv biases, LayerNorm gamma/beta, Scale scalars) does not. Each group
// lists its parameters in sorted name order, as the reference does.

#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

namespace teamor::detector {

/// @brief The two parameter groups by name.
struct ParameterGroups {
  std::vector<std::string> decay_names;     ///< sorted; weight decay applies
  std::vector<std::string> no_decay_names;  ///< sorted; no weight decay
  std::vector<torch::Tensor> decay;         ///< same order as decay_names
  std::vector<torch::Tensor> no_decay;      ///< same order as no_decay_names
};

/// @brief Splits @p model's trainable parameters: weights of Conv1d modules (or parameters named
/// `*conv.weight`) decay; every other parameter does not.
/// @throws teamor::Error (assertion) when a parameter lands in no group
ParameterGroups make_parameter_groups(const torch::nn::Module& model);

/// @brief Builds the reference AdamW: betas (0.9, 0.999), eps 1e-8, decoupled weight decay
/// @p weight_decay on the decay group, 0 on the other; both groups start at @p lr.
/// @param model the network
/// @param lr initial learning rate (the schedule overwrites it each iteration)
/// @param weight_decay decay of the conv weights (0.025 in the reference)
std::unique_ptr<torch::optim::AdamW> make_optimizer(const torch::nn::Module& model, double lr,
                                                    double weight_decay);

/// @brief Sets the learning rate of every group.
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

}  // namespace teamor::detector
