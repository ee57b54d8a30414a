#pragma once
// MainWindow of teamor-viewer: the multi-view player on top, transport controls, the protocol
// timeline below, a side panel with view offsets; menus with a shortcut for every command. It
// routes signals between the document (model + undo stack), the player and the timeline, and turns
// user commands into undo commands. Nothing here edits segments directly.

#include <QLabel>
#include <QList>
#include <QMainWindow>
#include <functional>
#include <optional>

#include "common/progress.h"
#include "ui/file_exchange.h"
#include "ui/timeline_model.h"

class QAction;
class QMenu;
class QProgressBar;
class QPushButton;

namespace teamor::ui {

class Document;
class DetectionJob;
class MultiViewPlayer;
class OffsetsPanel;
class TimelineWidget;
class TransportBar;

/// @brief The viewer's main window (see file comment).
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  /// @param recovery_dir where recovery files go (empty = the user's data folder)
  /// @param interactive false in tests: errors go to last_error() and the status bar instead of
  ///        dialogs, and no question is asked
  explicit MainWindow(const QString& recovery_dir = {}, bool interactive = true,
                      QWidget* parent = nullptr);
  ~MainWindow() override;

  Document* document() const { return document_; }
  MultiViewPlayer* player() const { return player_; }
  TimelineWidget* timeline() const { return timeline_; }
  TransportBar* transport() const { return transport_; }
  OffsetsPanel* offsets_panel() const { return offsets_; }
  /// Every command with its shortcut (the Help dialog lists them).
  const QList<QAction*>& commands() const { return commands_; }
  /// The last error shown to the user (for tests), empty when none.
  const QString& last_error() const { return last_error_; }
  QString status_time_text() const { return time_label_->text(); }
  QString status_frame_text() const { return frame_label_->text(); }

  /// @brief Opens a recording (manifest, folder of videos); resumes its review document if one
  /// exists.
  bool open_recording(const QString& path);
  /// @brief Opens a saved review document and its recording.
  bool open_document(const QString& path);
  /// @brief Imports an annotation file into the document as one undoable step.
  bool import_file(const QString& path, ImportAs as);
  /// @brief Exports the document's segments (format from the extension).
  bool export_file(const QString& path);
  bool save_report_csv(const QString& path);
  bool save_report_pdf(const QString& path);
  /// @brief Offers the recovery files of crashed sessions (interactive only).
  void offer_recovery();
  /// @brief Sets what Run detection executes (the viewer installs the ProtocolDetector facade).
  void set_detection_runner(
      std::function<annotations::AnnotationSet(const QString&, const QString&,
                                               const ProgressCallback&, const CancelToken&)>
          runner);
  DetectionJob* detection_job() const { return detection_; }
  /// @brief Starts background detection with the model bundle @p bundle_dir (empty = ask/default).
  void run_detection(const QString& bundle_dir = {});

 public slots:
  void set_in_point();
  void set_out_point();
  void delete_selected();
  void split_at_playhead();
  void merge_with_next();
  void relabel_selected();
  void set_selected_state(annotations::ReviewState state);
  void next_segment();
  void previous_segment();
  void toggle_loop();
  void show_shortcuts();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_layout();
  void build_actions();
  QAction* add_command(QMenu* menu, const QString& text, const QList<QKeySequence>& keys,
                       std::function<void()> slot);
  void connect_document();
  void apply_media_to_player();
  void update_status();
  void update_title();
  void add_recent(const QString& path);
  void rebuild_recent_menu();
  void show_error(const QString& title, const QString& message);
  void open_path(const QString& path);
  QString ask_open_file(const QString& title, const QString& filter);
  QString ask_save_file(const QString& title, const QString& filter, const QString& suggested);
  /// Visible segment ids sorted by start (navigation order).
  std::vector<SegmentId> navigation_order() const;
  void select_and_show(SegmentId id);

  Document* document_;
  MultiViewPlayer* player_;
  TimelineWidget* timeline_;
  TransportBar* transport_;
  OffsetsPanel* offsets_;
  DetectionJob* detection_;
  QProgressBar* progress_;
  QPushButton* cancel_button_;
  QLabel* time_label_;
  QLabel* frame_label_;
  QLabel* speed_label_;
  QLabel* doc_label_;
  QMenu* recent_menu_ = nullptr;
  QList<QAction*> commands_;
  QString last_error_;
  bool interactive_;
  std::optional<double> in_point_;
  bool looping_ = false;
};

}  // namespace teamor::ui
