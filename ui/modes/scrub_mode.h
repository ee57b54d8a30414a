#pragma once
#include "ui/modes/timeline_mode.h"

namespace teamor::ui {

/// @brief Click or drag in the ruler (or a click in an empty lane) moves the playhead.
class ScrubMode : public TimelineMode {
 public:
  using TimelineMode::TimelineMode;
  void press(const TimelineHit& hit, double x_px) override;
  void move(double time_s, double x_px) override;
  void release(double time_s, double x_px) override;
};

/// @brief Middle-button (or Alt+left) drag scrolls the timeline.
class PanMode : public TimelineMode {
 public:
  using TimelineMode::TimelineMode;
  void press(const TimelineHit& hit, double x_px) override;
  void move(double time_s, double x_px) override;
  void release(double time_s, double x_px) override;

 private:
  double last_x_ = 0;
};

}  // namespace teamor::ui
