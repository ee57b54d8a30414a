#include "ui/document.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <atomic>

#include "common/error.h"

namespace teamor::ui {

Document::Document(QString recovery_dir, QObject* parent)
    : QObject(parent), recovery_dir_(std::move(recovery_dir)) {
  if (recovery_dir_.isEmpty())
    recovery_dir_ =
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/recovery";
  new_recovery_path();
  connect(&undo_, &QUndoStack::cleanChanged, this, [this] { emit dirty_changed(dirty()); });
  connect(&model_, &TimelineModel::threshold_changed, this, [this] {
    // The threshold is a view setting but it is saved with the document: count it as a change.
    if (!force_dirty_) {
      force_dirty_ = true;
      emit dirty_changed(true);
    }
  });
  connect(&autosave_timer_, &QTimer::timeout, this, [this] {
    try {
      autosave();
    } catch (const Error&) {
      // A full disk must not interrupt the review; the next tick tries again.
    }
  });
  set_autosave_interval(30);
}

Document::~Document() {
  // A clean end of the session: nothing to recover.
  if (!dirty()) discard_recovery(recovery_path_);
}

void Document::new_recovery_path() {
  static std::atomic<int> counter{0};
  const QString stamp = QDateTime::currentDateTimeUtc().toString("yyyyMMdd-hhmmss-zzz");
  recovery_path_ =
      QDir(recovery_dir_)
          .filePath(QString("%1-%2-%3.recovery.json")
                        .arg(stamp)
                        .arg(QCoreApplication::applicationPid())
                        .arg(++counter));  // several documents in one process never share a file
}

void Document::apply(const DocumentState& state) {
  undo_.clear();
  model_.reset(state.annotations);
  model_.set_score_threshold(state.score_threshold);
  recording_path_ = state.recording_path;
  path_ = state.document_path;
  emit path_changed(path_);
  emit reloaded();
}

void Document::mark_clean() {
  const bool was = dirty();
  force_dirty_ = false;
  undo_.setClean();
  if (was) emit dirty_changed(false);
}

void Document::reset(const QString& recording_path, annotations::AnnotationSet annotations) {
  DocumentState s;
  s.recording_path = recording_path;
  s.annotations = std::move(annotations);
  apply(s);
  mark_clean();
}

void Document::load(const QString& path) {
  DocumentState s = read_document_file(path);  // throws before anything changes
  s.document_path = QFileInfo(path).absoluteFilePath();
  apply(s);
  mark_clean();
}

void Document::recover(const QString& recovery_path) {
  DocumentState s = read_document_file(recovery_path);
  apply(s);
  force_dirty_ = true;
  emit dirty_changed(true);
  // Keep writing to the same recovery file until the user saves.
  recovery_path_ = recovery_path;
}

DocumentState Document::state() const {
  DocumentState s;
  s.recording_path = recording_path_;
  s.document_path = path_;
  s.score_threshold = model_.score_threshold();
  s.annotations = model_.annotation_set();
  return s;
}

void Document::save(const QString& path) {
  const QString target = path.isEmpty() ? path_ : QFileInfo(path).absoluteFilePath();
  if (target.isEmpty()) throw IoError("the document has no file name yet; use Save As");
  DocumentState s = state();
  s.document_path = target;
  write_document_file(target, s, /*keep_backup=*/true);
  if (target != path_) {
    path_ = target;
    emit path_changed(path_);
  }
  mark_clean();
  discard_recovery(recovery_path_);
}

QString Document::save_on_quit() {
  if (!dirty()) return {};
  QString target = path_;
  if (target.isEmpty() && !recording_path_.isEmpty())
    target = default_document_path(recording_path_, QString::fromStdString(model_.recording_id()));
  if (!target.isEmpty()) {
    try {
      save(target);
      return target;
    } catch (const Error&) {
      // Fall through: the recovery file keeps the work.
    }
  }
  autosave();
  return recovery_path_;
}

bool Document::autosave() {
  if (!dirty()) return false;
  QDir().mkpath(recovery_dir_);
  write_document_file(recovery_path_, state(), /*keep_backup=*/false);
  emit autosaved(recovery_path_);
  return true;
}

void Document::set_autosave_interval(int seconds) {
  autosave_timer_.stop();
  if (seconds > 0) autosave_timer_.start(seconds * 1000);
}

QStringList Document::pending_recoveries() const {
  QDir dir(recovery_dir_);
  QStringList out;
  for (const QFileInfo& f :
       dir.entryInfoList({"*.recovery.json"}, QDir::Files, QDir::Time /* newest first */)) {
    if (f.absoluteFilePath() != QFileInfo(recovery_path_).absoluteFilePath())
      out << f.absoluteFilePath();
  }
  return out;
}

void Document::discard_recovery(const QString& recovery_path) {
  if (!recovery_path.isEmpty()) QFile::remove(recovery_path);
}

QString default_document_path(const QString& recording_path, const QString& recording_id) {
  QFileInfo info(recording_path);
  const QDir dir = info.isDir() ? QDir(info.absoluteFilePath()) : info.absoluteDir();
  const QString id = recording_id.isEmpty() ? QString("review") : recording_id;
  return dir.filePath(id + ".review.json");
}

}  // namespace teamor::ui
