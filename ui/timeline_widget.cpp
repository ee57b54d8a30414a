#include "ui/timeline_widget.h"

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QPainter>
#include <QUndoStack>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "ui/modes/create_mode.h"
#include "ui/modes/move_mode.h"
#include "ui/modes/scrub_mode.h"
#include "ui/modes/trim_mode.h"

namespace teamor::ui {

using annotations::ReviewState;
using annotations::Segment;
using annotations::Source;

namespace {
constexpr int kHeaderWidth = 150;  // lane names
constexpr int kRulerHeight = 30;
constexpr int kLaneHeight = 22;
constexpr int kEdgeGrabPx = 5;

QColor label_color(const std::string& label, int index) {
  if (label == annotations::kTimeOut) return QColor(66, 165, 245);  // blue
  if (label == annotations::kStop) return QColor(255, 167, 38);     // orange
  static const QColor others[] = {QColor(171, 71, 188), QColor(102, 187, 106), QColor(239, 83, 80)};
  return others[index % 3];
}
}  // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::ClickFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  update_area();
  scale_.fit();
}

TimelineWidget::~TimelineWidget() = default;

QSize TimelineWidget::sizeHint() const {
  return {900, kRulerHeight + 6 * kLaneHeight + 8};
}
QSize TimelineWidget::minimumSizeHint() const {
  return {300, kRulerHeight + 3 * kLaneHeight};
}

void TimelineWidget::set_model(TimelineModel* model, QUndoStack* stack) {
  if (model_) disconnect(model_, nullptr, this, nullptr);
  model_ = model;
  stack_ = stack;
  connect(model_, &TimelineModel::segments_changed, this, [this] {
    index_dirty_ = true;
    if (selected_ && model_->row_of(selected_) < 0) select(0);
    updateGeometry();
    update();
  });
  connect(model_, &TimelineModel::threshold_changed, this, [this] { update(); });
  connect(model_, &QAbstractItemModel::modelReset, this, [this] {
    index_dirty_ = true;
    update();
  });
  index_dirty_ = true;
  update();
}

void TimelineWidget::set_timebase(double duration_s, double fps) {
  duration_s_ = std::max(1.0, duration_s);
  fps_ = fps > 0 ? fps : 30;
  update_area();
  scale_.fit();
  update();
}

void TimelineWidget::set_playhead(double time_s) {
  playhead_s_ = time_s;
  if (!mode_) scale_.ensure_visible(time_s);  // follow playback, but not while the user drags
  update();
}

void TimelineWidget::select(SegmentId id) {
  if (id == selected_) return;
  selected_ = id;
  emit selection_changed(id);
  update();
}

void TimelineWidget::set_in_point(std::optional<double> time_s) {
  in_point_ = time_s;
  update();
}

void TimelineWidget::set_loop(std::optional<std::pair<double, double>> range) {
  loop_ = range;
  update();
}

void TimelineWidget::zoom_in() {
  scale_.zoom_around(scale_.x_of(playhead_s_), 1.5), update();
}
void TimelineWidget::zoom_out() {
  scale_.zoom_around(scale_.x_of(playhead_s_), 1 / 1.5), update();
}
void TimelineWidget::zoom_fit() {
  scale_.fit(), update();
}

void TimelineWidget::zoom_to_selection() {
  const auto s = model_ ? model_->find(selected_) : std::nullopt;
  if (s)
    scale_.show_range(s->start_s - s->duration_s() * 0.1, s->duration_s() * 1.2);
  else
    scale_.show_range(playhead_s_ - 10, 20);
  update();
}

double TimelineWidget::snap(double time_s) const {
  return std::round(time_s * fps_) / fps_;
}

void TimelineWidget::request_seek(double time_s) {
  playhead_s_ = std::clamp(time_s, 0.0, duration_s_);
  update();
  emit seek_requested(playhead_s_);
}

void TimelineWidget::pan_px(double dx_px) {
  scale_.pan_px(dx_px);
  update();
}

