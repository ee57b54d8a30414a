#pragma once
// One complete `teamor train` run: load features and annotations, choose the split, train with
// checkpoints, save the EMA network as a model bundle, evaluate it on the held-out split. No
// LibTorch in this header, so the CLI needs none.
//
//   TrainingRunOptions o;
//   o.features_dir = "features"; o.annotations = "annotations.pkl";
//   o.protocol = "timeout"; o.out_bundle = "models/mine";
//   TrainingRunSummary s = run_training(o, &cancel, [](const std::string& line) {
//   puts(line.c_str()); });

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"

namespace teamor::detector {

/// @brief Everything `teamor train` takes.
struct TrainingRunOptions {
  std::filesystem::path features_dir;  ///< reference or teamor feature layout
  std::filesystem::path annotations;   ///< any format read_annotations() reads (pickle: 30 fps)
  std::string protocol = "timeout";    ///< "timeout" or "stop"
  std::filesystem::path out_bundle;    ///< output model bundle folder
  std::filesystem::path config_file;   ///< reference YAML or our JSON; empty: reference defaults
  int epochs = 0;                      ///< total epochs; 0: warm-up + epochs of the config
  std::string device = "cpu";          ///< "cpu" or "cuda"
  std::optional<std::int64_t> seed;    ///< overrides init_rand_seed of the config
  std::filesystem::path split_file;    ///< explicit split; empty: the reference rule
  int checkpoint_every = 5;  ///< epochs between checkpoints (and at the end); <= 0: end only
  bool resume = false;       ///< continue from OUT/checkpoints/last.ckpt when present
  bool evaluate = true;      ///< evaluate the bundle on the held-out split at the end
};

/// @brief What a run did.
struct TrainingRunSummary {
  std::vector<std::string> training_ids;
  std::vector<std::string> test_ids;
  int epochs = 0;
  double final_loss = 0;         ///< mean loss of the last epoch
  double seconds = 0;            ///< training wall time
  double average_map = 0;        ///< mean mAP over tIoU 0.1..0.5 on the test split (NaN: no truth)
  std::vector<double> map;       ///< mAP per threshold
  std::string evaluation_table;  ///< printable table (empty when not evaluated)
};

/// @brief Runs training end to end; progress lines (one per epoch) go to @p log.
/// @throws ConfigError (bad options or config, empty split, annotation ids without features),
///         IoError / FormatError (unreadable inputs), CancelledError (Ctrl-C)
TrainingRunSummary run_training(const TrainingRunOptions& options, const CancelToken* cancel,
                                const std::function<void(const std::string&)>& log);

/// @brief One network per protocol in @p protocols (e.g. {"timeout", "stop"}), in one bundle.
///
/// Each protocol is a run_training() into OUT/parts/<protocol> (its own checkpoints, so --resume
/// continues where a run stopped, and its own evaluation.json); OUT then gets one model.json with
/// every network (detector.safetensors, detector_1.safetensors, ...), which BundleDetector runs in
/// one pass over the features. options.protocol is ignored.
/// @return one summary per protocol, in order
/// @throws as run_training(); ConfigError when @p protocols is empty or repeats one
std::vector<TrainingRunSummary> run_training_for(
    const TrainingRunOptions& options, const std::vector<std::string>& protocols,
    const CancelToken* cancel, const std::function<void(const std::string&)>& log);

}  // namespace teamor::detector
