#pragma once
// Interaction modes of the timeline. The widget turns mouse events into timeline coordinates
// (time in seconds + lane) and hands them to the mode chosen at button press: scrub (ruler), pan,
// create (drag in an empty lane), move, trim (segment edges) or split (Ctrl+click). A mode that
// edits builds an undo command and pushes it; none changes the model directly.

#include <QPainter>
#include <QRectF>

#include "ui/timeline_model.h"

class QUndoStack;

namespace teamor::ui {

/// What lies under the mouse.
struct TimelineHit {
  double time_s = 0;  ///< timeline time under the pointer, seconds (not snapped)
  int lane = -1;      ///< lane index, -1 above/below the lanes
  bool in_ruler = false;
  SegmentId segment = 0;  ///< segment under the pointer, 0 when none
  enum class Edge { None, Start, End } edge = Edge::None;  ///< near an edge of `segment`
};

/// What modes may ask of the timeline widget.
class TimelineContext {
 public:
  virtual ~TimelineContext() = default;
  virtual TimelineModel* model() = 0;
  virtual QUndoStack* undo_stack() = 0;
  /// Rounds @p time_s to the nearest frame boundary of the focused view.
  virtual double snap(double time_s) const = 0;
  /// One frame, seconds.
  virtual double frame_s() const = 0;
  virtual void select(SegmentId id) = 0;
  virtual void request_seek(double time_s) = 0;
  virtual void pan_px(double dx_px) = 0;
  /// A new number for a drag gesture, so its move commands merge into one undo step.
  virtual int next_gesture() = 0;
  /// Pixel rectangle of the span [t0, t1] in @p lane.
  virtual QRectF lane_rect(int lane, double t0_s, double t1_s) const = 0;
  virtual void refresh() = 0;
};

/// @brief Base of the interaction modes: press starts, move drags, release ends the gesture.
class TimelineMode {
 public:
  explicit TimelineMode(TimelineContext* context) : ctx_(context) {}
  virtual ~TimelineMode() = default;
  virtual void press(const TimelineHit& hit, double x_px) = 0;
  virtual void move(double time_s, double x_px) = 0;
  virtual void release(double time_s, double x_px) = 0;
  /// Overlay drawn above the segments while the gesture runs (e.g. the segment being created).
  virtual void paint(QPainter& /*painter*/) {}

 protected:
  TimelineContext* ctx_;
};

}  // namespace teamor::ui
