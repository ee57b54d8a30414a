#pragma once
// The training loop of the reference (MAXAVG_SPEC section 3): shuffled batches of 2 (drop_last),
// random crop, padding, label assignment, IoU-weighted focal + DIoU losses over the loss
// normaliser, backward, global gradient clipping, AdamW with two parameter groups, per-iteration
// warm-up + cosine schedule, EMA of the weights (the EMA network is what gets evaluated and
// shipped). Checkpoints hold everything needed to resume bit for bit: weights, EMA, optimiser
// moments, schedule position, loss normaliser and random-generator states.
//
//   Trainer trainer(config, {.seed = 1234567891});
//   trainer.set_training_data(std::move(videos));
//   while (!trainer.finished()) {
//     EpochStats s = trainer.run_epoch(cancel);
//     if (s.epoch % 5 == 0) trainer.save_checkpoint(dir / "last.ckpt");
//   }
//   Network shipped = trainer.ema_network();

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/progress.h"
#include "detector/config.h"
#include "detector/network.h"
#include "detector/training_data.h"

namespace teamor::detector {

/// @brief Run settings that are not part of the model configuration.
struct TrainerSettings {
  std::int64_t seed = 1234567891;  ///< seeds initialisation (torch) and shuffling/cropping (ours)
  int total_epochs = 0;        ///< 0: warmup_epochs + epochs of the config; else this many, with
                               ///< the config's warm-up fraction
  std::string device = "cpu";  ///< "cpu" or "cuda"
  double ema_decay = 0.999;    ///< reference EMA decay
};

/// @brief What one epoch did.
struct EpochStats {
  int epoch = 0;                ///< 1-based epoch just finished
  int total_epochs = 0;         ///< epochs in the run
  std::int64_t iterations = 0;  ///< iterations in this epoch
  double mean_loss = 0;         ///< mean final loss over the epoch
  double mean_cls_loss = 0;     ///< mean classification loss
  double mean_reg_loss = 0;     ///< mean regression loss
  double last_lr = 0;           ///< lr used by the epoch's last iteration
  double last_grad_norm = 0;    ///< gradient norm before clipping, last iteration
  double normalizer = 0;        ///< loss normaliser after the epoch
  double seconds = 0;           ///< wall time of the epoch
};

/// @brief Trains one network (+ its EMA copy) on in-memory videos.
class Trainer {
 public:
  /// @brief Seeds torch with settings.seed, then builds the network (reference init order) and the
  /// EMA copy (same initial weights).
  /// @throws ConfigError for an unavailable device or impossible settings
  Trainer(const DetectorConfig& config, const TrainerSettings& settings);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// @brief Sets the training videos and builds optimiser and schedule for their count.
  /// @throws ConfigError when fewer videos than the batch size are given, or a video's channel
  /// count
  ///         differs from the config's input_dim
  void set_training_data(std::vector<TrainingVideo> videos);

  /// @brief Runs one epoch. @p cancel is checked between iterations.
  /// @throws CancelledError when cancelled (the state is then mid-epoch; resume from a checkpoint)
  EpochStats run_epoch(const CancelToken* cancel = nullptr, const ProgressCallback& progress = {});

  /// @brief Whether every epoch has run.
  bool finished() const;
  int epochs_done() const;
  int total_epochs() const;
  std::int64_t iterations_per_epoch() const;

  /// @brief Writes a checkpoint atomically.
  /// @throws IoError when writing fails
  void save_checkpoint(const std::filesystem::path& path) const;
  /// @brief Restores a checkpoint written by save_checkpoint() for the same configuration and data.
  /// @throws IoError / FormatError when unreadable, ConfigError when it belongs to another
  ///         configuration, seed or training-set size
  void load_checkpoint(const std::filesystem::path& path);

  /// @brief The network being optimised.
  Network& network();
  /// @brief The EMA network (evaluated and shipped).
  Network& ema_network();
  /// @brief The loss normaliser's current value.
  double loss_normalizer() const;
  const DetectorConfig& config() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace teamor::detector