int TimelineWidget::lanes_top() const {
  return kRulerHeight;
}

QRect TimelineWidget::lane_row(int lane) const {
  return {0, lanes_top() + lane * kLaneHeight, width(), kLaneHeight};
}

QRectF TimelineWidget::lane_rect(int lane, double t0_s, double t1_s) const {
  const double x0 = scale_.x_of(t0_s);
  const double x1 = std::max(x0 + 1.0, scale_.x_of(t1_s));
  return {x0, double(lanes_top() + lane * kLaneHeight + 2), x1 - x0, double(kLaneHeight - 4)};
}

void TimelineWidget::update_area() {
  scale_.set_area(kHeaderWidth, std::max(50, width() - kHeaderWidth), duration_s_, fps_);
}

void TimelineWidget::rebuild_index() {
  index_dirty_ = false;
  index_.assign(model_ ? model_->lanes().size() : 0, {});
  if (!model_) return;
  for (int row = 0; row < model_->segment_count(); ++row) {
    const int lane = model_->lane_of(model_->segment(row));
    if (lane >= 0) index_[lane].rows.push_back(row);
  }
  for (auto& li : index_) {
    std::sort(li.rows.begin(), li.rows.end(), [this](int a, int b) {
      return model_->segment(a).start_s < model_->segment(b).start_s;
    });
    li.max_end.resize(li.rows.size());
    double m = -1e300;
    for (std::size_t i = 0; i < li.rows.size(); ++i)
      li.max_end[i] = m = std::max(m, model_->segment(li.rows[i]).end_s);
  }
}

TimelineHit TimelineWidget::hit_at(double x, double y) const {
  TimelineHit hit;
  hit.time_s = scale_.time_of(x);
  if (y < lanes_top()) {
    hit.in_ruler = true;
    return hit;
  }
  const int lane = static_cast<int>((y - lanes_top()) / kLaneHeight);
  if (!model_ || lane >= static_cast<int>(model_->lanes().size())) return hit;
  hit.lane = lane;
  if (x < kHeaderWidth || lane >= static_cast<int>(index_.size())) return hit;
  // The topmost drawn (latest start) segment containing x, with an edge tolerance in pixels.
  const double tol_s = kEdgeGrabPx / scale_.px_per_s();
  const LaneIndex& li = index_[lane];
  auto it = std::lower_bound(li.max_end.begin(), li.max_end.end(), hit.time_s - tol_s);
  for (auto i = static_cast<std::size_t>(it - li.max_end.begin()); i < li.rows.size(); ++i) {
    const int row = li.rows[i];
    const Segment& s = model_->segment(row);
    if (s.start_s > hit.time_s + tol_s) break;
    if (!model_->is_visible(row) || s.end_s < hit.time_s - tol_s) continue;
    hit.segment = model_->id_at(row);
    const double xs = scale_.x_of(s.start_s), xe = scale_.x_of(s.end_s);
    if (std::abs(x - xs) <= kEdgeGrabPx && std::abs(x - xs) <= std::abs(x - xe))
      hit.edge = TimelineHit::Edge::Start;
    else if (std::abs(x - xe) <= kEdgeGrabPx)
      hit.edge = TimelineHit::Edge::End;
    else
      hit.edge = TimelineHit::Edge::None;
  }
  return hit;
}

// ---- painting ----

