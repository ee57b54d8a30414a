// MainWindow: menus and shortcuts, and the commands behind them (review edits as undo commands,
// file import/export, report, detection). Split from main_window.cpp to keep files small.

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPrintDialog>
#include <QPrinter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "ui/commands/review_commands.h"
#include "ui/commands/segment_commands.h"
#include "ui/detection_job.h"
#include "ui/document.h"
#include "ui/main_window.h"
#include "ui/player/multi_view_player.h"
#include "ui/report.h"
#include "ui/timeline_scale.h"
#include "ui/timeline_widget.h"
#include "ui/transport_bar.h"

namespace teamor::ui {

using annotations::ReviewState;
using annotations::Segment;

QAction* MainWindow::add_command(QMenu* menu, const QString& text, const QList<QKeySequence>& keys,
                                 std::function<void()> slot) {
  QAction* action = menu->addAction(text);
  action->setShortcuts(keys);
  // Window-wide: shortcuts work whatever widget has focus (text fields still get their own keys).
  action->setShortcutContext(Qt::WindowShortcut);
  connect(action, &QAction::triggered, this, std::move(slot));
  addAction(action);
  commands_ << action;
  return action;
}

void MainWindow::build_actions() {
  using K = QKeySequence;
  QMenu* file = menuBar()->addMenu(tr("&File"));
  add_command(file, tr("Open &recording..."), {K(Qt::CTRL | Qt::Key_O)}, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open recording folder"));
    if (!dir.isEmpty()) open_recording(dir);
  });
  add_command(file, tr("Open recording &manifest..."), {K(Qt::CTRL | Qt::ALT | Qt::Key_O)}, [this] {
    const QString f = ask_open_file(tr("Open recording manifest"), tr("Manifest (*.json)"));
    if (!f.isEmpty()) open_recording(f);
  });
  add_command(file, tr("Open review &document..."), {K(Qt::CTRL | Qt::SHIFT | Qt::Key_O)}, [this] {
    const QString f =
        ask_open_file(tr("Open review document"), tr("Review (*.review.json *.json)"));
    if (!f.isEmpty()) open_document(f);
  });
  recent_menu_ = file->addMenu(tr("Recent &files"));
  rebuild_recent_menu();
  file->addSeparator();
  add_command(file, tr("&Save"), {K::Save}, [this] {
    try {
      if (document_->path().isEmpty() && !document_->recording_path().isEmpty())
        document_->save(
            default_document_path(document_->recording_path(),
                                  QString::fromStdString(document_->model()->recording_id())));
      else
        document_->save();
      statusBar()->showMessage(tr("Saved %1").arg(document_->path()), 4000);
    } catch (const std::exception& e) {
      show_error(tr("Cannot save"), QString::fromUtf8(e.what()));
    }
  });
  add_command(file, tr("Save &as..."), {K(Qt::CTRL | Qt::SHIFT | Qt::Key_S)}, [this] {
    const QString f =
        ask_save_file(tr("Save review as"), tr("Review (*.review.json)"), document_->path());
    if (f.isEmpty()) return;
    try {
      document_->save(f);
    } catch (const std::exception& e) {
      show_error(tr("Cannot save"), QString::fromUtf8(e.what()));
    }
  });
  file->addSeparator();
  add_command(file, tr("&Import annotations..."), {K(Qt::CTRL | Qt::Key_I)}, [this] {
    const QString f = ask_open_file(tr("Import annotations"), import_filter());
    if (!f.isEmpty()) import_file(f, ImportAs::AsInFile);
  });
  add_command(file, tr("Import as &ground truth..."), {K(Qt::CTRL | Qt::ALT | Qt::Key_I)}, [this] {
    const QString f = ask_open_file(tr("Import ground truth"), import_filter());
    if (!f.isEmpty()) import_file(f, ImportAs::GroundTruth);
  });
  add_command(file, tr("Import as &predictions..."), {K(Qt::CTRL | Qt::SHIFT | Qt::Key_I)}, [this] {
    const QString f = ask_open_file(tr("Import predictions"), import_filter());
    if (!f.isEmpty()) import_file(f, ImportAs::Predictions);
  });
  add_command(file, tr("&Export annotations..."), {K(Qt::CTRL | Qt::Key_E)}, [this] {
    const QString f = ask_save_file(tr("Export annotations"), export_filter(), QString());
    if (!f.isEmpty()) export_file(f);
  });
  file->addSeparator();
  add_command(file, tr("Report as &CSV..."), {K(Qt::CTRL | Qt::Key_R)}, [this] {
    const QString f = ask_save_file(tr("Save report"), tr("CSV (*.csv)"), QString());
    if (!f.isEmpty()) save_report_csv(f);
  });
  add_command(file, tr("Report as P&DF..."), {K(Qt::CTRL | Qt::SHIFT | Qt::Key_R)}, [this] {
    const QString f = ask_save_file(tr("Save report"), tr("PDF (*.pdf)"), QString());
    if (!f.isEmpty()) save_report_pdf(f);
  });
  add_command(file, tr("&Print report..."), {K::Print}, [this] {
    QPrinter printer;
    QPrintDialog dialog(&printer, this);
    if (dialog.exec() == QDialog::Accepted)
      print_report(&printer, build_report(document_->model()->annotation_set(),
                                          document_->model()->score_threshold()));
  });
  file->addSeparator();
  add_command(file, tr("Run &detection..."), {K(Qt::CTRL | Qt::Key_D)},
              [this] { run_detection(); });
  add_command(file, tr("Cancel detection"), {K(Qt::CTRL | Qt::SHIFT | Qt::Key_D)},
              [this] { detection_->cancel(); });
  file->addSeparator();
  add_command(file, tr("&Quit"), {K(Qt::CTRL | Qt::Key_Q)}, [this] { close(); });

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = document_->undo_stack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcuts({K::Undo});
  QAction* redo = document_->undo_stack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts({K(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), K(Qt::CTRL | Qt::Key_Y)});
  for (QAction* a : {undo, redo}) {
    edit->addAction(a);
    addAction(a);
    commands_ << a;
  }
  edit->addSeparator();
  add_command(edit, tr("Set &in point"), {K(Qt::Key_BracketLeft)}, [this] { set_in_point(); });
  add_command(edit, tr("Set &out point (create segment)"), {K(Qt::Key_BracketRight)},
              [this] { set_out_point(); });
  add_command(edit, tr("Switch protocol for new segments"), {K(Qt::Key_T)},
              [this] { transport_->cycle_label(); });
  add_command(edit, tr("&Delete segment"), {K(Qt::Key_Delete), K(Qt::Key_Backspace)},
              [this] { delete_selected(); });
  add_command(edit, tr("&Split segment at playhead"), {K(Qt::Key_S)},
              [this] { split_at_playhead(); });
  add_command(edit, tr("&Merge with next segment"), {K(Qt::Key_M)}, [this] { merge_with_next(); });
  add_command(edit, tr("Change &label (Time-out / StOP?)"), {K(Qt::Key_L)},
              [this] { relabel_selected(); });
  edit->addSeparator();
  add_command(edit, tr("&Accept segment"), {K(Qt::Key_A)},
              [this] { set_selected_state(ReviewState::Accepted); });
  add_command(edit, tr("&Reject segment"), {K(Qt::Key_R)},
              [this] { set_selected_state(ReviewState::Rejected); });
  add_command(edit, tr("Mark segment &edited"), {K(Qt::Key_E)},
              [this] { set_selected_state(ReviewState::Edited); });
  add_command(edit, tr("Reset review state"), {K(Qt::Key_U)},
              [this] { set_selected_state(ReviewState::Proposed); });

