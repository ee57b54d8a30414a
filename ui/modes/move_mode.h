#pragma once
#include "ui/modes/timeline_mode.h"

namespace teamor::ui {

/// @brief Dragging a segment's body moves it, keeping its duration; snapped to frames. Every step
/// of the drag pushes a MoveSegmentCommand with the same gesture number: one undo step per drag.
class MoveMode : public TimelineMode {
 public:
  using TimelineMode::TimelineMode;
  void press(const TimelineHit& hit, double x_px) override;
  void move(double time_s, double x_px) override;
  void release(double time_s, double x_px) override;

 private:
  SegmentId id_ = 0;
  double grab_offset_s_ = 0;
  double duration_s_ = 0;
  double press_x_ = 0;
  bool dragged_ = false;
  int gesture_ = 0;
};

}  // namespace teamor::ui
