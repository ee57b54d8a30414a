#pragma once
// The DetectionRunner that runs the ProtocolDetector facade (kept out of teamor_ui so the widgets
// and their tests build without LibTorch; teamor-viewer links teamor_ui_detector and installs it).

#include "ui/detection_job.h"

namespace teamor::ui {

/// @brief A runner that loads the model bundle, opens the recording and calls
/// ProtocolDetector::detect() with the job's progress callback and cancel token.
DetectionRunner protocol_detector_runner();

}  // namespace teamor::ui