  QMenu* play = menuBar()->addMenu(tr("&Playback"));
  add_command(play, tr("Play / pause"), {K(Qt::Key_Space), K(Qt::Key_K)},
              [this] { player_->toggle_play(); });
  add_command(play, tr("Faster"), {K(Qt::Key_Up)}, [this] { player_->faster(); });
  add_command(play, tr("Slower"), {K(Qt::Key_Down)}, [this] { player_->slower(); });
  add_command(play, tr("Normal speed"), {K(Qt::Key_Equal)}, [this] { player_->set_speed(1.0); });
  add_command(play, tr("Next frame"), {K(Qt::Key_Period)}, [this] { player_->step_frames(1); });
  add_command(play, tr("Previous frame"), {K(Qt::Key_Comma)}, [this] { player_->step_frames(-1); });
  add_command(play, tr("Forward 1 s"), {K(Qt::Key_Right)}, [this] { player_->jump(1); });
  add_command(play, tr("Back 1 s"), {K(Qt::Key_Left)}, [this] { player_->jump(-1); });
  add_command(play, tr("Forward 10 s"), {K(Qt::SHIFT | Qt::Key_Right)},
              [this] { player_->jump(10); });
  add_command(play, tr("Back 10 s"), {K(Qt::SHIFT | Qt::Key_Left)}, [this] { player_->jump(-10); });
  add_command(play, tr("Forward 1 min"), {K(Qt::CTRL | Qt::Key_Right)},
              [this] { player_->jump(60); });
  add_command(play, tr("Back 1 min"), {K(Qt::CTRL | Qt::Key_Left)}, [this] { player_->jump(-60); });
  add_command(play, tr("Go to start"), {K(Qt::Key_Home)}, [this] { player_->seek(0); });
  add_command(play, tr("Go to end"), {K(Qt::Key_End)},
              [this] { player_->seek(player_->duration_s()); });
  add_command(play, tr("&Go to time..."), {K(Qt::Key_G), K(Qt::CTRL | Qt::Key_G)},
              [this] { transport_->focus_time_entry(); });
  play->addSeparator();
  add_command(play, tr("&Next segment"), {K(Qt::Key_N)}, [this] { next_segment(); });
  add_command(play, tr("&Previous segment"), {K(Qt::Key_P)}, [this] { previous_segment(); });
  add_command(play, tr("&Loop segment"), {K(Qt::Key_O)}, [this] { toggle_loop(); });

