// teamor demo [--out DIR]: the whole job on a synthetic recording, with nothing to download.
// Renders a short multi-view recording with known Time-out / StOP? times, detects them with the
// default model, prints each found interval next to the ground truth with its tIoU, writes the
// outputs and says where to look next.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <optional>

#include "annotations/annotation_io.h"
#include "annotations/evaluation.h"
#include "app/cancel.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "app/pipeline/detection_output.h"
#include "app/pipeline/model_location.h"
#include "app/pipeline/progress_reporter.h"
#include "app/pipeline/recording_job.h"
#ifdef TEAMOR_HAVE_MEDIA
#include "app/synth/synth.h"
#endif
#include "common/error.h"
#include "detector/protocol_detector.h"

namespace teamor::app {
namespace {

namespace fs = std::filesystem;
using namespace teamor::app::pipeline;

struct DemoArgs {
  std::string out = "teamor-demo";
  std::string model;
  double minutes = 3;
  std::string size = "320x180";
  int views = 4;
  std::uint64_t seed = 2026;
  double time_scale = 0.3;
  bool no_progress = false;
};

/// Best-overlapping prediction of the same label for each ground-truth interval, then the
/// predictions that overlap no ground truth.
void print_comparison(const std::vector<annotations::Segment>& truth,
                      const annotations::AnnotationSet& predictions, double min_score) {
  std::printf("\n%-9s  %-23s  %-23s  %6s  %5s\n", "protocol", "ground truth", "detected", "score",
              "tIoU");
  std::vector<bool> matched(predictions.segments.size(), false);
  for (const auto& gt : truth) {
    int best = -1;
    double best_iou = 0;
    for (std::size_t i = 0; i < predictions.segments.size(); ++i) {
      const auto& p = predictions.segments[i];
      if (p.label != gt.label || p.score.value_or(1) < min_score) continue;
      const double iou = annotations::temporal_iou(gt.start_s, gt.end_s, p.start_s, p.end_s);
      if (iou > best_iou) best_iou = iou, best = static_cast<int>(i);
    }
    const std::string gt_text = format_clock(gt.start_s) + "-" + format_clock(gt.end_s);
    if (best < 0) {
      std::printf("%-9s  %-23s  %-23s  %6s  %5s\n", gt.label.c_str(), gt_text.c_str(), "(missed)",
                  "-", "0.00");
      continue;
    }
    matched[static_cast<std::size_t>(best)] = true;
    const auto& p = predictions.segments[static_cast<std::size_t>(best)];
    const std::string p_text = format_clock(p.start_s) + "-" + format_clock(p.end_s);
    std::printf("%-9s  %-23s  %-23s  %6.3f  %5.2f\n", gt.label.c_str(), gt_text.c_str(),
                p_text.c_str(), p.score.value_or(1), best_iou);
  }
  for (std::size_t i = 0; i < predictions.segments.size(); ++i) {
    const auto& p = predictions.segments[i];
    if (matched[i] || p.score.value_or(1) < min_score) continue;
    const std::string p_text = format_clock(p.start_s) + "-" + format_clock(p.end_s);
    std::printf("%-9s  %-23s  %-23s  %6.3f  %5s\n", p.label.c_str(), "(none: false alarm)",
                p_text.c_str(), p.score.value_or(1), "-");
  }
}

void run_demo(const DemoArgs& args) {
#ifndef TEAMOR_HAVE_MEDIA
  (void)args;
  throw ConfigError(
      "this teamor was built without FFmpeg/OpenCV (TEAMOR_WITH_MEDIA=OFF): the demo "
      "needs them to render and decode video");
#else
  const fs::path out = args.out;
  const fs::path model = args.model.empty() ? default_model_dir() : fs::path(args.model);
  synth::SynthOptions synth_options;
  synth_options.minutes = args.minutes;
  synth_options.views = args.views;
  synth_options.seed = args.seed;
  synth_options.time_scale = args.time_scale;
  synth_options.id = "demo-" + std::to_string(args.seed);
  if (std::sscanf(args.size.c_str(), "%dx%d", &synth_options.width, &synth_options.height) != 2) {
    throw ConfigError("--size '" + args.size + "' is not WIDTHxHEIGHT, e.g. 320x180");
  }
  synth_options.validate();
  // Load the model before rendering so a missing bundle is reported at once.
  const detector::ProtocolDetector detector(model);

  const fs::path recording_dir = out / "recording";
  std::printf("1/3 Rendering a synthetic %g-minute recording (%d views, %s, seed %llu) into %s\n",
              args.minutes, args.views, args.size.c_str(),
              static_cast<unsigned long long>(args.seed), recording_dir.c_str());
  std::fflush(stdout);
  std::optional<ProgressReporter> render_progress;
  if (!args.no_progress)
    render_progress.emplace(ProgressReporterOptions{.label = "render", .unit = "frame"});
  const auto rendered = synth::render_recording(
      synth_options, recording_dir,
      render_progress ? render_progress->callback() : ProgressCallback{}, &cancel_token());
  if (render_progress) render_progress->finish();

  std::printf("2/3 Detecting with the model in %s\n", model.c_str());
  std::fflush(stdout);
  RecordingJobOptions job_options;
  job_options.result_file = out / "predictions.json";
  job_options.report_file = out / "report.json";
  job_options.model_name = model.string();
  std::optional<ProgressReporter> detect_progress;
  if (!args.no_progress)
    detect_progress.emplace(ProgressReporterOptions{.label = "detect", .unit = "clip"});
  const auto job = run_recording_job(
      detector, rendered.manifest, job_options,
      detect_progress ? detect_progress->callback() : ProgressCallback{}, &cancel_token());
  if (detect_progress) detect_progress->finish();
  const auto& predictions = job.result.predictions;
  write_predictions(out / "predictions.eaf", predictions, annotations::Format::Elan);

  std::printf("3/3 Results\n\n");
  std::fputs(interval_table(predictions, detector.labels()).c_str(), stdout);
  constexpr double kShownScore = 0.3;  // what the comparison counts as a detection
  print_comparison(rendered.ground_truth, predictions, kShownScore);

  annotations::AnnotationCollection truth, predicted;
  truth[rendered.id].recording_id = rendered.id;
  truth[rendered.id].segments = rendered.ground_truth;
  predicted[rendered.id] = predictions;
  const auto evaluation = annotations::evaluate(truth, predicted);
  std::printf("\naverage mAP (tIoU 0.1-0.5) on this recording: %.3f\n", evaluation.average_mAP);
  const auto& stats = job.result.stats;
  std::printf("speed: %s of video in %.1f s (%.1fx real time)\n",
              format_clock(stats.media_duration_s).c_str(), stats.wall_s,
              stats.wall_s > 0 ? stats.media_duration_s / stats.wall_s : 0.0);

  std::printf(
      "\nOutputs in %s:\n"
      "  recording/             the rendered views, recording.json and ground_truth.json\n"
      "  predictions.json       detected intervals (ActivityNet results)\n"
      "  predictions.eaf        the same for ELAN, with the views as media\n"
      "  report.json            timings and views\n"
      "\nWhere to look next:\n"
      "  teamor-viewer %s --predictions %s   review and edit the intervals\n"
      "  teamor eval --gt %s --pred %s\n"
      "  teamor detect YOUR_RECORDING --out results.json   (folder of views or recording.json)\n"
      "  teamor batch ARCHIVE --out results/ --resume     (docs/cluster.md for Slurm)\n"
      "  models/default/README.md: the default model is trained on synthetic rooms only; real\n"
      "  operating-room video needs a model trained on real recordings (teamor extract + train).\n",
      out.c_str(), rendered.manifest.c_str(), (out / "predictions.json").c_str(),
      rendered.ground_truth_file.c_str(), (out / "predictions.json").c_str());
#endif
}

}  // namespace

void register_demo(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand(
      "demo", "Render a synthetic recording, detect its protocols and compare with the truth");
  cmd->add_option("-o,--out", args->out, "Output folder")->capture_default_str();
  cmd->add_option("-m,--model", args->model, "Model bundle (default: the shipped models/default)");
  cmd->add_option("--minutes", args->minutes, "Length of the synthetic recording")
      ->capture_default_str();
  cmd->add_option("--size", args->size, "Frame size WIDTHxHEIGHT")->capture_default_str();
  cmd->add_option("--views", args->views, "Views (ceiling cameras + laparoscope)")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed of the recording")->capture_default_str();
  cmd->add_option("--time-scale", args->time_scale, "Factor on protocol durations, (0, 1]")
      ->capture_default_str();
  cmd->add_flag("--no-progress", args->no_progress, "No progress lines");
  cmd->callback([args] {
    const int code = run_guarded([&] { run_demo(*args); });
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace teamor::app