void TimelineWidget::paintEvent(QPaintEvent*) {
  QElapsedTimer timer;
  timer.start();
  if (index_dirty_) rebuild_index();
  QPainter p(this);
  p.fillRect(rect(), QColor(37, 37, 40));
  last_drawn_ = 0;
  paint_lanes(p);
  paint_ruler(p);
  // Loop range and in-point marker.
  if (loop_) {
    const double x0 = scale_.x_of(loop_->first), x1 = scale_.x_of(loop_->second);
    p.fillRect(QRectF(x0, 0, x1 - x0, kRulerHeight), QColor(120, 200, 120, 90));
  }
  if (in_point_) {
    const double x = scale_.x_of(*in_point_);
    p.setPen(QPen(QColor(120, 255, 120), 2));
    p.drawLine(QPointF(x, 0), QPointF(x, height()));
    p.drawText(QPointF(x + 3, kRulerHeight - 4), "[");
  }
  if (mode_) mode_->paint(p);
  // Playhead on top of everything.
  const double px = scale_.x_of(playhead_s_);
  if (px >= kHeaderWidth) {
    p.setPen(QPen(QColor(255, 64, 64), 1.5));
    p.drawLine(QPointF(px, 0), QPointF(px, height()));
    QPolygonF head({QPointF(px - 6, 0), QPointF(px + 6, 0), QPointF(px, 8)});
    p.setBrush(QColor(255, 64, 64));
    p.drawPolygon(head);
  }
  last_paint_ms_ = timer.nsecsElapsed() / 1e6;
}

void TimelineWidget::paint_ruler(QPainter& p) {
  p.fillRect(QRect(0, 0, width(), kRulerHeight), QColor(28, 28, 30));
  p.setClipRect(QRect(kHeaderWidth, 0, width() - kHeaderWidth, kRulerHeight));
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  p.setFont(f);
  for (const auto& tick : scale_.ticks()) {
    const double x = scale_.x_of(tick.time_s);
    p.setPen(tick.major ? QColor(220, 220, 220) : QColor(120, 120, 120));
    p.drawLine(QPointF(x, kRulerHeight - (tick.major ? 12 : 5)), QPointF(x, kRulerHeight));
    if (tick.major) p.drawText(QPointF(x + 3, 12), tick.label);
  }
  p.setClipping(false);
  p.setPen(QColor(160, 160, 160));
  p.drawText(QRect(6, 0, kHeaderWidth - 8, kRulerHeight), Qt::AlignVCenter | Qt::AlignLeft,
             tr("%1 px/s").arg(scale_.px_per_s(), 0, 'g', 3));
}

void TimelineWidget::paint_lanes(QPainter& p) {
  if (!model_) return;
  const auto& lanes = model_->lanes();
  for (int lane = 0; lane < static_cast<int>(lanes.size()); ++lane) {
    const QRect row = lane_row(lane);
    if (row.top() > height()) break;
    p.fillRect(row, lane % 2 ? QColor(44, 44, 48) : QColor(50, 50, 55));
    // Lanes of one protocol are grouped: a brighter line above the first source.
    if (lanes[lane].source == Source::GroundTruth)
      p.fillRect(QRect(0, row.top(), width(), 1), QColor(90, 90, 95));
    p.setPen(label_color(lanes[lane].label, lane / 3).lighter(130));
    p.drawText(row.adjusted(6, 0, -(width() - kHeaderWidth) - 4, 0), Qt::AlignVCenter,
               QString("%1 · %2").arg(QString::fromStdString(lanes[lane].label),
                                      source_display_name(lanes[lane].source)));
    p.save();
    p.setClipRect(QRect(kHeaderWidth, row.top(), width() - kHeaderWidth, row.height()));
    paint_lane_segments(p, lane);
    p.restore();
  }
}