  QMenu* view = menuBar()->addMenu(tr("&View"));
  add_command(view, tr("Enlarge focused view / back to grid"), {K(Qt::Key_F)},
              [this] { player_->toggle_enlarged(player_->focused_view()); });
  for (int i = 0; i < 9; ++i)
    add_command(view, tr("Focus view %1").arg(i + 1), {K(Qt::Key_1 + i)},
                [this, i] { player_->set_focused_view(i); });
  add_command(view, tr("Zoom timeline in"),
              {K(Qt::CTRL | Qt::Key_Equal), K(Qt::CTRL | Qt::Key_Plus)},
              [this] { timeline_->zoom_in(); });
  add_command(view, tr("Zoom timeline out"), {K(Qt::CTRL | Qt::Key_Minus)},
              [this] { timeline_->zoom_out(); });
  add_command(view, tr("Whole recording"), {K(Qt::CTRL | Qt::Key_0)},
              [this] { timeline_->zoom_fit(); });
  add_command(view, tr("Zoom to segment"), {K(Qt::Key_Z)},
              [this] { timeline_->zoom_to_selection(); });
  add_command(view, tr("Raise score threshold"), {K(Qt::SHIFT | Qt::Key_Up)}, [this] {
    transport_->threshold_slider()->setValue(transport_->threshold_slider()->value() + 5);
  });
  add_command(view, tr("Lower score threshold"), {K(Qt::SHIFT | Qt::Key_Down)}, [this] {
    transport_->threshold_slider()->setValue(transport_->threshold_slider()->value() - 5);
  });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  add_command(help, tr("&Keyboard shortcuts"), {K(Qt::Key_F1), K(Qt::Key_Question)},
              [this] { show_shortcuts(); });
}

// ---- review ----

std::vector<SegmentId> MainWindow::navigation_order() const {
  const TimelineModel* m = document_->model();
  std::vector<int> rows;
  for (int r = 0; r < m->segment_count(); ++r)
    if (m->is_visible(r)) rows.push_back(r);
  std::stable_sort(rows.begin(), rows.end(),
                   [m](int a, int b) { return m->segment(a).start_s < m->segment(b).start_s; });
  std::vector<SegmentId> ids;
  for (int r : rows)
    ids.push_back(m->id_at(r));
  return ids;
}

void MainWindow::select_and_show(SegmentId id) {
  const auto s = document_->model()->find(id);
  if (!s) return;
  timeline_->select(id);
  player_->seek(s->start_s);
  if (looping_)
    player_->set_loop(std::make_pair(s->start_s, s->end_s)),
        timeline_->set_loop(std::make_pair(s->start_s, s->end_s));
}

