#pragma once
// PlaybackClock: the one clock every view follows. Position = anchor + elapsed wall time x speed;
// seeking or changing speed re-anchors, so views never drift apart (they all read this clock).

#include <QElapsedTimer>

namespace teamor::ui {

/// @brief Timeline clock with play/pause and speed (see file comment).
class PlaybackClock {
 public:
  PlaybackClock() { timer_.start(); }
  /// Timeline position now, seconds.
  double now() const {
    return playing_ ? anchor_s_ + (timer_.nsecsElapsed() * 1e-9 - anchor_wall_s_) * speed_
                    : anchor_s_;
  }
  bool playing() const { return playing_; }
  double speed() const { return speed_; }
  void play() {
    if (playing_) return;
    rebase(anchor_s_);
    playing_ = true;
  }
  void pause() {
    anchor_s_ = now();
    playing_ = false;
  }
  /// @brief Moves to @p time_s (s) keeping the play state.
  void set(double time_s) { rebase(time_s); }
  /// @brief Playback rate, 1 = real time.
  void set_speed(double speed) {
    rebase(now());
    speed_ = speed;
  }

 private:
  void rebase(double time_s) {
    anchor_s_ = time_s;
    anchor_wall_s_ = timer_.nsecsElapsed() * 1e-9;
  }
  QElapsedTimer timer_;
  double anchor_s_ = 0;
  double anchor_wall_s_ = 0;
  double speed_ = 1;
  bool playing_ = false;
};

}  // namespace teamor::ui
