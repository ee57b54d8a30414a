#include "detector/lr_schedule.h"

#include <cmath>
#include <numbers>

#include "common/error.h"

namespace teamor::detector {

WarmupCosineSchedule::WarmupCosineSchedule(double base_lr, std::int64_t warmup_iters,
                                           std::int64_t total_iters, double eta_min,
                                           double warmup_start_lr)
    : base_(base_lr),
      warmup_(warmup_iters),
      total_(total_iters),
      eta_min_(eta_min),
      start_(warmup_start_lr),
      lr_(warmup_iters > 0 ? warmup_start_lr : base_lr) {
  TEAMOR_ASSERT(warmup_iters >= 0 && total_iters > warmup_iters);
}

void WarmupCosineSchedule::step() {
  ++k_;
  const double pi = std::numbers::pi;
  const double span = static_cast<double>(total_ - warmup_);
  if (k_ < warmup_) {
    // Linear: add the same increment each step, so that lr(W - 1) = base (one step early,
    // spec 8.4).
    lr_ = lr_ + (base_ - start_) / static_cast<double>(warmup_ - 1);
  } else if (k_ == warmup_) {
    lr_ = base_;
  } else {
    // Cosine as a ratio of consecutive cosine factors applied to the previous lr.
    const double kk = static_cast<double>(k_ - warmup_);
    lr_ = (1 + std::cos(pi * kk / span)) / (1 + std::cos(pi * (kk - 1) / span)) * (lr_ - eta_min_) +
          eta_min_;
  }
}

double WarmupCosineSchedule::closed_form(std::int64_t k) const {
  if (k < warmup_) {
    if (k == 0) return start_;
    return start_ + static_cast<double>(k) * (base_ - start_) / static_cast<double>(warmup_ - 1);
  }
  const double frac = static_cast<double>(k - warmup_) / static_cast<double>(total_ - warmup_);
  return eta_min_ + 0.5 * (base_ - eta_min_) * (1 + std::cos(std::numbers::pi * frac));
}

}  // namespace teamor::detector
