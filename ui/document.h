#pragma once
// Document: one open review. Owns the TimelineModel (segments, media offsets), the QUndoStack every
// edit goes through, the paths of the recording and of the review file, and the safety net:
// a recovery file written every few seconds while there are unsaved changes (offered at the next
// start after a crash), saving on quit, atomic saves with a `.bak` copy of the previous file.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUndoStack>

#include "ui/document_file.h"
#include "ui/timeline_model.h"

namespace teamor::ui {

/// @brief One open review document with undo history, autosave and crash recovery.
class Document : public QObject {
  Q_OBJECT
 public:
  /// @param recovery_dir folder for recovery files (created when needed); empty = the user's
  ///        application data folder (QStandardPaths::AppLocalDataLocation + "/recovery")
  explicit Document(QString recovery_dir = {}, QObject* parent = nullptr);
  ~Document() override;

  TimelineModel* model() { return &model_; }
  const TimelineModel* model() const { return &model_; }
  QUndoStack* undo_stack() { return &undo_; }

  /// @brief Starts a new document for @p recording_path with @p annotations (not dirty).
  void reset(const QString& recording_path, annotations::AnnotationSet annotations);
  /// @brief Opens a saved review document (throws IoError/FormatError; the current one is kept
  /// then).
  void load(const QString& path);
  /// @brief Loads a recovery file: content and paths of the lost session, marked as unsaved.
  void recover(const QString& recovery_path);

  /// @brief Saves to @p path (empty = the current path) atomically with a `.bak` backup.
  /// @throws IoError when no path is known or writing fails (the document stays dirty then)
  void save(const QString& path = {});
  /// @brief Called on quit: saves unsaved changes to the document path or, when there is none, next
  /// to the recording (`<id>.review.json`); if that fails the recovery file is written and kept.
  /// @return the path saved to, or an empty string when nothing needed saving
  QString save_on_quit();

  /// @brief Writes the recovery file now when there are unsaved changes (the autosave timer calls
  /// it).
  /// @return true when a file was written
  bool autosave();
  /// @brief Autosave interval in seconds (0 disables the timer).
  void set_autosave_interval(int seconds);
  QString recovery_path() const { return recovery_path_; }
  QString recovery_dir() const { return recovery_dir_; }
  /// Recovery files left behind by sessions that did not end cleanly, newest first.
  QStringList pending_recoveries() const;
  /// @brief Deletes a recovery file (declined recovery or after a successful save).
  static void discard_recovery(const QString& recovery_path);

  bool dirty() const { return !undo_.isClean() || force_dirty_; }
  QString path() const { return path_; }
  QString recording_path() const { return recording_path_; }
  /// The document's full state (what save() writes).
  DocumentState state() const;

 signals:
  void dirty_changed(bool dirty);
  void path_changed(const QString& path);
  /// A new document was loaded, recovered or reset (views should re-read everything).
  void reloaded();
  void autosaved(const QString& recovery_path);

 private:
  void apply(const DocumentState& state);
  void new_recovery_path();
  void mark_clean();

  TimelineModel model_;
  QUndoStack undo_;
  QTimer autosave_timer_;
  QString recovery_dir_;
  QString recovery_path_;
  QString path_;
  QString recording_path_;
  bool force_dirty_ = false;  ///< recovered content counts as unsaved although the stack is clean
};

/// Default review document path for a recording: `<recording folder>/<id>.review.json`.
QString default_document_path(const QString& recording_path, const QString& recording_id);

}  // namespace teamor::ui
