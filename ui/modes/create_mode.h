#pragma once
#include "ui/modes/timeline_mode.h"

namespace teamor::ui {

/// @brief Dragging in an empty part of a lane creates a segment there (snapped to frames); a click
/// without a drag only moves the playhead. Segments drawn in a prediction lane become reviewer
/// segments of that protocol.
class CreateMode : public TimelineMode {
 public:
  using TimelineMode::TimelineMode;
  void press(const TimelineHit& hit, double x_px) override;
  void move(double time_s, double x_px) override;
  void release(double time_s, double x_px) override;
  void paint(QPainter& painter) override;

 private:
  int lane_ = -1;
  double anchor_s_ = 0;
  double current_s_ = 0;
  double press_x_ = 0;
  bool dragged_ = false;
};

}  // namespace teamor::ui
