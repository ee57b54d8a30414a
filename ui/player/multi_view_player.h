#pragma once
// MultiViewPlayer: every view of a recording in a grid (2x2 for three ceiling cameras and the
// laparoscope), all following one PlaybackClock. Each view decodes ahead on its own worker thread;
// a display timer picks, per view, the frame at `clock + offset`. A view that cannot be opened or
// decoded shows why while the others keep playing. Clicking a view focuses and enlarges it.

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "io/recording.h"
#include "ui/player/playback_clock.h"
#include "ui/player/video_tile.h"
#include "ui/player/view_decoder.h"

class QGridLayout;

namespace teamor::ui {

/// @brief Synchronized multi-view player (see file comment).
class MultiViewPlayer : public QWidget {
  Q_OBJECT
 public:
  explicit MultiViewPlayer(QWidget* parent = nullptr);
  ~MultiViewPlayer() override;

  /// @brief Opens every view of @p recording (views that fail show their error). Stops playback.
  void set_recording(const io::Recording& recording);
  /// @brief Removes all views.
  void clear();

  int view_count() const { return static_cast<int>(views_.size()); }
  VideoTile* tile(int view) const;
  /// Decoder of @p view, nullptr when the view could not be opened.
  ViewDecoder* decoder(int view) const;
  QString view_name(int view) const;
  double offset_s(int view) const;

  double position() const { return clock_.now(); }
  double duration_s() const { return duration_s_; }
  /// Frame duration of the focused view (or 1/30 s), seconds.
  double frame_s() const;
  bool playing() const { return clock_.playing(); }
  double speed() const { return clock_.speed(); }
  int focused_view() const { return focused_; }
  /// Frame index shown in the focused view, -1 when none.
  std::int64_t focused_frame_index() const;
  /// True once every playable view shows the frame for the latest seek.
  bool frames_ready() const;
  int enlarged_view() const { return enlarged_; }

 public slots:
  void play();
  void pause();
  void toggle_play();
  /// @brief Speed factor, clamped to [0.1, 8].
  void set_speed(double speed);
  void faster();
  void slower();
  /// @brief Moves every view to timeline time @p time_s (clamped to the recording).
  void seek(double time_s);
  /// @brief Moves by @p delta_s seconds.
  void jump(double delta_s);
  /// @brief Steps @p frames frames of the focused view (negative = back); pauses playback.
  void step_frames(int frames);
  /// @brief Sets the offset of view @p name: view_time = timeline_time + offset_s.
  void set_offset(const QString& name, double offset_s);
  void set_focused_view(int view);
  /// @brief Shows @p view alone (or the grid again when it is already enlarged; -1 = grid).
  void toggle_enlarged(int view);
  /// @brief Loops [start, end] (s) while playing, or stops looping with nullopt.
  void set_loop(std::optional<std::pair<double, double>> range);
  /// @brief Updates every tile for the current clock time (the display timer calls it).
  void tick();

 signals:
  void position_changed(double time_s);
  void playing_changed(bool playing);
  void speed_changed(double speed);
  void focused_view_changed(int view);
  /// All views now show the frames of the latest seek (latency measurements listen to this).
  void seek_completed(double time_s);

 private:
  struct ViewSlot {
    QString name;
    double offset_s = 0;
    std::unique_ptr<ViewDecoder> decoder;  ///< null when the view failed to open
    VideoTile* tile = nullptr;
    QString error;
  };
  void relayout();
  void seek_view(ViewSlot& slot, double time_s);

  std::vector<ViewSlot> views_;
  QGridLayout* grid_;
  QTimer display_timer_;
  PlaybackClock clock_;
  double duration_s_ = 0;
  int focused_ = 0;
  int enlarged_ = -1;
  bool seek_pending_ = false;
  std::optional<std::pair<double, double>> loop_;
  QElapsedTimer emit_timer_;  ///< wall time since position_changed was last emitted
};

}  // namespace teamor::ui
