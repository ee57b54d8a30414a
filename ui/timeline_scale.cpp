#include "ui/timeline_scale.h"

#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <cmath>

namespace teamor::ui {

void TimelineScale::set_area(double origin_px, double width_px, double duration_s, double fps) {
  origin_px_ = origin_px;
  width_px_ = std::max(10.0, width_px);
  duration_s_ = std::max(1.0, duration_s);
  fps_ = fps > 0 ? fps : 30;
  clamp();
}

double TimelineScale::min_px_per_s() const {
  return width_px_ / (duration_s_ * 1.02);
}

// At the closest zoom one frame is 240 px wide: enough to grab either edge of a one-frame segment.
double TimelineScale::max_px_per_s() const {
  return fps_ * 240.0;
}

void TimelineScale::clamp() {
  px_per_s_ = std::clamp(px_per_s_, min_px_per_s(), max_px_per_s());
  const double span = span_s(width_px_);
  const double margin = duration_s_ * 0.01;
  start_s_ = std::clamp(start_s_, -margin, std::max(-margin, duration_s_ + margin - span));
}

void TimelineScale::show_range(double start_s, double span_s) {
  px_per_s_ = width_px_ / std::max(1e-6, span_s);
  start_s_ = start_s;
  clamp();
}

void TimelineScale::fit() {
  px_per_s_ = min_px_per_s();
  start_s_ = -duration_s_ * 0.01;
  clamp();
}

void TimelineScale::zoom_around(double anchor_x_px, double factor) {
  const double anchor_t = time_of(anchor_x_px);
  px_per_s_ = std::clamp(px_per_s_ * factor, min_px_per_s(), max_px_per_s());
  start_s_ = anchor_t - (anchor_x_px - origin_px_) / px_per_s_;
  clamp();
}

void TimelineScale::pan_px(double dx_px) {
  start_s_ += dx_px / px_per_s_;
  clamp();
}

void TimelineScale::ensure_visible(double time_s) {
  const double span = span_s(width_px_);
  if (time_s < start_s_ || time_s > start_s_ + span) {
    start_s_ = time_s - span * 0.1;
    clamp();
  } else if (time_s > start_s_ + span * 0.95) {
    start_s_ = time_s - span * 0.1;  // page forward while playing
    clamp();
  }
}

double TimelineScale::major_step_s(double min_label_px) const {
  // Frame multiples first (only useful when a frame is wide), then "round" clock steps.
  std::vector<double> steps;
  for (double f : {1.0, 2.0, 5.0, 10.0, 15.0})
    steps.push_back(f / fps_);
  for (double s : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0,
                   3600.0, 7200.0, 14400.0})
    steps.push_back(s);
  for (double s : steps)
    if (s * px_per_s_ >= min_label_px) return s;
  return steps.back();
}

namespace {

QString label_for(double t, double step, double fps) {
  const bool negative = t < -1e-9;
  const double a = std::abs(t);
  const long long total_ms = std::llround(a * 1000.0);
  const long long h = total_ms / 3600000;
  const long long m = (total_ms / 60000) % 60;
  const long long s = (total_ms / 1000) % 60;
  QString text =
      h > 0 ? QString("%1:%2:%3").arg(h).arg(m, 2, 10, QChar('0')).arg(s, 2, 10, QChar('0'))
            : QString("%1:%2").arg(m).arg(s, 2, 10, QChar('0'));
  if (step < 1.0) {
    // Sub-second steps are frame multiples: label with the frame inside the second.
    const long long frame = std::llround(a * fps) % std::max(1LL, std::llround(fps));
    text += QString(" +%1f").arg(frame);
  }
  return negative ? "-" + text : text;
}

}  // namespace

std::vector<TimelineScale::Tick> TimelineScale::ticks(double min_label_px) const {
  const double major = major_step_s(min_label_px);
  // Minor ticks: a division of the major step that is at least 8 px wide.
  double minor = major;
  for (int div : {10, 5, 4, 2}) {
    const double candidate = major / div;
    if (candidate * px_per_s_ >= 8 &&
        (major >= 1.0 || std::abs(candidate * fps_ - std::round(candidate * fps_)) < 1e-6)) {
      minor = candidate;
      break;
    }
  }
  std::vector<Tick> out;
  const double t0 = start_s_;
  const double t1 = start_s_ + span_s(width_px_);
  const long long first = static_cast<long long>(std::floor(t0 / minor));
  const long long last = static_cast<long long>(std::ceil(t1 / minor));
  const long long per_major = std::max(1LL, std::llround(major / minor));
  for (long long i = first; i <= last && out.size() < 4000; ++i) {
    const double t = i * minor;
    const bool is_major = (i % per_major) == 0;
    out.push_back({t, is_major, is_major ? label_for(t, major, fps_) : QString()});
  }
  return out;
}

QString format_time_hms(double time_s) {
  const bool negative = time_s < 0;
  const long long total_ms = std::llround(std::abs(time_s) * 1000.0);
  const QString text = QString("%1:%2:%3.%4")
                           .arg(total_ms / 3600000)
                           .arg((total_ms / 60000) % 60, 2, 10, QChar('0'))
                           .arg((total_ms / 1000) % 60, 2, 10, QChar('0'))
                           .arg(total_ms % 1000, 3, 10, QChar('0'));
  return negative ? "-" + text : text;
}

QString format_status_time(double time_s) {
  QString text = format_time_hms(time_s);
  const bool negative = text.startsWith('-');
  if (negative) text.remove(0, 1);
  if (text.indexOf(':') == 1) text.prepend('0');
  return negative ? "-" + text : text;
}

bool parse_time(const QString& input, double* time_s) {
  QString text = input.trimmed();
  if (text.endsWith('s')) text.chop(1);
  if (text.isEmpty()) return false;
  const QStringList parts = text.split(':');
  if (parts.size() > 3) return false;
  double total = 0;
  for (int i = 0; i < parts.size(); ++i) {
    bool ok = false;
    const double v = parts[i].toDouble(&ok);
    if (!ok || v < 0 || (i > 0 && v >= 60)) return false;
    total = total * 60 + v;
  }
  *time_s = total;
  return true;
}

}  // namespace teamor::ui
