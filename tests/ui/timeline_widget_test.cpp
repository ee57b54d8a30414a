// TimelineWidget input: drag in a lane creates a segment, dragging an edge trims it in one undo
// step, Ctrl+click splits, the wheel zooms around the pointer. Everything goes through the stack.

#include <gtest/gtest.h>

#include <QApplication>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include "ui/timeline_model.h"
#include "ui/timeline_widget.h"

namespace teamor::ui {
namespace {

class TimelineWidgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    widget_.set_model(&model_, &stack_);
    widget_.resize(1150, 220);
    widget_.set_timebase(100, 10);  // 100 s at 10 fps: frames are 0.1 s
    widget_.show();
    widget_.scale().show_range(0, 100);  // 1000 px for 100 s: x = 150 + 10 * t
  }
  QPoint at(double t, int lane) const {
    const QRect row = widget_.lane_row(lane);
    return {static_cast<int>(std::lround(widget_.x_of(t))), row.center().y()};
  }
  TimelineModel model_;
  QUndoStack stack_;
  TimelineWidget widget_;
};

TEST_F(TimelineWidgetTest, DragCreatesTrimsAndCtrlClickSplitsWithUndo) {
  const int reviewer_lane = 2;  // Time-out: ground truth, predictions, reviewed
  QTest::mousePress(&widget_, Qt::LeftButton, {}, at(10, reviewer_lane));
  QTest::mouseMove(&widget_, at(15, reviewer_lane));
  QTest::mouseRelease(&widget_, Qt::LeftButton, {}, at(20, reviewer_lane));
  ASSERT_EQ(model_.segment_count(), 1);
  const auto& s = model_.segment(0);
  EXPECT_EQ(s.label, "Time-out");
  EXPECT_EQ(s.source, annotations::Source::Reviewer);
  EXPECT_NEAR(s.start_s, 10, 1e-9);
  EXPECT_NEAR(s.end_s, 20, 1e-9);
  const SegmentId id = model_.id_at(0);
  EXPECT_EQ(widget_.selected(), id);

  // Trim the end edge in several mouse moves: one undo step.
  QTest::mousePress(&widget_, Qt::LeftButton, {}, at(20, reviewer_lane));
  for (double t : {21.0, 23.0, 25.03})
    QTest::mouseMove(&widget_, at(t, reviewer_lane));
  QTest::mouseRelease(&widget_, Qt::LeftButton, {}, at(25.03, reviewer_lane));
  EXPECT_NEAR(model_.find(id)->end_s, 25.0, 1e-9);  // snapped to a frame
  EXPECT_NEAR(model_.find(id)->start_s, 10.0, 1e-9);
  EXPECT_EQ(stack_.count(), 2);

  QTest::mouseClick(&widget_, Qt::LeftButton, Qt::ControlModifier, at(15, reviewer_lane));
  ASSERT_EQ(model_.segment_count(), 2);
  EXPECT_NEAR(model_.find(id)->end_s, 15.0, 1e-9);

  stack_.undo();  // split
  stack_.undo();  // trim
  EXPECT_NEAR(model_.find(id)->end_s, 20.0, 1e-9);
  stack_.undo();  // create
  EXPECT_EQ(model_.segment_count(), 0);
  stack_.redo();
  stack_.redo();
  EXPECT_NEAR(model_.find(id)->end_s, 25.0, 1e-9);
}

TEST_F(TimelineWidgetTest, ClickInEmptyLaneOrRulerSeeks) {
  double sought = -1;
  QObject::connect(&widget_, &TimelineWidget::seek_requested, [&](double t) { sought = t; });
  QTest::mouseClick(&widget_, Qt::LeftButton, {}, QPoint(static_cast<int>(widget_.x_of(42)), 10));
  EXPECT_NEAR(sought, 42, 0.1);
  QTest::mouseClick(&widget_, Qt::LeftButton, {}, at(61, 0));
  EXPECT_NEAR(sought, 61, 0.1);
  EXPECT_EQ(model_.segment_count(), 0);  // a click is not a drag: nothing created
}

TEST_F(TimelineWidgetTest, WheelZoomsAroundThePointer) {
  const QPointF pos(700, 100);
  const double t = widget_.scale().time_of(pos.x());
  const double before = widget_.scale().px_per_s();
  QWheelEvent wheel(pos, widget_.mapToGlobal(pos), QPoint(), QPoint(0, 240), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(&widget_, &wheel);
  EXPECT_GT(widget_.scale().px_per_s(), before);
  EXPECT_NEAR(widget_.scale().time_of(pos.x()), t, 1e-6);
}

TEST_F(TimelineWidgetTest, PaintsTenThousandSegmentsDrawingOnlyWhatIsVisible) {
  annotations::AnnotationSet set;
  for (int i = 0; i < 10000; ++i) {
    annotations::Segment s;
    s.label = i % 2 ? "StOP?" : "Time-out";
    s.source = annotations::Source::Prediction;
    s.start_s = i * 0.01;
    s.end_s = s.start_s + 0.005;
    s.score = 0.5;
    set.segments.push_back(s);
  }
  model_.reset(set);
  widget_.scale().show_range(0, 100);
  (void)widget_.grab();  // renders through paintEvent even before the window is exposed
  // 10,000 segments in 1000 px: sub-pixel neighbours collapse, at most ~one rectangle per pixel.
  EXPECT_GT(widget_.last_drawn(), 0);
  EXPECT_LE(widget_.last_drawn(), 2 * 1000 + 10);
  widget_.scale().show_range(10, 1);
  (void)widget_.grab();  // renders through paintEvent even before the window is exposed
  // Zoomed in, every segment overlapping the visible span is drawn (10 px apart: none collapse).
  const double t0 = widget_.scale().start_s();
  const double t1 = t0 + widget_.scale().span_s(1000);
  int expected = 0;
  for (const auto& s : set.segments)
    expected += s.end_s >= t0 && s.start_s <= t1;
  EXPECT_GT(expected, 90);
  EXPECT_EQ(widget_.last_drawn(), expected);
}

}  // namespace
}  // namespace teamor::ui
