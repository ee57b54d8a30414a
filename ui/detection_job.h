#pragma once
// DetectionJob: runs the ProtocolDetector facade on the open recording in a background thread,
// reports progress to the GUI thread (queued signals) and can be cancelled. The result arrives as
// an AnnotationSet of predictions that the main window adds as one undoable step.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "annotations/annotation_set.h"
#include "common/progress.h"

namespace teamor::ui {

/// What a detection run calls on its worker thread: recording path, model bundle folder, progress
/// callback and cancel token in; predictions out. Throws teamor::Error (CancelledError when
/// cancelled). The viewer installs the ProtocolDetector facade (ui/detector_runner.h); tests can
/// install their own.
using DetectionRunner = std::function<annotations::AnnotationSet(
    const QString& recording_path, const QString& bundle_dir, const ProgressCallback& progress,
    const CancelToken& cancel)>;

/// @brief One background detection run (see file comment).
class DetectionJob : public QObject {
  Q_OBJECT
 public:
  explicit DetectionJob(QObject* parent = nullptr);
  ~DetectionJob() override;

  /// @brief Starts detection of the recording at @p recording_path with the model bundle
  /// @p bundle_dir. Does nothing when a run is already going.
  void start(const QString& recording_path, const QString& bundle_dir);
  /// @brief Asks the run to stop at its next check; finished() follows with cancelled = true.
  void cancel();
  bool running() const { return running_; }
  /// @brief Sets what start() runs (must be set before start(); see DetectionRunner).
  void set_runner(DetectionRunner runner) { runner_ = std::move(runner); }
  bool has_runner() const { return static_cast<bool>(runner_); }

 signals:
  /// @param fraction done in [0, 1] (-1 when unknown); @param stage short stage name
  void progress(double fraction, const QString& stage);
  /// A successful run: the predictions (Source::Prediction, scored).
  void succeeded(const annotations::AnnotationSet& predictions);
  /// A failed run: the error message (with file and position), or "cancelled".
  void failed(const QString& message, bool cancelled);
  /// After succeeded() or failed().
  void finished();

 private:
  struct Outcome {
    annotations::AnnotationSet predictions;
    QString error;
    bool cancelled = false;
  };
  QFutureWatcher<Outcome> watcher_;
  DetectionRunner runner_;
  std::shared_ptr<CancelToken> cancel_;
  bool running_ = false;
};

}  // namespace teamor::ui
