#pragma once
// Learning-rate schedule of the reference (MAXAVG_SPEC section 3.4): linear warm-up from 0, then a
// cosine down to eta_min, stepped once per iteration. The reference computes it recursively (each
// lr from the previous one); this class does the same so that resumed and uninterrupted runs agree
// bit for bit and agree with the reference to the last bit of its double arithmetic.

#include <cstdint>

namespace teamor::detector {

/// @brief Linear warm-up then cosine annealing, per iteration.
class WarmupCosineSchedule {
 public:
  /// @param base_lr learning rate reached at the end of warm-up
  /// @param warmup_iters W: iterations of warm-up (lr 0 at k = 0, base at k = W - 1); 0 = none
  /// @param total_iters M: iterations in total (> W)
  /// @param eta_min floor of the cosine
  /// @param warmup_start_lr lr at k = 0
  WarmupCosineSchedule(double base_lr, std::int64_t warmup_iters, std::int64_t total_iters,
                       double eta_min = 1e-8, double warmup_start_lr = 0.0);

  /// @brief The learning rate for the current iteration k (start: k = 0).
  double lr() const { return lr_; }
  /// @brief The current iteration index k.
  std::int64_t iteration() const { return k_; }
  /// @brief Advances to k + 1 and computes its lr from the previous one (the reference's
  /// recursion).
  void step();
  /// @brief Restores a saved position (checkpoint resume): iteration k with its lr.
  void restore(std::int64_t k, double lr) {
    k_ = k;
    lr_ = lr;
  }
  /// @brief The closed form at iteration @p k (for tests; differs from lr() by ~1e-19).
  double closed_form(std::int64_t k) const;

 private:
  double base_;
  std::int64_t warmup_;
  std::int64_t total_;
  double eta_min_;
  double start_;
  std::int64_t k_ = 0;
  double lr_;
};

}  // namespace teamor::detector
