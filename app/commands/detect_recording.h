#pragma once
// The RECORDING mode of `teamor detect`: decode a recording, detect, print a table per protocol and
// write the result file. detect.cpp dispatches here when a positional RECORDING is given.

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace teamor::app {

struct DetectRecordingArgs {
  std::string recording;                 ///< recording folder or recording.json
  std::string model;  ///< model bundle folder; empty = default_model_dir()
  std::string out;                       ///< result file; empty = print only
  std::string format;                    ///< activitynet, eaf, csv; empty = from --out's extension
  std::string device = "cpu";            ///< cpu or cuda
  std::optional<double> min_score;       ///< drop intervals scoring below this
  bool report = true;                    ///< also write <out stem>.report.json next to --out
  bool no_progress = false;              ///< no progress line
};

/// @brief Runs the RECORDING mode (wrapped in run_guarded()).
/// @return the exit code: 0, 1 on error, 130 when cancelled
int run_detect_recording(const DetectRecordingArgs& args);

}  // namespace teamor::app
