// teamor detect: runs a model bundle on feature files and writes ActivityNet results.
// The feature-file path lives in run_detect_on_features(); a recording (video) mode can be added
// beside it without touching it.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>

#include "annotations/annotation_io.h"
#include "app/cancel.h"
#include "app/commands/commands.h"
#include "app/commands/detect_recording.h"
#include "app/common_options.h"
#include "common/error.h"
#include "common/progress.h"
#include "detector/feature_files.h"
#include "detector/inference.h"

namespace teamor::app {
namespace {

struct DetectArgs {
  std::string features;          ///< feature folder (reference or teamor layout)
  std::string model;             ///< model bundle folder
  std::vector<std::string> ids;  ///< ids to run; empty = every feature file
  std::string out;               ///< ActivityNet results JSON
};

/// Detections of several videos as an AnnotationCollection of scored predictions.
annotations::AnnotationCollection to_collection(const std::vector<detector::VideoResult>& results) {
  annotations::AnnotationCollection out;
  for (const auto& r : results)
    out[r.id] = detector::to_annotation_set(r);
  return out;
}

/// The feature-file mode: every id in @p args.features through the bundle, results to args.out.
void run_detect_on_features(const DetectArgs& args) {
  const detector::BundleDetector det(args.model);
  const auto ids = args.ids.empty() ? detector::list_feature_ids(args.features) : args.ids;
  if (ids.empty()) throw IoError("no feature files found", args.features);
  std::vector<detector::VideoResult> results;
  std::printf("%-24s %8s %8s %8s %10s  %s\n", "id", "steps", "padded", "found", "time_ms",
              "best (label start-end s score)");
  for (const auto& id : ids) {
    if (cancel_token().cancelled()) throw CancelledError();
    const auto t0 = std::chrono::steady_clock::now();
    const auto features = detector::load_features(args.features, id, det.input_dim());
    auto r = det.detect(features);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::ostringstream best;
    if (!r.detections.empty()) {
      const auto& b = r.detections.front();
      best.precision(1);
      best << std::fixed << b.label << " " << b.start_s << "-" << b.end_s << " ";
      best.precision(4);
      best << b.score;
    }
    std::printf("%-24s %8lld %8lld %8zu %10.1f  %s\n", id.c_str(), static_cast<long long>(r.length),
                static_cast<long long>(r.padded_length), r.detections.size(), ms,
                best.str().c_str());
    results.push_back(std::move(r));
  }
  annotations::WriteOptions wo;
  wo.format = annotations::Format::ActivityNet;
  wo.activitynet_kind = annotations::ActivityNetKind::Results;
  annotations::write_annotations(args.out, to_collection(results), wo);
  spdlog::info("wrote {} ({} videos)", args.out, results.size());
}

}  // namespace

void register_detect(CLI::App& app) {
  auto args = std::make_shared<DetectArgs>();
  auto* cmd = app.add_subcommand("detect", "Find Time-outs / StOP?-protocols with a model bundle");
  cmd->add_option("--features", args->features,
                  "Feature folder: DIR/videomaev2/<id>.npy + DIR/stgcnpp/<id>.npy (reference) or "
                  "DIR/<id>.npy + DIR/meta.json (teamor)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--model", args->model, "Model bundle folder (RECORDING mode: default model)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--ids", args->ids, "Comma-separated ids (default: every feature file)")
      ->delimiter(',');
  cmd->add_option("--out", args->out, "ActivityNet v1.3 results JSON to write");
  // RECORDING mode (detect_recording.cpp): decode a recording, print a table per protocol.
  auto rec = std::make_shared<DetectRecordingArgs>();
  cmd->add_option("recording", rec->recording,
                  "Recording folder or recording.json: decode and detect (instead of --features)");
  cmd->add_option("-f,--format", rec->format,
                  "RECORDING mode: activitynet, eaf or csv (default: from --out's extension)");
  cmd->add_option("--min-score", rec->min_score, "RECORDING mode: drop intervals scoring below");
  cmd->add_option("--device", rec->device, "RECORDING mode: cpu or cuda")->capture_default_str();
  cmd->add_flag("--no-progress", rec->no_progress, "RECORDING mode: no progress line");
  cmd->callback([args, rec] {
    if (!rec->recording.empty()) {
      rec->model = args->model;
      rec->out = args->out;
      const int rc = run_detect_recording(*rec);
      if (rc != 0) throw CLI::RuntimeError(rc);
      return;
    }
    const int rc = run_guarded([&] {
      if (args->features.empty() || args->model.empty() || args->out.empty()) {
        throw ConfigError("give a RECORDING, or --features, --model and --out");
      }
      run_detect_on_features(*args);
    });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
