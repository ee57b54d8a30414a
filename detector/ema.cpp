#include "detector/ema.h"

#include <torch/torch.h>
#include <algorithm>

#include "common/error.h"

namespace teamor::detector {

namespace {
std::vector<std::pair<std::string, torch::Tensor>> state_of(const torch::nn::Module& m) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& p : m.named_parameters(true))
    out.emplace_back(p.key(), p.value());
  for (const auto& b : m.named_buffers(true))
    out.emplace_back(b.key(), b.value());
  return out;
}

void check_match(const std::vector<std::pair<std::string, torch::Tensor>>& a,
                 const std::vector<std::pair<std::string, torch::Tensor>>& b) {
  TEAMOR_ASSERT(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    TEAMOR_ASSERT(a[i].first == b[i].first && a[i].second.sizes() == b[i].second.sizes());
  }
}
}  // namespace

void ModelEma::copy_state(const torch::nn::Module& model, torch::nn::Module& ema) {
  const auto src = state_of(model);
  const auto dst = state_of(ema);
  check_match(src, dst);
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < src.size(); ++i)
    dst[i].second.copy_(src[i].second);
}

double ModelEma::current_decay() const {
  if (!warmup_) return decay_;
  const double n = static_cast<double>(updates_);
  return std::min(decay_, (1.0 + n) / (10.0 + n));
}

void ModelEma::update(const torch::nn::Module& model, torch::nn::Module& ema) {
  const auto src = state_of(model);
  const auto dst = state_of(ema);
  check_match(src, dst);
  const double d = current_decay();
  torch::NoGradGuard no_grad;
  // Same expression as the reference: d * e + (1 - d) * w, with (1 - d) in double.
  for (std::size_t i = 0; i < src.size(); ++i) {
    auto& e = dst[i].second;
    if (!e.is_floating_point()) {
      e.copy_(src[i].second);
      continue;
    }
    e.copy_(e * d + src[i].second * (1.0 - d));
  }
  ++updates_;
}

}  // namespace teamor::detector
