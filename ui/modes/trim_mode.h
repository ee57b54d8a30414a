#pragma once
#include "ui/modes/timeline_mode.h"

namespace teamor::ui {

/// @brief Dragging a segment's start or end edge trims it (snapped to frames, at least one frame
/// long). The drag is one undo step.
class TrimMode : public TimelineMode {
 public:
  using TimelineMode::TimelineMode;
  void press(const TimelineHit& hit, double x_px) override;
  void move(double time_s, double x_px) override;
  void release(double time_s, double x_px) override;

 private:
  SegmentId id_ = 0;
  bool start_edge_ = true;
  int gesture_ = 0;
};

/// @brief Ctrl+click on a segment splits it at the (snapped) click time.
class SplitMode : public TimelineMode {
 public:
  using TimelineMode::TimelineMode;
  void press(const TimelineHit& hit, double x_px) override;
  void move(double, double) override {}
  void release(double, double) override {}
};

}  // namespace teamor::ui
