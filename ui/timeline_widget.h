#pragma once
// TimelineWidget: the protocol timeline under the video views. A time ruler readable at every zoom,
// one lane per (protocol, source), the playhead, segments with their confidence and review state.
// Input is mapped to (time, lane) and handed to an interaction mode (ui/modes/); edits are undo
// commands pushed on the document's stack. Drawing visits only the visible segments of each lane
// (binary search over a per-lane index), so 10,000 segments stay fluid.

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "ui/modes/timeline_mode.h"
#include "ui/timeline_model.h"
#include "ui/timeline_scale.h"

class QUndoStack;

namespace teamor::ui {

/// @brief Protocol timeline widget (see file comment).
class TimelineWidget : public QWidget, private TimelineContext {
  Q_OBJECT
 public:
  explicit TimelineWidget(QWidget* parent = nullptr);
  ~TimelineWidget() override;

  /// @brief Shows @p model; edits are pushed on @p stack.
  void set_model(TimelineModel* model, QUndoStack* stack);
  /// @brief Length of the recording (s) and the frame rate used for snapping and the ruler.
  void set_timebase(double duration_s, double fps);
  double playhead() const { return playhead_s_; }
  SegmentId selected() const { return selected_; }
  /// @brief Marks a pending in-point (set with `[`), or clears it with nullopt.
  void set_in_point(std::optional<double> time_s);
  /// @brief Shows a loop range (or none).
  void set_loop(std::optional<std::pair<double, double>> range);

  TimelineScale& scale() { return scale_; }
  /// Milliseconds the last paint took (for the benchmark script).
  double last_paint_ms() const { return last_paint_ms_; }
  /// Segments drawn by the last paint.
  int last_drawn() const { return last_drawn_; }
  /// Hit test at widget pixel (@p x, @p y).
  TimelineHit hit_at(double x, double y) const;
  /// Pixel rectangle of a lane's row (full width).
  QRect lane_row(int lane) const;
  double x_of(double time_s) const { return scale_.x_of(time_s); }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 public slots:
  void set_playhead(double time_s);
  void select(SegmentId id) override;
  void zoom_in();
  void zoom_out();
  void zoom_fit();
  /// Zooms so that the selected segment (or 20 s around the playhead) fills the view.
  void zoom_to_selection();

 signals:
  void seek_requested(double time_s);
  void selection_changed(SegmentId id);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  // TimelineContext
  TimelineModel* model() override { return model_; }
  QUndoStack* undo_stack() override { return stack_; }
  double snap(double time_s) const override;
  double frame_s() const override { return 1.0 / fps_; }
  void request_seek(double time_s) override;
  void pan_px(double dx_px) override;
  int next_gesture() override { return ++gesture_; }
  QRectF lane_rect(int lane, double t0_s, double t1_s) const override;
  void refresh() override { update(); }

  void rebuild_index();
  void update_area();
  void paint_ruler(QPainter& p);
  void paint_lanes(QPainter& p);
  void paint_lane_segments(QPainter& p, int lane);
  void paint_lane_coverage(QPainter& p, int lane, std::size_t first, std::size_t last,
                           const QColor& base);
  int lanes_top() const;

  /// Rows of one lane sorted by start, and the running maximum of their ends (for range queries).
  struct LaneIndex {
    std::vector<int> rows;
    std::vector<double> max_end;
  };

  TimelineModel* model_ = nullptr;
  QUndoStack* stack_ = nullptr;
  TimelineScale scale_;
  std::vector<LaneIndex> index_;
  bool index_dirty_ = true;
  double duration_s_ = 60;
  double fps_ = 30;
  double playhead_s_ = 0;
  SegmentId selected_ = 0;
  std::optional<double> in_point_;
  std::optional<std::pair<double, double>> loop_;
  std::unique_ptr<TimelineMode> mode_;
  int gesture_ = 0;
  double last_paint_ms_ = 0;
  int last_drawn_ = 0;
};

}  // namespace teamor::ui
