#include "ui/modes/trim_mode.h"

#include <QUndoStack>
#include <algorithm>
#include <cmath>

#include "ui/commands/segment_commands.h"

namespace teamor::ui {

void TrimMode::press(const TimelineHit& hit, double) {
  id_ = hit.segment;
  start_edge_ = hit.edge == TimelineHit::Edge::Start;
  gesture_ = ctx_->next_gesture();
  ctx_->select(id_);
}

void TrimMode::move(double time_s, double) {
  const auto s = ctx_->model()->find(id_);
  if (!s) return;
  const double t = ctx_->snap(time_s);
  const double min_len = ctx_->frame_s();
  double start = s->start_s;
  double end = s->end_s;
  if (start_edge_)
    start = std::min(t, end - min_len);
  else
    end = std::max(t, start + min_len);
  if (std::abs(start - s->start_s) < 1e-9 && std::abs(end - s->end_s) < 1e-9) return;
  ctx_->undo_stack()->push(new MoveSegmentCommand(ctx_->model(), id_, start, end, gesture_));
  ctx_->request_seek(start_edge_ ? start : end);  // show the frame at the edge being placed
}

void TrimMode::release(double time_s, double x_px) {
  move(time_s, x_px);
  id_ = 0;
}

void SplitMode::press(const TimelineHit& hit, double) {
  const auto s = ctx_->model()->find(hit.segment);
  const double t = ctx_->snap(hit.time_s);
  if (!s || !can_split(*s, t, ctx_->frame_s() * 0.5)) return;
  auto* command = new SplitSegmentCommand(ctx_->model(), hit.segment, t);
  ctx_->undo_stack()->push(command);
  ctx_->select(command->right_id());
}

}  // namespace teamor::ui
