#pragma once
// One recording through the detector into files: what `teamor detect RECORDING`, every item of
// `teamor batch` and `teamor demo` do.
//
//   detector::ProtocolDetector detector("models/default");
//   auto job = run_recording_job(detector, "OR12/", {.result_file = "out/OR12.json",
//                                                    .format = annotations::Format::ActivityNet});
//   std::cout << interval_table(job.result.predictions, detector.labels());

#include <filesystem>
#include <string>

#include "annotations/annotation_io.h"
#include "common/progress.h"
#include "detector/protocol_detector.h"
#include "io/recording.h"

namespace teamor::app::pipeline {

struct RecordingJobOptions {
  std::filesystem::path result_file;  ///< where to write the intervals; empty = nowhere
  annotations::Format format = annotations::Format::ActivityNet;  ///< of result_file
  /// Per-recording report (timings, views, intervals) as JSON; empty = none. Written before the
  /// result file, so that a result file on disk always has its report next to it.
  std::filesystem::path report_file;
  std::string model_name;  ///< recorded in the report
};

struct RecordingJobResult {
  io::Recording recording;
  detector::DetectionResult result;
};

/// @brief Opens @p recording_path, detects, writes the files named in @p options (atomically).
/// @throws IoError / FormatError for a broken recording, CancelledError when cancelled; nothing
///         is written then
RecordingJobResult run_recording_job(const detector::ProtocolDetector& detector,
                                     const std::filesystem::path& recording_path,
                                     const RecordingJobOptions& options,
                                     const ProgressCallback& progress = {},
                                     const CancelToken* cancel = nullptr);

}  // namespace teamor::app::pipeline
