#include "ui/detection_job.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrent>

#include "common/error.h"
#include "detector/protocol_detector.h"
#include "io/recording.h"

namespace teamor::ui {

DetectionJob::DetectionJob(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
    running_ = false;
    const Outcome outcome = watcher_.result();
    if (outcome.error.isEmpty())
      emit succeeded(outcome.predictions);
    else
      emit failed(outcome.error, outcome.cancelled);
    emit finished();
  });
}

DetectionJob::~DetectionJob() {
  // Never leave a worker running into a destroyed window: cancel and wait.
  if (cancel_) cancel_->cancel();
  watcher_.waitForFinished();
}

void DetectionJob::start(const QString& recording_path, const QString& bundle_dir) {
  if (running_) return;
  running_ = true;
  cancel_ = std::make_shared<CancelToken>();
  auto token = cancel_;
  QPointer<DetectionJob> self(this);
  const std::string recording = recording_path.toStdString();
  const std::string bundle = bundle_dir.toStdString();
  watcher_.setFuture(QtConcurrent::run([recording, bundle, token, self]() -> Outcome {
    Outcome out;
    try {
      const detector::ProtocolDetector detector(bundle);
      const io::Recording rec = io::Recording::open(recording);
      ProgressCallback report = [self](const Progress& p) {
        const double fraction = p.total > 0 ? p.done / p.total : -1;
        const QString stage = QString::fromStdString(p.stage);
        // Queued into the GUI thread; dropped if the job object is gone.
        if (self)
          QMetaObject::invokeMethod(
              self,
              [self, fraction, stage] {
                if (self) emit self->progress(fraction, stage);
              },
              Qt::QueuedConnection);
      };
      out.predictions = detector.detect(rec, report, token.get()).predictions;
    } catch (const CancelledError&) {
      out.error = QObject::tr("cancelled");
      out.cancelled = true;
    } catch (const std::exception& e) {
      out.error = QString::fromUtf8(e.what());
    }
    return out;
  }));
}

void DetectionJob::cancel() {
  if (cancel_) cancel_->cancel();
}

}  // namespace teamor::ui
