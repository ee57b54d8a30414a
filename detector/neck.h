#pragma once
// Neck "identity" (spec 2.3): one LayerNorm per level, nothing else.

#include <torch/nn.h>

#include "detector/backbone.h"

namespace teamor::detector {

struct NeckOptions {
  int64_t channels = 512;        ///< feature channels
  int64_t num_levels = 6;        ///< pyramid levels
  bool with_ln = true;           ///< fpn_with_ln
  bool mask_after_norm = false;  ///< improvement: zero LN output at masked positions
};

class NeckImpl : public torch::nn::Module {
 public:
  explicit NeckImpl(const NeckOptions& options);
  /// @return the pyramid with each level normalised; masks unchanged
  Pyramid forward(const Pyramid& input);

  torch::nn::ModuleList fpn_norms{nullptr};  ///< "fpn_norms": ChannelLayerNorm per level

 private:
  NeckOptions options_;
};
TORCH_MODULE(Neck);

}  // namespace teamor::detector
