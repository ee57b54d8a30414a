#include "ui/player/multi_view_player.h"

#include <QGridLayout>
#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "ui/timeline_scale.h"

namespace teamor::ui {

namespace {
constexpr double kMinSpeed = 0.1;
constexpr double kMaxSpeed = 8.0;
const double kSpeeds[] = {0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0, 8.0};
}  // namespace

MultiViewPlayer::MultiViewPlayer(QWidget* parent) : QWidget(parent), grid_(new QGridLayout(this)) {
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(2);
  // 4 ms: well under a 30 fps frame, so a frame appears at most ~4 ms late.
  display_timer_.setTimerType(Qt::PreciseTimer);
  display_timer_.setInterval(4);
  connect(&display_timer_, &QTimer::timeout, this, &MultiViewPlayer::tick);
  setAutoFillBackground(true);
  QPalette pal = palette();
  pal.setColor(QPalette::Window, Qt::black);
  setPalette(pal);
}

MultiViewPlayer::~MultiViewPlayer() = default;

void MultiViewPlayer::clear() {
  display_timer_.stop();
  clock_.pause();
  for (auto& v : views_)
    delete v.tile;
  views_.clear();
  duration_s_ = 0;
  focused_ = 0;
  enlarged_ = -1;
}

void MultiViewPlayer::set_recording(const io::Recording& recording) {
  clear();
  for (const io::View& view : recording.views) {
    ViewSlot slot;
    slot.name = QString::fromStdString(view.name);
    slot.offset_s = view.offset_s;
    slot.tile = new VideoTile(slot.name, this);
    try {
      slot.decoder = std::make_unique<ViewDecoder>(view.path);
      const auto& info = slot.decoder->info();
      duration_s_ = std::max(duration_s_, info.duration_s - view.offset_s);
    } catch (const Error& e) {
      slot.error = tr("Cannot play %1:\n%2").arg(slot.name, QString::fromStdString(e.what()));
      slot.tile->set_message(slot.error);
    } catch (const std::exception& e) {
      slot.error = tr("Cannot play %1:\n%2").arg(slot.name, QString::fromUtf8(e.what()));
      slot.tile->set_message(slot.error);
    }
    const int index = static_cast<int>(views_.size());
    connect(slot.tile, &VideoTile::clicked, this, [this, index] {
      set_focused_view(index);
      toggle_enlarged(index);
    });
    views_.push_back(std::move(slot));
  }
  relayout();
  set_focused_view(0);
  display_timer_.start();
  seek(0);
}

VideoTile* MultiViewPlayer::tile(int view) const {
  return views_.at(view).tile;
}
ViewDecoder* MultiViewPlayer::decoder(int view) const {
  return views_.at(view).decoder.get();
}
QString MultiViewPlayer::view_name(int view) const {
  return views_.at(view).name;
}
double MultiViewPlayer::offset_s(int view) const {
  return views_.at(view).offset_s;
}

double MultiViewPlayer::frame_s() const {
  if (focused_ < view_count() && views_[focused_].decoder)
    return views_[focused_].decoder->frame_s();
  for (const auto& v : views_)
    if (v.decoder) return v.decoder->frame_s();
  return 1.0 / 30;
}

std::int64_t MultiViewPlayer::focused_frame_index() const {
  if (focused_ >= view_count()) return -1;
  const auto& f = views_[focused_].tile->frame();
  return f ? f->index : -1;
}

bool MultiViewPlayer::frames_ready() const {
  for (const auto& v : views_)
    if (v.decoder && v.decoder->seek_pending()) return false;
  return true;
}

void MultiViewPlayer::relayout() {
  const int n = view_count();
  const int cols = n <= 1 ? 1 : n <= 4 ? 2 : 3;
  for (int i = 0; i < n; ++i) {
    grid_->removeWidget(views_[i].tile);
    const bool visible = enlarged_ < 0 || enlarged_ == i;
    views_[i].tile->setVisible(visible);
    if (enlarged_ == i)
      grid_->addWidget(views_[i].tile, 0, 0);
    else if (enlarged_ < 0)
      grid_->addWidget(views_[i].tile, i / cols, i % cols);
  }
}

void MultiViewPlayer::play() {
  if (clock_.playing()) return;
  if (clock_.now() >= duration_s_ - frame_s()) seek(0);  // at the end: start over
  clock_.play();
  emit playing_changed(true);
}

void MultiViewPlayer::pause() {
  if (!clock_.playing()) return;
  clock_.pause();
  emit playing_changed(false);
  emit position_changed(clock_.now());
}

void MultiViewPlayer::toggle_play() {
  clock_.playing() ? pause() : play();
}

void MultiViewPlayer::set_speed(double speed) {
  clock_.set_speed(std::clamp(speed, kMinSpeed, kMaxSpeed));
  emit speed_changed(clock_.speed());
}

void MultiViewPlayer::faster() {
  for (double s : kSpeeds)
    if (s > clock_.speed() + 1e-9) return set_speed(s);
}

void MultiViewPlayer::slower() {
  for (auto it = std::rbegin(kSpeeds); it != std::rend(kSpeeds); ++it)
    if (*it < clock_.speed() - 1e-9) return set_speed(*it);
}

void MultiViewPlayer::seek_view(ViewSlot& slot, double time_s) {
  if (!slot.decoder) return;
  const double view_t = time_s + slot.offset_s;
  slot.decoder->seek(std::max(0.0, view_t));
}

void MultiViewPlayer::seek(double time_s) {
  time_s = std::clamp(time_s, 0.0, std::max(0.0, duration_s_ - 1e-3));
  clock_.set(time_s);
  for (auto& v : views_) {
    // Until every view shows its new frame, nobody decodes ahead: the CPU goes to the seeks.
    if (v.decoder) v.decoder->set_lookahead(false);
    seek_view(v, time_s);
  }
  seek_pending_ = true;
  tick();
  emit position_changed(time_s);
}

void MultiViewPlayer::jump(double delta_s) {
  seek(clock_.now() + delta_s);
}

void MultiViewPlayer::step_frames(int frames) {
  pause();
  double t = clock_.now();
  // Step from the time of the frame actually shown in the focused view, so repeated steps land
  // on consecutive frames even when the clock sits between two frames.
  if (focused_ < view_count()) {
    const auto& f = views_[focused_].tile->frame();
    if (f) t = f->time_s - views_[focused_].offset_s;
  }
  seek(t + frames * frame_s() + 1e-4);
}

void MultiViewPlayer::set_offset(const QString& name, double offset_s) {
  for (auto& v : views_) {
    if (v.name != name || v.offset_s == offset_s) continue;
    v.offset_s = offset_s;
    v.tile->set_offset_s(offset_s);
    seek_view(v, clock_.now());
    seek_pending_ = true;
  }
}

void MultiViewPlayer::set_focused_view(int view) {
  if (view < 0 || view >= view_count()) return;
  focused_ = view;
  for (int i = 0; i < view_count(); ++i)
    views_[i].tile->set_focused(i == view && view_count() > 1);
  emit focused_view_changed(view);
}

void MultiViewPlayer::toggle_enlarged(int view) {
  enlarged_ = (view == enlarged_ || view < 0 || view >= view_count()) ? -1 : view;
  relayout();
}

void MultiViewPlayer::set_loop(std::optional<std::pair<double, double>> range) {
  loop_ = range;
}

void MultiViewPlayer::tick() {
  double t = clock_.now();
  if (clock_.playing()) {
    if (loop_ && t >= loop_->second) {
      seek(loop_->first);
      return;
    }
    if (t >= duration_s_) {
      clock_.pause();
      clock_.set(duration_s_);
      t = duration_s_;
      emit playing_changed(false);
    }
  }
  for (auto& v : views_) {
    if (!v.decoder) continue;
    const double view_t = t + v.offset_s;
    if (view_t < -1e-3) {
      v.tile->set_message({});
      v.tile->set_notice(tr("no picture yet: this view starts %1 s later").arg(-view_t, 0, 'f', 2));
      continue;
    }
    v.tile->set_frame(v.decoder->frame_at(view_t));
    const QString reason = v.decoder->stop_reason();
    if (!reason.isEmpty())
      v.tile->set_notice(tr("stopped early: %1").arg(reason));
    else if (view_t > v.decoder->info().duration_s + v.decoder->frame_s())
      v.tile->set_notice(tr("this view ended at %1")
                             .arg(format_time_hms(v.decoder->info().duration_s - v.offset_s)));
    else
      v.tile->set_notice({});
  }
  if (seek_pending_ && frames_ready()) {
    seek_pending_ = false;
    for (auto& v : views_)
      if (v.decoder) v.decoder->set_lookahead(true);
    emit seek_completed(t);
  }
  // Listeners (timeline, status bar) do not need every 4 ms tick: ~30 updates per second.
  if (clock_.playing() && (!emit_timer_.isValid() || emit_timer_.elapsed() >= 33)) {
    emit_timer_.start();
    emit position_changed(t);
  }
}

}  // namespace teamor::ui