void MainWindow::next_segment() {
  const double t = player_->position();
  const SegmentId current = timeline_->selected();
  for (SegmentId id : navigation_order()) {
    const auto s = document_->model()->find(id);
    if (id != current && s->start_s > t + 1e-3) return select_and_show(id);
  }
}

void MainWindow::previous_segment() {
  const double t = player_->position();
  const SegmentId current = timeline_->selected();
  const auto order = navigation_order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto s = document_->model()->find(*it);
    if (*it != current && s->start_s < t - 1e-3) return select_and_show(*it);
  }
}

void MainWindow::toggle_loop() {
  looping_ = !looping_;
  const auto s = document_->model()->find(timeline_->selected());
  if (looping_ && s) {
    player_->set_loop(std::make_pair(s->start_s, s->end_s));
    timeline_->set_loop(std::make_pair(s->start_s, s->end_s));
    player_->seek(s->start_s);
    player_->play();
  } else {
    looping_ = false;
    player_->set_loop(std::nullopt);
    timeline_->set_loop(std::nullopt);
  }
}

void MainWindow::set_in_point() {
  in_point_ = player_->position();
  timeline_->set_in_point(in_point_);
  statusBar()->showMessage(
      tr("In point at %1; press ] at the end").arg(format_time_hms(*in_point_)), 4000);
}

void MainWindow::set_out_point() {
  const double out = player_->position();
  if (!in_point_ || std::abs(out - *in_point_) < player_->frame_s() * 0.5) {
    statusBar()->showMessage(tr("Set an in point with [ first, then move and press ]"), 4000);
    return;
  }
  Segment s;
  const auto selected = document_->model()->find(timeline_->selected());
  s.label = transport_->new_segment_label().toStdString();
  s.source = annotations::Source::Reviewer;
  s.state = ReviewState::Accepted;
  s.start_s = std::min(*in_point_, out);
  s.end_s = std::max(*in_point_, out);
  auto* command = new AddSegmentCommand(document_->model(), s);
  document_->undo_stack()->push(command);
  timeline_->select(command->segment_id());
  in_point_.reset();
  timeline_->set_in_point(std::nullopt);
  (void)selected;
}

void MainWindow::delete_selected() {
  const SegmentId id = timeline_->selected();
  if (!document_->model()->find(id)) return;
  document_->undo_stack()->push(new DeleteSegmentCommand(document_->model(), id));
}

void MainWindow::split_at_playhead() {
  const SegmentId id = timeline_->selected();
  const auto s = document_->model()->find(id);
  const double t = player_->position();
  if (!s || !can_split(*s, t, player_->frame_s() * 0.5)) {
    statusBar()->showMessage(tr("Select a segment and put the playhead inside it to split"), 4000);
    return;
  }
  document_->undo_stack()->push(new SplitSegmentCommand(document_->model(), id, t));
}

void MainWindow::merge_with_next() {
  const SegmentId id = timeline_->selected();
  const auto s = document_->model()->find(id);
  if (!s) return;
  const TimelineModel* m = document_->model();
  SegmentId next = 0;
  double best = 1e300;
  for (int r = 0; r < m->segment_count(); ++r) {
    const Segment& o = m->segment(r);
    if (m->id_at(r) == id || o.label != s->label || o.source != s->source) continue;
    if (o.start_s >= s->start_s && o.start_s < best) best = o.start_s, next = m->id_at(r);
  }
  if (!next) {
    statusBar()->showMessage(tr("No later segment in this lane to merge with"), 4000);
    return;
  }
  document_->undo_stack()->push(new MergeSegmentsCommand(document_->model(), id, next));
}

void MainWindow::relabel_selected() {
  const SegmentId id = timeline_->selected();
  const auto s = document_->model()->find(id);
  if (!s) return;
  const std::string to = s->label == annotations::kTimeOut ? std::string(annotations::kStop)
                                                           : std::string(annotations::kTimeOut);
  document_->undo_stack()->push(new RelabelSegmentCommand(document_->model(), id, to));
}

void MainWindow::set_selected_state(ReviewState state) {
  const SegmentId id = timeline_->selected();
  const auto s = document_->model()->find(id);
  if (!s || s->state == state) return;
  document_->undo_stack()->push(new SetReviewStateCommand(document_->model(), id, state));
}

// ---- files, report, detection ----