void TimelineWidget::paint_lane_segments(QPainter& p, int lane) {
  if (lane >= static_cast<int>(index_.size())) return;
  const LaneIndex& li = index_[lane];
  const double t0 = scale_.start_s();
  const double t1 = t0 + scale_.span_s(width() - kHeaderWidth);
  const QColor base = label_color(model_->lanes()[lane].label, lane / 3);
  auto it = std::lower_bound(li.max_end.begin(), li.max_end.end(), t0);
  const auto first = static_cast<std::size_t>(it - li.max_end.begin());
  const auto last = static_cast<std::size_t>(
      std::upper_bound(li.rows.begin() + first, li.rows.end(), t1,
                       [this](double t, int row) { return t < model_->segment(row).start_s; }) -
      li.rows.begin());
  const int width_px = width() - kHeaderWidth;
  if (last > first && static_cast<int>(last - first) > width_px / 6) {
    paint_lane_coverage(p, lane, first, last, base);
    return;
  }
  double last_px = -1e9;  // right edge of the last drawn rectangle: sub-pixel segments collapse
  for (auto i = first; i < last; ++i) {
    const int row = li.rows[i];
    const Segment& s = model_->segment(row);
    if (s.start_s > t1) break;
    if (s.end_s < t0 || !model_->is_visible(row)) continue;
    QRectF r = lane_rect(lane, s.start_s, s.end_s);
    const bool selected = model_->id_at(row) == selected_;
    if (!selected && r.right() <= last_px + 0.5) continue;  // nothing new to see at this zoom
    last_px = r.right();
    ++last_drawn_;
    // Confidence shows as fill opacity (predictions) plus a bar along the bottom edge.
    QColor fill = base;
    const double score = s.score.value_or(1.0);
    fill.setAlpha(s.source == Source::Prediction ? 70 + static_cast<int>(185 * score) : 230);
    if (s.state == ReviewState::Rejected) fill = QColor(110, 110, 110, 120);
    p.fillRect(r, fill);
    if (s.score && r.width() > 6) {
      const double bar_w = r.width() * score;
      p.fillRect(QRectF(r.left(), r.bottom() - 3, bar_w, 3), QColor(255, 255, 255, 200));
    }
    QColor border = fill.darker(160);
    if (s.state == ReviewState::Accepted && s.source != Source::GroundTruth)
      border = QColor(129, 230, 129);
    if (s.state == ReviewState::Edited) border = QColor(255, 235, 59);
    if (selected) border = Qt::white;
    p.setPen(QPen(border, selected ? 2 : 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
    if (s.state == ReviewState::Rejected && r.width() > 4) {
      p.setPen(QPen(QColor(230, 80, 80), 1.5));
      p.drawLine(r.topLeft(), r.bottomRight());
    }
    // Text only where the segment is not covered by the next one in its lane.
    double text_right = r.right();
    if (i + 1 < last)
      text_right = std::min(text_right, scale_.x_of(model_->segment(li.rows[i + 1]).start_s));
    if (text_right - r.left() > 40) {
      QString text;
      if (s.score) text = QString::number(*s.score, 'f', 2);
      if (s.state != ReviewState::Proposed && s.source != Source::GroundTruth)
        text += (text.isEmpty() ? "" : " ") + state_display_name(s.state);
      p.setPen(Qt::black);
      p.drawText(QRectF(r.left() + 4, r.top(), text_right - r.left() - 6, r.height() - 2),
                 Qt::AlignVCenter | Qt::AlignLeft, text);
    }
  }
}

void TimelineWidget::paint_lane_coverage(QPainter& p, int lane, std::size_t first, std::size_t last,
                                         const QColor& base) {
  // Too many segments for one rectangle each: per pixel column, the highest confidence of any
  // segment covering it, drawn as runs of equal value. O(segments + width) whatever the count.
  const LaneIndex& li = index_[lane];
  const int width_px = width() - kHeaderWidth;
  std::vector<std::uint8_t> level(width_px, 0);  // 0 = empty, 1..8 = confidence steps
  for (std::size_t i = first; i < last; ++i) {
    const int row = li.rows[i];
    if (!model_->is_visible(row)) continue;
    const Segment& s = model_->segment(row);
    if (s.state == ReviewState::Rejected) continue;
    const int x0 = std::max(0, static_cast<int>(std::floor(scale_.x_of(s.start_s))) - kHeaderWidth);
    const int x1 =
        std::min(width_px - 1, static_cast<int>(std::ceil(scale_.x_of(s.end_s))) - kHeaderWidth);
    const auto v = static_cast<std::uint8_t>(1 + std::lround(7 * s.score.value_or(1.0)));
    for (int x = x0; x <= x1; ++x)
      level[x] = std::max(level[x], v);
  }
  const QRectF lane_box = lane_rect(lane, 0, 1);
  for (int x = 0; x < width_px;) {
    int end = x + 1;
    while (end < width_px && level[end] == level[x])
      ++end;
    if (level[x] > 0) {
      QColor fill = base;
      fill.setAlpha(70 + 185 * (level[x] - 1) / 7);
      p.fillRect(QRectF(kHeaderWidth + x, lane_box.top(), end - x, lane_box.height()), fill);
      ++last_drawn_;
    }
    x = end;
  }
  // The selected segment stays visible on top.
  if (const auto s = model_->find(selected_); s && model_->lane_of(*s) == lane) {
    p.setPen(QPen(Qt::white, 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(lane_rect(lane, s->start_s, s->end_s));
  }
}

// ---- input ----

void TimelineWidget::resizeEvent(QResizeEvent*) {
  const double start = scale_.start_s();
  const double pps = scale_.px_per_s();
  update_area();
  scale_.show_range(start, (width() - kHeaderWidth) / pps);
}

void TimelineWidget::wheelEvent(QWheelEvent* event) {
  const QPoint delta = event->angleDelta();
  const bool horizontal = std::abs(delta.x()) > std::abs(delta.y());
  if (horizontal || event->modifiers() & Qt::ShiftModifier) {
    const int d = horizontal ? delta.x() : delta.y();
    scale_.pan_px(-d * 0.5);
  } else {
    // Around the mouse: the time under the pointer stays under the pointer.
    scale_.zoom_around(event->position().x(), std::pow(1.0015, delta.y()));
  }
  update();
  event->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent* event) {
  if (index_dirty_) rebuild_index();
  const double x = event->position().x();
  const TimelineHit hit = hit_at(x, event->position().y());
  mode_.reset();
  if (event->button() == Qt::MiddleButton ||
      (event->button() == Qt::LeftButton && event->modifiers() & Qt::AltModifier))
    mode_ = std::make_unique<PanMode>(static_cast<TimelineContext*>(this));
  else if (event->button() != Qt::LeftButton)
    return;
  else if (hit.in_ruler || x < kHeaderWidth)
    mode_ = std::make_unique<ScrubMode>(static_cast<TimelineContext*>(this));
  else if (hit.segment && event->modifiers() & Qt::ControlModifier)
    mode_ = std::make_unique<SplitMode>(static_cast<TimelineContext*>(this));
  else if (hit.segment && hit.edge != TimelineHit::Edge::None)
    mode_ = std::make_unique<TrimMode>(static_cast<TimelineContext*>(this));
  else if (hit.segment)
    mode_ = std::make_unique<MoveMode>(static_cast<TimelineContext*>(this));
  else if (hit.lane >= 0)
    mode_ = std::make_unique<CreateMode>(static_cast<TimelineContext*>(this));
  else
    mode_ = std::make_unique<ScrubMode>(static_cast<TimelineContext*>(this));
  mode_->press(hit, x);
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event) {
  const double x = event->position().x();
  if (mode_) {
    mode_->move(scale_.time_of(x), x);
    return;
  }
  if (index_dirty_) rebuild_index();
  const TimelineHit hit = hit_at(x, event->position().y());
  setCursor(hit.segment && hit.edge != TimelineHit::Edge::None ? Qt::SizeHorCursor
            : hit.segment                                      ? Qt::OpenHandCursor
                                                               : Qt::ArrowCursor);
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* event) {
  if (!mode_) return;
  const double x = event->position().x();
  auto mode = std::move(mode_);  // the mode may trigger a repaint: it is no longer "active"
  mode->release(scale_.time_of(x), x);
  update();
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent* event) {
  // Double click on a segment: play from its start (what reviewers do most).
  const TimelineHit hit = hit_at(event->position().x(), event->position().y());
  if (const auto s = model_ ? model_->find(hit.segment) : std::nullopt) request_seek(s->start_s);
}

}  // namespace teamor::ui
