#include "app/pipeline/recording_job.h"

#include "app/pipeline/detection_output.h"

namespace teamor::app::pipeline {

RecordingJobResult run_recording_job(const detector::ProtocolDetector& detector,
                                     const std::filesystem::path& recording_path,
                                     const RecordingJobOptions& options,
                                     const ProgressCallback& progress, const CancelToken* cancel) {
  RecordingJobResult job;
  job.recording = io::Recording::open(recording_path);
  job.result = detector.detect(job.recording, progress, cancel);
  if (cancel) cancel->throw_if_cancelled();
  if (!options.report_file.empty()) {
    write_detection_report(options.report_file, job.result.predictions, job.result.stats,
                           options.model_name);
  }
  if (!options.result_file.empty()) {
    write_predictions(options.result_file, job.result.predictions, options.format);
  }
  return job;
}

}  // namespace teamor::app::pipeline
