#include "app/commands/detect_recording.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <optional>

#include "app/cancel.h"
#include "app/common_options.h"
#include "app/pipeline/detection_output.h"
#include "app/pipeline/model_location.h"
#include "app/pipeline/progress_reporter.h"
#include "app/pipeline/recording_job.h"
#include "detector/protocol_detector.h"

namespace teamor::app {
namespace {

namespace fs = std::filesystem;
using namespace teamor::app::pipeline;

/// The result format: --format when given, else from --out's extension (.eaf, .csv, else JSON).
annotations::Format pick_format(const DetectRecordingArgs& args) {
  if (!args.format.empty()) return result_format_from_name(args.format);
  const std::string ext = fs::path(args.out).extension().string();
  if (ext == ".eaf") return annotations::Format::Elan;
  if (ext == ".csv") return annotations::Format::Csv;
  return annotations::Format::ActivityNet;
}

void detect_recording(const DetectRecordingArgs& args) {
  const auto format = pick_format(args);
  detector::ProtocolDetectorOptions options;
  options.device = args.device;
  options.min_score = args.min_score;
  const std::string model = args.model.empty() ? default_model_dir().string() : args.model;
  const detector::ProtocolDetector detector(model, options);

  RecordingJobOptions job_options;
  job_options.format = format;
  job_options.model_name = model;
  if (!args.out.empty()) {
    job_options.result_file = args.out;
    if (args.report) {
      fs::path report = args.out;
      report.replace_extension(".report.json");
      job_options.report_file = report;
    }
  }
  std::optional<ProgressReporter> reporter;
  if (!args.no_progress) {
    reporter.emplace(ProgressReporterOptions{.label = "detect", .unit = "clip"});
  }
  const auto job =
      run_recording_job(detector, args.recording, job_options,
                        reporter ? reporter->callback() : ProgressCallback{}, &cancel_token());
  const auto& stats = job.result.stats;
  if (reporter) {
    char message[96];
    std::snprintf(message, sizeof message, "%.1f min of video, %.1fx real time",
                  stats.media_duration_s / 60,
                  stats.wall_s > 0 ? stats.media_duration_s / stats.wall_s : 0);
    reporter->finish(message);
  }
  for (const auto& warning : stats.warnings)
    spdlog::warn("{}", warning);
  std::printf("Recording %s (%zu views, %s)\n", job.recording.id.c_str(),
              job.recording.views.size(), format_clock(stats.media_duration_s).c_str());
  std::fputs(interval_table(job.result.predictions, detector.labels()).c_str(), stdout);
  std::fflush(stdout);
  if (!args.out.empty()) spdlog::info("intervals written to {}", args.out);
}

}  // namespace

int run_detect_recording(const DetectRecordingArgs& args) {
  return run_guarded([&] { detect_recording(args); });
}

}  // namespace teamor::app
