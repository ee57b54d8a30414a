#include "ui/modes/scrub_mode.h"

namespace teamor::ui {

void ScrubMode::press(const TimelineHit& hit, double) {
  ctx_->request_seek(ctx_->snap(hit.time_s));
}
void ScrubMode::move(double time_s, double) {
  ctx_->request_seek(ctx_->snap(time_s));
}
void ScrubMode::release(double time_s, double) {
  ctx_->request_seek(ctx_->snap(time_s));
}

void PanMode::press(const TimelineHit&, double x_px) {
  last_x_ = x_px;
}
void PanMode::move(double, double x_px) {
  ctx_->pan_px(last_x_ - x_px);  // content follows the hand
  last_x_ = x_px;
}
void PanMode::release(double, double) {}

}  // namespace teamor::ui
