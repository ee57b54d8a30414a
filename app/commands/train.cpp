// teamor train --features DIR --annotations FILE --protocol timeout|stop|both --out BUNDLE
// [--config F]
//              [--epochs N] [--device cpu|cuda] [--seed S] [--split FILE] [--resume]
// Trains the MaxAvg detector as the Team-OR reference does (label assignment, IoU-weighted focal +
// DIoU losses, AdamW groups, warm-up + cosine, clipping, EMA), writes the EMA network as a model
// bundle and prints the held-out evaluation table of `teamor eval`. `--protocol both` trains one
// network per protocol and writes them into one bundle (one pass over the features detects both).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cancel.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "detector/training_run.h"

namespace teamor::app {
namespace {

struct TrainArgs {
  detector::TrainingRunOptions run;
  std::string features, annotations, out, config, split;
  std::optional<std::int64_t> seed;
  bool no_eval = false;
};

void run_train(TrainArgs& a) {
  a.run.features_dir = a.features;
  a.run.annotations = a.annotations;
  a.run.out_bundle = a.out;
  a.run.config_file = a.config;
  a.run.split_file = a.split;
  a.run.seed = a.seed;
  a.run.evaluate = !a.no_eval;
  const auto log = [](const std::string& line) { spdlog::info("{}", line); };
  if (a.run.protocol != "both") {
    const auto summary = detector::run_training(a.run, &cancel_token(), log);
    if (!summary.evaluation_table.empty()) std::cout << summary.evaluation_table;
    return;
  }
  const std::vector<std::string> protocols = {"timeout", "stop"};
  const auto summaries = detector::run_training_for(a.run, protocols, &cancel_token(), log);
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    if (summaries[i].evaluation_table.empty()) continue;
    std::cout << "== " << protocols[i] << " ==\n" << summaries[i].evaluation_table;
  }
}

}  // namespace

void register_train(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand(
      "train", "Train the detector (Team-OR reference recipe) and write a model bundle");
  cmd->add_option("--features", args->features, "Feature folder (reference or teamor layout)")
      ->required();
  cmd->add_option("--annotations", args->annotations,
                  "Ground truth in any supported format (Team-OR pickle read at 30 fps)")
      ->required();
  cmd->add_option("--protocol", args->run.protocol,
                  "Protocol to detect; both: one network per protocol in one bundle")
      ->required()
      ->check(CLI::IsMember({"timeout", "stop", "both"}));
  cmd->add_option("--out", args->out, "Output model bundle folder")->required();
  cmd->add_option("--config", args->config,
                  "Reference YAML or teamor JSON config (default: the paper's settings)");
  cmd->add_option("--epochs", args->run.epochs,
                  "Total epochs (default: warmup_epochs + epochs of the config, 60); the warm-up "
                  "share of the config is kept")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--device", args->run.device, "cpu or cuda")
      ->capture_default_str()
      ->check(CLI::IsMember({"cpu", "cuda"}));
  cmd->add_option("--seed", args->seed, "Seed (default: init_rand_seed of the config, 1234567891)");
  cmd->add_option(
      "--split", args->split,
      "Split file {\"training\": [ids], \"test\": [ids]} (default: the reference rule)");
  cmd->add_option("--checkpoint-every", args->run.checkpoint_every,
                  "Epochs between checkpoints in OUT/checkpoints (always at the end)")
      ->capture_default_str();
  cmd->add_flag("--resume", args->run.resume, "Continue from OUT/checkpoints/last.ckpt if present");
  cmd->add_flag("--no-eval", args->no_eval, "Skip the held-out evaluation");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_train(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
