#pragma once
// Long work (decoding, extraction, training, batch) reports progress through a callback and stops
// when its cancel token is set (Ctrl-C in the CLI, Cancel in the viewer).

#include <atomic>
#include <functional>
#include <string>

#include "common/error.h"

namespace teamor {

/// @brief Shared flag that asks long work to stop at its next check.
class CancelToken {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  /// @throws CancelledError when cancel() was called
  void throw_if_cancelled() const {
    if (cancelled()) throw CancelledError();
  }

 private:
  std::atomic<bool> cancelled_{false};
};

/// One progress report: @p done of @p total units (total 0 when unknown) and a short stage name.
struct Progress {
  double done = 0;
  double total = 0;
  std::string stage;
};

using ProgressCallback = std::function<void(const Progress&)>;

}  // namespace teamor