bool MainWindow::import_file(const QString& path, ImportAs as) {
  try {
    const ImportResult r =
        import_annotations(path, QString::fromStdString(document_->model()->recording_id()),
                           document_->model()->fps(), as);
    document_->undo_stack()->push(new AddSegmentsCommand(
        document_->model(), r.segments,
        tr("Import %1 segments from %2").arg(r.segments.size()).arg(QFileInfo(path).fileName())));
    statusBar()->showMessage(
        tr("Imported %1 segments from %2%3")
            .arg(r.segments.size())
            .arg(path, r.warnings.isEmpty() ? QString() : " (" + r.warnings.join("; ") + ")"),
        6000);
    return true;
  } catch (const std::exception& e) {
    show_error(tr("Cannot import %1").arg(QFileInfo(path).fileName()), QString::fromUtf8(e.what()));
    return false;
  }
}

bool MainWindow::export_file(const QString& path) {
  try {
    export_annotations(path, document_->model()->annotation_set());
    statusBar()->showMessage(tr("Exported to %1").arg(path), 4000);
    return true;
  } catch (const std::exception& e) {
    show_error(tr("Cannot export"), QString::fromUtf8(e.what()));
    return false;
  }
}

bool MainWindow::save_report_csv(const QString& path) {
  try {
    write_report_csv(path, build_report(document_->model()->annotation_set(),
                                        document_->model()->score_threshold()));
    return true;
  } catch (const std::exception& e) {
    show_error(tr("Cannot write report"), QString::fromUtf8(e.what()));
    return false;
  }
}

bool MainWindow::save_report_pdf(const QString& path) {
  try {
    write_report_pdf(path, build_report(document_->model()->annotation_set(),
                                        document_->model()->score_threshold()));
    return true;
  } catch (const std::exception& e) {
    show_error(tr("Cannot write report"), QString::fromUtf8(e.what()));
    return false;
  }
}

void MainWindow::set_detection_runner(
    std::function<annotations::AnnotationSet(const QString&, const QString&,
                                             const ProgressCallback&, const CancelToken&)>
        runner) {
  detection_->set_runner(std::move(runner));
}

void MainWindow::run_detection(const QString& bundle_dir) {
  if (detection_->running()) return;
  if (document_->recording_path().isEmpty()) {
    show_error(tr("Run detection"), tr("Open a recording first."));
    return;
  }
  QString bundle = bundle_dir;
  if (bundle.isEmpty()) {
    QSettings settings;
    // The last bundle used, else models/default next to the program or in the source tree.
    QString guess = settings.value("model_bundle").toString();
    for (const QString& candidate :
         {QCoreApplication::applicationDirPath() + "/../share/teamor/models/default",
          QCoreApplication::applicationDirPath() + "/../../models/default"})
      if (guess.isEmpty() && QFileInfo::exists(candidate + "/model.json")) guess = candidate;
    bundle =
        interactive_ ? QFileDialog::getExistingDirectory(this, tr("Model bundle"), guess) : guess;
    if (bundle.isEmpty()) return;
    settings.setValue("model_bundle", bundle);
  }
  progress_->setVisible(true);
  progress_->setRange(0, 0);
  cancel_button_->setVisible(true);
  detection_->start(document_->recording_path(), bundle);
}

void MainWindow::show_shortcuts() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Keyboard shortcuts"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* table = new QTableWidget(0, 2, &dialog);
  table->setHorizontalHeaderLabels({tr("Command"), tr("Keys")});
  for (QAction* a : commands_) {
    if (a->shortcuts().isEmpty()) continue;
    QStringList keys;
    for (const auto& k : a->shortcuts())
      keys << k.toString(QKeySequence::NativeText);
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, 0, new QTableWidgetItem(QString(a->text()).remove('&')));
    table->setItem(row, 1, new QTableWidgetItem(keys.join(", ")));
  }
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(table);
  layout->addWidget(
      new QLabel(tr("Mouse: wheel zooms the timeline around the pointer, Shift+wheel "
                    "or middle drag pans; drag in a lane creates a segment, drag an "
                    "edge trims, drag the body moves, Ctrl+click splits; click a view "
                    "to focus and enlarge it."),
                 &dialog));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(buttons);
  dialog.resize(620, 640);
  dialog.exec();
}

}  // namespace teamor::ui
