// teamor extract RECORDING --model BUNDLE --out DIR
// Computes a recording's feature sequence with the bundle's backend and writes it in the reference
// layout (DIR/videomaev2/<id>.npy [+ DIR/stgcnpp/<id>.npy]) plus DIR/meta.json, so that features
// from teamor and from Python tools interoperate and `teamor train` can use them.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <optional>

#include "app/cancel.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "app/pipeline/progress_reporter.h"
#include "common/error.h"
#include "detector/protocol_detector.h"
#include "features/feature_cache.h"
#include "io/recording.h"

namespace teamor::app {
namespace {

using namespace teamor::app::pipeline;

struct ExtractArgs {
  std::vector<std::string> recordings;
  std::string model = "models/default";
  std::string out;
  std::string layout = "reference";
  std::string id;
  bool skip_existing = false;
  bool no_progress = false;
};

void extract_one(const std::filesystem::path& path, const ExtractArgs& args,
                 const detector::FeatureSetup& setup) {
  const auto recording = io::Recording::open(path);
  const std::string id = !args.id.empty() ? args.id : recording.id;
  if (args.skip_existing && features::has_features(args.out, id)) {
    spdlog::info("{}: features exist, skipped", id);
    return;
  }
  std::optional<ProgressReporter> reporter;
  if (!args.no_progress)
    reporter.emplace(ProgressReporterOptions{.label = "extract " + id, .unit = "clip"});
  detector::DetectionStats stats;
  const auto sequence = detector::extract_recording_features(
      recording, setup, args.model, {}, reporter ? reporter->callback() : ProgressCallback{},
      &cancel_token(), &stats);
  if (reporter) reporter->finish(std::to_string(sequence.T) + " x " + std::to_string(sequence.C));
  for (const auto& warning : stats.warnings)
    spdlog::warn("{}: {}", id, warning);
  if (args.layout == "reference") {
    // Team-OR's 1664 channels split into the VideoMAEv2 and ST-GCN++ streams; other backends'
    // vectors go whole into the scene stream's folder, which the reference loader reads alone.
    const int split =
        sequence.C == features::kReferenceSceneChannels + features::kReferenceSkeletonChannels
            ? features::kReferenceSceneChannels
            : sequence.C;
    features::write_reference_features(args.out, id, sequence, split);
  } else {
    features::write_features(args.out, id, sequence);
  }
  spdlog::info("{}: {} clips x {} channels ({}) written to {}", id, sequence.T, sequence.C,
               sequence.backend, args.out);
}

void run_extract(const ExtractArgs& args) {
  if (args.layout != "reference" && args.layout != "own") {
    throw ConfigError("--layout '" + args.layout + "' is unknown (expected reference or own)");
  }
  if (!args.id.empty() && args.recordings.size() != 1) {
    throw ConfigError("--id names one recording; " + std::to_string(args.recordings.size()) +
                      " were given");
  }
  const auto setup = detector::read_feature_setup(args.model);
  for (const auto& path : args.recordings)
    extract_one(path, args, setup);
}

}  // namespace

void register_extract(CLI::App& app) {
  auto args = std::make_shared<ExtractArgs>();
  auto* cmd = app.add_subcommand(
      "extract", "Compute recordings' feature sequences (for training or for Python tools)");
  cmd->add_option("recordings", args->recordings, "Recording folders or recording.json manifests")
      ->required();
  cmd->add_option("-m,--model", args->model,
                  "Model bundle whose feature backend and grid to use (only model.json is read)")
      ->capture_default_str();
  cmd->add_option("-o,--out", args->out, "Feature folder")->required();
  cmd->add_option(
         "--layout", args->layout,
         "reference: DIR/videomaev2/<id>.npy (+ stgcnpp/) and meta.json; own: DIR/<id>.npy")
      ->capture_default_str();
  cmd->add_option("--id", args->id, "Feature file id (default: the recording's id)");
  cmd->add_flag("--skip-existing", args->skip_existing, "Skip recordings whose features exist");
  cmd->add_flag("--no-progress", args->no_progress, "No progress line");
  cmd->callback([args] {
    const int code = run_guarded([&] { run_extract(*args); });
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace teamor::app
