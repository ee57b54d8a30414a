// teamor batch INPUT --model BUNDLE --out DIR [--jobs N] [--shard I/N] [--resume] [--format F]
// Detects protocols in every recording of a folder or list file: one result file per recording,
// resumable, failure-tolerant, shardable over a Slurm job array (docs/cluster.md).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <optional>

#include "app/cancel.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "app/pipeline/batch_inputs.h"
#include "app/pipeline/batch_runner.h"
#include "app/pipeline/detection_output.h"
#include "app/pipeline/model_location.h"
#include "app/pipeline/progress_reporter.h"
#include "app/pipeline/recording_job.h"
#include "common/error.h"
#include "detector/protocol_detector.h"

namespace teamor::app {
namespace {

namespace fs = std::filesystem;
using namespace teamor::app::pipeline;

struct BatchArgs {
  std::string input;
  std::string model;  ///< empty = default_model_dir()
  std::string out;
  int jobs = 1;
  std::string shard = "0/1";
  bool resume = false;
  bool list_only = false;
  std::string format = "activitynet";
  std::string device = "cpu";
  std::optional<double> min_score;
  bool no_progress = false;
};

void run_batch_command(const BatchArgs& args) {
  BatchOptions options;
  options.out_dir = args.out;
  options.jobs = args.jobs;
  options.shard = parse_shard(args.shard);
  options.resume = args.resume;
  const auto format = result_format_from_name(args.format);
  options.result_extension = result_extension(format);
  if (args.jobs < 1)
    throw ConfigError("--jobs must be at least 1, got " + std::to_string(args.jobs));

  const auto all = discover_batch_inputs(args.input, options.out_dir);
  const auto mine = select_shard(all, options.shard);
  if (args.list_only) {
    for (const auto& input : mine)
      std::printf("%s\t%s\n", input.id.c_str(), input.path.c_str());
    return;
  }
  spdlog::info("batch: {} of {} recordings in shard {}, {} at a time, results in {}", mine.size(),
               all.size(), to_string(options.shard), options.jobs, options.out_dir.string());

  detector::ProtocolDetectorOptions detector_options;
  detector_options.device = args.device;
  detector_options.min_score = args.min_score;
  const std::string model = args.model.empty() ? default_model_dir().string() : args.model;
  const detector::ProtocolDetector detector(model, detector_options);

  std::optional<ProgressReporter> reporter;
  if (!args.no_progress)
    reporter.emplace(ProgressReporterOptions{.label = "batch", .unit = "recording"});

  auto work = [&](const BatchInput& input, const fs::path& output, const CancelToken& cancel,
                  const ProgressCallback& progress) {
    RecordingJobOptions job_options;
    job_options.result_file = output;
    job_options.format = format;
    job_options.report_file = options.out_dir / (input.id + ".report.json");
    job_options.model_name = model;
    const auto job = run_recording_job(detector, input.path, job_options, progress, &cancel);
    return ItemOutcome{job.result.predictions.segments.size(), job.result.stats.media_duration_s};
  };
  auto on_finished = [&](const ItemResult& item, std::size_t finished, std::size_t total) {
    std::string line =
        "[" + std::to_string(finished) + "/" + std::to_string(total) + "] " + item.input.id + ": ";
    switch (item.status) {
      case ItemStatus::Done:
        line +=
            std::to_string(item.outcome.segments) + " intervals in " + format_duration(item.wall_s);
        break;
      case ItemStatus::Skipped:
        line += "already done, skipped (--resume)";
        break;
      case ItemStatus::Failed:
        line += "FAILED: " + item.error;
        break;
      case ItemStatus::Cancelled:
        line += "cancelled";
        break;
    }
    if (reporter) {
      reporter->print_line(line);
    } else if (item.status == ItemStatus::Failed) {
      spdlog::error("{}", line);
    } else {
      spdlog::info("{}", line);
    }
  };
  const auto summary = run_batch(mine, options, work, cancel_token(),
                                 reporter ? reporter->callback() : ProgressCallback{}, on_finished);
  if (reporter) reporter->finish();
  const auto [json_path, csv_path] = write_batch_summary(summary, options, model);
  spdlog::info("batch: {} done, {} skipped, {} failed, {} cancelled; summary in {} and {}",
               summary.count(ItemStatus::Done), summary.count(ItemStatus::Skipped),
               summary.count(ItemStatus::Failed), summary.count(ItemStatus::Cancelled),
               json_path.string(), csv_path.string());
  if (summary.cancelled) throw CancelledError();
  if (const auto failed = summary.count(ItemStatus::Failed)) {
    throw Error(std::to_string(failed) + " of " + std::to_string(mine.size()) +
                " recordings failed (the others are done); see " + csv_path.string() +
                ", then rerun with --resume to retry only those");
  }
}

}  // namespace

void register_batch(CLI::App& app) {
  auto args = std::make_shared<BatchArgs>();
  auto* cmd = app.add_subcommand(
      "batch",
      "Detect protocols in every recording of a folder or list file (resumable, shardable)");
  cmd->add_option("input", args->input,
                  "Folder of recordings (sub-folders or *.json manifests) or a list file, one "
                  "recording per line")
      ->required();
  cmd->add_option("-m,--model", args->model,
                  "Model bundle folder (default: the shipped models/default)");
  cmd->add_option("-o,--out", args->out,
                  "Result folder: <id>.json (or .eaf/.csv) per recording, "
                  "<id>.report.json, batch-summary.json/.csv")
      ->required();
  cmd->add_option("-j,--jobs", args->jobs, "Recordings processed at once")->capture_default_str();
  cmd->add_option("--shard", args->shard,
                  "Do only shard I of N (recordings sorted by id, position % N == I), e.g. "
                  "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT")
      ->capture_default_str();
  cmd->add_flag("--resume", args->resume, "Skip recordings whose result file exists");
  cmd->add_option("-f,--format", args->format, "Result format: activitynet, eaf or csv")
      ->capture_default_str();
  cmd->add_option("--device", args->device, "cpu or cuda")->capture_default_str();
  cmd->add_option("--min-score", args->min_score, "Drop intervals scoring below this");
  cmd->add_flag("--list", args->list_only,
                "Only print the recordings this shard would process (id and path), then exit");
  cmd->add_flag("--no-progress", args->no_progress, "No progress line");
  cmd->callback([args] {
    const int code = run_guarded([&] { run_batch_command(*args); });
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace teamor::app
