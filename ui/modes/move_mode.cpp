#include "ui/modes/move_mode.h"

#include <QUndoStack>
#include <cmath>

#include "ui/commands/segment_commands.h"

namespace teamor::ui {

void MoveMode::press(const TimelineHit& hit, double x_px) {
  id_ = hit.segment;
  ctx_->select(id_);
  const auto s = ctx_->model()->find(id_);
  if (!s) {
    id_ = 0;
    return;
  }
  grab_offset_s_ = hit.time_s - s->start_s;
  duration_s_ = s->duration_s();
  press_x_ = x_px;
  dragged_ = false;
  gesture_ = ctx_->next_gesture();
}

void MoveMode::move(double time_s, double x_px) {
  if (id_ == 0) return;
  if (!dragged_ && std::abs(x_px - press_x_) < 4) return;  // a click selects, it does not move
  dragged_ = true;
  const double start = ctx_->snap(time_s - grab_offset_s_);
  const auto s = ctx_->model()->find(id_);
  if (!s || std::abs(s->start_s - start) < 1e-9) return;
  ctx_->undo_stack()->push(
      new MoveSegmentCommand(ctx_->model(), id_, start, start + duration_s_, gesture_));
}

void MoveMode::release(double time_s, double x_px) {
  move(time_s, x_px);
  id_ = 0;
}

}  // namespace teamor::ui
