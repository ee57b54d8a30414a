#include "ui/modes/create_mode.h"

#include <QUndoStack>
#include <algorithm>
#include <cmath>

#include "ui/commands/segment_commands.h"

namespace teamor::ui {

void CreateMode::press(const TimelineHit& hit, double x_px) {
  lane_ = hit.lane;
  anchor_s_ = current_s_ = ctx_->snap(hit.time_s);
  press_x_ = x_px;
  dragged_ = false;
}

void CreateMode::move(double time_s, double x_px) {
  if (std::abs(x_px - press_x_) > 4) dragged_ = true;  // below 4 px it is a click
  current_s_ = ctx_->snap(time_s);
  ctx_->refresh();
}

void CreateMode::release(double time_s, double x_px) {
  move(time_s, x_px);
  const double t0 = std::min(anchor_s_, current_s_);
  const double t1 = std::max(anchor_s_, current_s_);
  const auto& lanes = ctx_->model()->lanes();
  if (!dragged_ || t1 - t0 < ctx_->frame_s() * 0.5 || lane_ < 0 ||
      lane_ >= static_cast<int>(lanes.size())) {
    ctx_->request_seek(ctx_->snap(time_s));
    lane_ = -1;
    ctx_->refresh();
    return;
  }
  annotations::Segment s;
  s.label = lanes[lane_].label;
  s.source = lanes[lane_].source == annotations::Source::Prediction ? annotations::Source::Reviewer
                                                                    : lanes[lane_].source;
  s.state = annotations::ReviewState::Accepted;
  s.start_s = t0;
  s.end_s = t1;
  auto* command = new AddSegmentCommand(ctx_->model(), s);
  ctx_->undo_stack()->push(command);
  ctx_->select(command->segment_id());
  lane_ = -1;
  ctx_->refresh();
}

void CreateMode::paint(QPainter& painter) {
  if (lane_ < 0 || !dragged_) return;
  const QRectF r =
      ctx_->lane_rect(lane_, std::min(anchor_s_, current_s_), std::max(anchor_s_, current_s_));
  painter.setPen(QPen(Qt::white, 1, Qt::DashLine));
  painter.setBrush(QColor(255, 255, 255, 60));
  painter.drawRect(r);
}

}  // namespace teamor::ui
