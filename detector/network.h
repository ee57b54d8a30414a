#pragma once
// The MaxAvg network (Team-OR "MaxAvg_net", spec section 2): backbone -> LayerNorm neck -> four
// heads (classification, start and end boundary heads on detached features, Trident regression).
// Wiring only; losses (detector/losses.h) and decoding/Soft-NMS (detector/postprocess.h) are free
// functions.
//
//   Network net(config);                                    // reference init order (spec 2.8)
//   load_state(net, io::read_safetensors("model.safetensors"), "model.safetensors");
//   net->eval();
//   PaddedBatch in = pad_batch({features_CxT}, config, /*training=*/false);
//   NetworkOutput out = net->forward(in.x, in.mask);       // out.cls_logits[l]: [1, 1, T_l]

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <torch/nn.h>

#include "detector/backbone.h"
#include "detector/config.h"
#include "detector/heads.h"
#include "detector/neck.h"

namespace teamor::io {
struct SafeTensors;
}

namespace teamor::detector {

/// @brief Raw outputs of one forward pass, per level l = 0..5 (T_l = T_pad / 2^l).
struct NetworkOutput {
  std::vector<torch::Tensor> cls_logits;    ///< [B, num_classes, T_l]
  std::vector<torch::Tensor> start_logits;  ///< [B, num_classes, T_l] (from detached features)
  std::vector<torch::Tensor> end_logits;    ///< [B, num_classes, T_l] (from detached features)
  std::vector<torch::Tensor> reg_offsets;   ///< [B, 2 * (num_bins + 1), T_l], after ReLU(scale * .)
  std::vector<torch::Tensor> masks;         ///< [B, 1, T_l] bool
  std::vector<torch::Tensor> neck_features;  ///< [B, C, T_l], the neck outputs (for tests)
};

class NetworkImpl : public torch::nn::Module {
 public:
  /// @brief Builds the modules in the reference order, so a seeded RNG gives the reference's
  /// initial weights (spec 2.8, 3.7).
  /// @throws ConfigError when the configuration names an unsupported part
  explicit NetworkImpl(const DetectorConfig& config);
  /// @param x [B, input_dim, T_pad] float32, T_pad a multiple of max_div_factor
  /// @param mask [B, 1, T_pad] bool, true on valid steps
  NetworkOutput forward(const torch::Tensor& x, const torch::Tensor& mask);
  /// @brief Inference-only forward (improvements.sparse_heads, in sparse_heads.cpp): backbone,
  /// neck and classification head everywhere; the start, end and regression heads only within
  /// num_bins cells of a cell whose class probability exceeds test.pre_nms_thresh and reaches
  /// @p min_score (cells below can never yield a kept detection: Soft-NMS only lowers scores).
  /// Elsewhere those outputs are 0. detect_on_grid() on the result equals detect_on_grid() on
  /// forward() for every detection scoring >= @p min_score.
  NetworkOutput forward_for_detection(const torch::Tensor& x, const torch::Tensor& mask,
                                      double min_score);

  const DetectorConfig& config() const { return config_; }

  Backbone backbone{nullptr};   ///< "backbone"
  Neck neck{nullptr};           ///< "neck"
  ClsHead cls_head{nullptr};    ///< "cls_head"
  ClsHead start_head{nullptr};  ///< "start_head"
  ClsHead end_head{nullptr};    ///< "end_head"
  RegHead reg_head{nullptr};    ///< "reg_head"

 private:
  DetectorConfig config_;
};
TORCH_MODULE(Network);

/// @brief A padded batch ready for forward().
struct PaddedBatch {
  torch::Tensor x;               ///< [B, C, T_pad] float32, zeros after each sequence
  torch::Tensor mask;            ///< [B, 1, T_pad] bool
  std::vector<int64_t> lengths;  ///< real length of each sequence (feature steps)
};

/// @brief Padded length for sequences whose longest has @p max_length steps (spec 1.7).
/// Reference: training -> max_seq_len; inference -> max_seq_len if L <= max_seq_len, else the next
/// multiple of max_div_factor. Adaptive padding (improvement): the next multiple of max_div_factor.
/// @param max_length longest real length in feature steps (> 0)
/// @param training training-time rule (the reference asserts L <= max_seq_len there)
/// @throws ConfigError when training and max_length > max_seq_len in reference mode
int64_t padded_length(int64_t max_length, const DetectorConfig& config, bool training);

/// @brief Stacks sequences [C, T_i] into one zero-padded batch of padded_length(max T_i).
/// @throws FormatError when a sequence is empty or has the wrong channel count
PaddedBatch pad_batch(const std::vector<torch::Tensor>& sequences, const DetectorConfig& config,
                      bool training);

/// @brief Copies tensors into the network's parameters by reference state-dict name (spec 6.3);
/// a `module.` prefix is stripped. float16/float32 accepted.
/// @param source file name used in the error message
/// @throws ModelError listing ALL missing, extra and mis-shaped tensors in one message
void load_state(Network& network, const io::SafeTensors& weights, const std::string& source);

/// @brief The network's parameters as float32 arrays named as in the reference state dict.
io::SafeTensors state_to_safetensors(Network& network);

}  // namespace teamor::detector
