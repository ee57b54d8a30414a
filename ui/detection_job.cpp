#include "ui/detection_job.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrent>

#include "common/error.h"

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
  DetectionRunner runner = runner_;
  watcher_.setFuture(
      QtConcurrent::run([recording_path, bundle_dir, runner, token, self]() -> Outcome {
        Outcome out;
        try {
          if (!runner)
            throw ConfigError(
                "this build of the viewer has no detector (no DetectionRunner installed)");
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
          out.predictions = runner(recording_path, bundle_dir, report, *token);
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
