#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include <algorithm>

#include "common/error.h"
#include "io/recording.h"
#include "ui/commands/segment_commands.h"
#include "ui/detection_job.h"
#include "ui/document.h"
#include "ui/offsets_panel.h"
#include "ui/player/multi_view_player.h"
#include "ui/timeline_scale.h"
#include "ui/timeline_widget.h"
#include "ui/transport_bar.h"

namespace teamor::ui {

MainWindow::MainWindow(const QString& recovery_dir, bool interactive, QWidget* parent)
    : QMainWindow(parent), document_(new Document(recovery_dir, this)), interactive_(interactive) {
  build_layout();
  build_actions();
  connect_document();
  setAcceptDrops(true);
  update_title();
  update_status();
  resize(1280, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::build_layout() {
  player_ = new MultiViewPlayer(this);
  transport_ = new TransportBar(this);
  timeline_ = new TimelineWidget(this);
  timeline_->set_model(document_->model(), document_->undo_stack());

  auto* top = new QWidget(this);
  auto* top_layout = new QVBoxLayout(top);
  top_layout->setContentsMargins(0, 0, 0, 0);
  top_layout->setSpacing(0);
  top_layout->addWidget(player_, 1);
  top_layout->addWidget(transport_);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(top);
  splitter->addWidget(timeline_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({640, 200});  // the videos get most of the height; the lanes fit below
  setCentralWidget(splitter);

  offsets_ = new OffsetsPanel(document_->model(), document_->undo_stack(), this);
  auto* dock = new QDockWidget(tr("Views"), this);
  dock->setObjectName("views_dock");
  dock->setWidget(offsets_);
  dock->setMaximumWidth(280);
  addDockWidget(Qt::RightDockWidgetArea, dock);

  // Status bar: time and frame of the focused view, speed, document state, detection progress.
  time_label_ = new QLabel(this);
  frame_label_ = new QLabel(this);
  speed_label_ = new QLabel(this);
  doc_label_ = new QLabel(this);
  progress_ = new QProgressBar(this);
  progress_->setMaximumWidth(220);
  progress_->setVisible(false);
  cancel_button_ = new QPushButton(tr("Cancel detection"), this);
  cancel_button_->setVisible(false);
  QFont mono("monospace");
  mono.setStyleHint(QFont::TypeWriter);
  time_label_->setFont(mono);
  frame_label_->setFont(mono);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_button_);
  statusBar()->addPermanentWidget(doc_label_);
  statusBar()->addPermanentWidget(speed_label_);
  statusBar()->addPermanentWidget(frame_label_);
  statusBar()->addPermanentWidget(time_label_);

  detection_ = new DetectionJob(this);
  connect(cancel_button_, &QPushButton::clicked, detection_, &DetectionJob::cancel);

  // Player <-> timeline <-> transport.
  connect(timeline_, &TimelineWidget::seek_requested, player_, &MultiViewPlayer::seek);
  connect(transport_, &TransportBar::seek_requested, player_, &MultiViewPlayer::seek);
  connect(transport_, &TransportBar::play_toggled, player_, &MultiViewPlayer::toggle_play);
  connect(transport_, &TransportBar::speed_requested, player_, &MultiViewPlayer::set_speed);
  connect(transport_, &TransportBar::threshold_changed, this,
          [this](double t) { document_->model()->set_score_threshold(t); });
  connect(player_, &MultiViewPlayer::position_changed, this, [this](double t) {
    timeline_->set_playhead(t);
    update_status();
  });
  connect(player_, &MultiViewPlayer::seek_completed, this, [this] { update_status(); });
  connect(player_, &MultiViewPlayer::playing_changed, transport_, &TransportBar::set_playing);
  connect(player_, &MultiViewPlayer::speed_changed, this, [this](double s) {
    transport_->set_speed(s);
    update_status();
  });
  connect(player_, &MultiViewPlayer::focused_view_changed, this, [this] { update_status(); });
}

void MainWindow::connect_document() {
  TimelineModel* model = document_->model();
  connect(model, &TimelineModel::media_changed, this, &MainWindow::apply_media_to_player);
  connect(model, &TimelineModel::threshold_changed, transport_, &TransportBar::set_threshold);
  connect(document_, &Document::dirty_changed, this, [this] { update_title(); });
  connect(document_, &Document::path_changed, this, [this] { update_title(); });
  connect(document_, &Document::autosaved, this, [this](const QString&) {
    statusBar()->showMessage(tr("Autosaved (recovery copy)"), 3000);
  });
  connect(document_, &Document::reloaded, this, [this] {
    transport_->set_threshold(document_->model()->score_threshold());
    offsets_->rebuild();
    update_title();
  });
  connect(detection_, &DetectionJob::progress, this, [this](double fraction, const QString& stage) {
    progress_->setRange(0, fraction < 0 ? 0 : 1000);
    progress_->setValue(static_cast<int>(fraction * 1000));
    progress_->setFormat(stage + " %p%");
  });
  connect(detection_, &DetectionJob::succeeded, this,
          [this](const annotations::AnnotationSet& predictions) {
            document_->undo_stack()->push(new AddSegmentsCommand(
                document_->model(), predictions.segments,
                tr("Detect protocols (%1 segments)").arg(predictions.segments.size())));
            statusBar()->showMessage(
                tr("Detection found %1 segments").arg(predictions.segments.size()), 5000);
          });
  connect(detection_, &DetectionJob::failed, this, [this](const QString& message, bool cancelled) {
    if (cancelled)
      statusBar()->showMessage(tr("Detection cancelled"), 5000);
    else
      show_error(tr("Detection failed"), message);
  });
  connect(detection_, &DetectionJob::finished, this, [this] {
    progress_->setVisible(false);
    cancel_button_->setVisible(false);
  });
}

void MainWindow::apply_media_to_player() {
  for (const auto& m : document_->model()->media())
    player_->set_offset(QString::fromStdString(m.name), m.offset_s);
}

void MainWindow::update_status() {
  const double t = player_->position();
  time_label_->setText(format_status_time(t));
  const int v = player_->focused_view();
  const std::int64_t frame = player_->focused_frame_index();
  frame_label_->setText(
      player_->view_count() == 0
          ? tr("no recording")
          : tr("frame %1 (%2)")
                .arg(frame >= 0 ? QString::number(frame) : QString("-"), player_->view_name(v)));
  speed_label_->setText(QString("%1x").arg(player_->speed()));
  transport_->set_position(t, player_->duration_s());
}

void MainWindow::update_title() {
  const QString path = document_->path();
  const QString id = QString::fromStdString(document_->model()->recording_id());
  setWindowTitle(QString("%1[*] - teamor-viewer")
                     .arg(id.isEmpty() ? tr("no recording")
                                       : id + (path.isEmpty() ? QString() : " (" + path + ")")));
  setWindowModified(document_->dirty());
  doc_label_->setText(document_->dirty() ? tr("unsaved changes") : tr("saved"));
}

void MainWindow::show_error(const QString& title, const QString& message) {
  last_error_ = message;
  statusBar()->showMessage(title + ": " + message, 10000);
  if (interactive_) QMessageBox::warning(this, title, message);
}

bool MainWindow::open_recording(const QString& path) {
  try {
    const io::Recording rec = io::Recording::open(path.toStdString());
    player_->set_recording(rec);
    annotations::AnnotationSet set;
    set.recording_id = rec.id;
    for (const io::View& v : rec.views)
      set.media.push_back({v.name, v.path.string(), v.offset_s});
    for (int i = 0; i < player_->view_count(); ++i)
      if (ViewDecoder* d = player_->decoder(i); d && !set.fps) set.fps = d->info().nominal_fps;
    set.duration_s = player_->duration_s();
    QStringList notes;
    if (rec.annotations) {
      try {
        const ImportResult gt =
            import_annotations(QString::fromStdString(rec.annotations->string()),
                               QString::fromStdString(rec.id), set.fps, ImportAs::GroundTruth);
        set.segments = gt.segments;
      } catch (const Error& e) {
        notes << tr("Ground truth not loaded: %1").arg(QString::fromStdString(e.what()));
      }
    }
    const QString review = default_document_path(path, QString::fromStdString(rec.id));
    bool resumed = false;
    if (QFileInfo::exists(review)) {
      try {
        document_->load(review);
        resumed = true;
      } catch (const Error& e) {
        notes << tr("Review document not resumed: %1").arg(QString::fromStdString(e.what()));
      }
    }
    if (!resumed) {
      document_->reset(QFileInfo(path).absoluteFilePath(), set);
    } else {
      // Views the saved review does not know yet join with the manifest's offsets.
      auto media = document_->model()->media();
      for (const auto& m : set.media)
        if (std::none_of(media.begin(), media.end(),
                         [&](const auto& x) { return x.name == m.name; }))
          media.push_back(m);
      document_->model()->set_media(media);
      if (!document_->model()->fps()) document_->model()->set_fps(set.fps);
      document_->model()->set_duration_s(set.duration_s);
    }
    timeline_->set_timebase(player_->duration_s(), set.fps.value_or(30));
    apply_media_to_player();
    offsets_->rebuild();
    add_recent(path);
    update_title();
    update_status();
    if (!notes.isEmpty()) show_error(tr("Recording opened with remarks"), notes.join("\n"));
    return true;
  } catch (const std::exception& e) {
    show_error(tr("Cannot open recording"), QString::fromUtf8(e.what()));
    return false;
  }
}

bool MainWindow::open_document(const QString& path) {
  try {
    document_->load(path);  // throws before the current document changes
  } catch (const std::exception& e) {
    show_error(tr("Cannot open review document"), QString::fromUtf8(e.what()));
    return false;
  }
  const QString rec_path = document_->recording_path();
  if (!rec_path.isEmpty()) {
    try {
      player_->set_recording(io::Recording::open(rec_path.toStdString()));
      timeline_->set_timebase(player_->duration_s(), document_->model()->fps().value_or(30));
    } catch (const std::exception& e) {
      show_error(tr("The recording of this review cannot be played"), QString::fromUtf8(e.what()));
    }
  }
  apply_media_to_player();
  add_recent(path);
  update_status();
  return true;
}

void MainWindow::offer_recovery() {
  const QStringList files = document_->pending_recoveries();
  if (files.isEmpty() || !interactive_) return;
  const QString file = files.front();
  const auto answer = QMessageBox::question(
      this, tr("Recover unsaved work?"),
      tr("teamor-viewer did not close properly last time. Unsaved review work was kept in\n%1\n"
         "(%2).\n\nRecover it now? (No deletes it.)")
          .arg(file, QFileInfo(file).lastModified().toString()),
      QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Yes);
  if (answer == QMessageBox::Cancel) return;
  if (answer == QMessageBox::No) {
    Document::discard_recovery(file);
    return;
  }
  try {
    document_->recover(file);
    const QString rec_path = document_->recording_path();
    if (!rec_path.isEmpty()) {
      player_->set_recording(io::Recording::open(rec_path.toStdString()));
      timeline_->set_timebase(player_->duration_s(), document_->model()->fps().value_or(30));
      apply_media_to_player();
    }
  } catch (const std::exception& e) {
    show_error(tr("Recovery failed"), QString::fromUtf8(e.what()));
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  player_->pause();
  if (detection_->running()) detection_->cancel();
  try {
    const QString saved = document_->save_on_quit();
    if (!saved.isEmpty()) statusBar()->showMessage(tr("Saved to %1").arg(saved));
  } catch (const std::exception& e) {
    // The recovery file could not be written either: ask before losing work.
    if (interactive_ &&
        QMessageBox::warning(
            this, tr("Cannot save"),
            tr("%1\n\nQuit anyway and lose the unsaved changes?").arg(QString::fromUtf8(e.what())),
            QMessageBox::Yes | QMessageBox::No) != QMessageBox::Yes) {
      event->ignore();
      return;
    }
  }
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) open_path(url.toLocalFile());
  event->acceptProposedAction();
}

void MainWindow::open_path(const QString& path) {
  const QFileInfo info(path);
  if (path.endsWith(".review.json") || path.endsWith(".recovery.json"))
    open_document(path);
  else if (info.isDir() || info.fileName() == "recording.json" ||
           QStringList{"mp4", "mkv", "avi", "mov"}.contains(info.suffix().toLower()))
    open_recording(info.isDir() || info.fileName() == "recording.json" ? path
                                                                       : info.absolutePath());
  else
    import_file(path, ImportAs::AsInFile);
}

void MainWindow::add_recent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("recent").toStringList();
  const QString abs = QFileInfo(path).absoluteFilePath();
  recent.removeAll(abs);
  recent.prepend(abs);
  while (recent.size() > 10)
    recent.removeLast();
  settings.setValue("recent", recent);
  rebuild_recent_menu();
}

void MainWindow::rebuild_recent_menu() {
  if (!recent_menu_) return;
  recent_menu_->clear();
  const QStringList recent = QSettings().value("recent").toStringList();
  int n = 0;
  for (const QString& path : recent) {
    // Alt+Shift+digit opens the n-th recent item: top-row digits, no numpad needed.
    QAction* a = recent_menu_->addAction(QString("&%1 %2").arg(++n % 10).arg(path));
    connect(a, &QAction::triggered, this, [this, path] { open_path(path); });
  }
  if (recent.isEmpty()) recent_menu_->addAction(tr("(none)"))->setEnabled(false);
}

QString MainWindow::ask_open_file(const QString& title, const QString& filter) {
  return QFileDialog::getOpenFileName(this, title, QString(), filter);
}

QString MainWindow::ask_save_file(const QString& title, const QString& filter,
                                  const QString& suggested) {
  return QFileDialog::getSaveFileName(this, title, suggested, filter);
}

}  // namespace teamor::ui
