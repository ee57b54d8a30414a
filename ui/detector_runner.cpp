#include "ui/detector_runner.h"

#include "detector/protocol_detector.h"
#include "io/recording.h"

namespace teamor::ui {

DetectionRunner protocol_detector_runner() {
  return [](const QString& recording_path, const QString& bundle_dir,
            const ProgressCallback& progress, const CancelToken& cancel) {
    const detector::ProtocolDetector detector(bundle_dir.toStdString());
    const io::Recording recording = io::Recording::open(recording_path.toStdString());
    return detector.detect(recording, progress, &cancel).predictions;
  };
}

}  // namespace teamor::ui
