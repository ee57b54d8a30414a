#include "app/viewer/screenshot_tour.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSlider>
#include <QTimer>
#include <QUndoStack>
#include <algorithm>

#include "ui/commands/review_commands.h"
#include "ui/document.h"
#include "ui/main_window.h"
#include "ui/player/multi_view_player.h"
#include "ui/timeline_widget.h"
#include "ui/transport_bar.h"

namespace teamor::viewer {

namespace {

void wait_ms(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

void settle(ui::MainWindow& w) {
  QElapsedTimer timer;
  timer.start();
  while (!w.player()->frames_ready() && timer.elapsed() < 5000)
    wait_ms(20);
  wait_ms(150);
}

bool grab(QWidget& widget, const QString& dir, const QString& name) {
  return widget.grab().save(QDir(dir).filePath(name + ".png"));
}

/// First segment of @p source (by start), 0 when none.
ui::SegmentId first_of(const ui::TimelineModel* m, annotations::Source source, int skip = 0) {
  ui::SegmentId best = 0;
  std::vector<std::pair<double, ui::SegmentId>> found;
  for (int r = 0; r < m->segment_count(); ++r)
    if (m->segment(r).source == source && m->is_visible(r))
      found.emplace_back(m->segment(r).start_s, m->id_at(r));
  std::sort(found.begin(), found.end());
  if (skip < static_cast<int>(found.size())) best = found[skip].second;
  return best;
}

}  // namespace

int run_screenshot_tour(ui::MainWindow& w, const QString& out_dir, const QString& broken) {
  QDir().mkpath(out_dir);
  int n = 0;
  w.resize(1400, 900);
  wait_ms(300);
  auto* model = w.document()->model();
  auto* stack = w.document()->undo_stack();

  // 1. Overview: the whole recording, playhead inside the first Time-out.
  w.timeline()->zoom_fit();
  if (auto gt = model->find(first_of(model, annotations::Source::GroundTruth)))
    w.player()->seek(gt->start_s + gt->duration_s() * 0.4);
  settle(w);
  n += grab(w, out_dir, "01-overview");

  // 2. Review: threshold raised, predictions accepted / rejected, one selected and zoomed to.
  w.transport()->threshold_slider()->setValue(30);
  if (auto id = first_of(model, annotations::Source::Prediction, 0))
    stack->push(new ui::SetReviewStateCommand(model, id, annotations::ReviewState::Accepted));
  if (auto id = first_of(model, annotations::Source::Prediction, 1))
    stack->push(new ui::SetReviewStateCommand(model, id, annotations::ReviewState::Rejected));
  if (auto id = first_of(model, annotations::Source::Prediction, 2)) {
    w.timeline()->select(id);
    w.player()->seek(model->find(id)->start_s + 1.0);
  }
  w.timeline()->zoom_fit();
  settle(w);
  n += grab(w, out_dir, "02-review");

  // 3. One view enlarged.
  w.player()->set_focused_view(1);
  w.player()->toggle_enlarged(1);
  settle(w);
  n += grab(w, out_dir, "03-enlarged-view");
  w.player()->toggle_enlarged(-1);

  // 4. Timeline zoomed to single frames around the playhead.
  for (int i = 0; i < 40; ++i)
    w.timeline()->zoom_in();
  w.player()->step_frames(1);
  settle(w);
  n += grab(w, out_dir, "04-frame-zoom");
  w.timeline()->zoom_fit();

  // 5. Keyboard shortcuts (Help).
  QTimer::singleShot(400, [&] {
    for (QWidget* top : QApplication::topLevelWidgets())
      if (auto* dialog = qobject_cast<QDialog*>(top); dialog && dialog->isVisible()) {
        n += grab(*dialog, out_dir, "05-shortcuts");
        dialog->reject();
      }
  });
  w.show_shortcuts();

  // 6. A recording with an unplayable view: the tile says why, the others play.
  if (!broken.isEmpty() && w.open_recording(broken)) {
    w.player()->seek(20);
    settle(w);
    n += grab(w, out_dir, "06-unplayable-view");
  }
  stack->setClean();
  return n;
}

}  // namespace teamor::viewer
