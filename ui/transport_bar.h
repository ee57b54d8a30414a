#pragma once
// TransportBar: play/pause, speed, position entry (go to time), the protocol used for new segments
// and the prediction score threshold slider. It only emits requests; the main window routes them.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSlider;
class QToolButton;

namespace teamor::ui {

/// @brief Playback and review controls under the video grid.
class TransportBar : public QWidget {
  Q_OBJECT
 public:
  explicit TransportBar(QWidget* parent = nullptr);

  void set_playing(bool playing);
  void set_speed(double speed);
  void set_position(double time_s, double duration_s);
  /// @brief Threshold shown by the slider, in [0, 1].
  void set_threshold(double threshold);
  double threshold() const;
  /// Protocol label chosen for new segments.
  QString new_segment_label() const;
  /// @brief Switches the protocol for new segments to the next one.
  void cycle_label();
  /// @brief Puts the cursor into the time field (Go to time).
  void focus_time_entry();
  QSlider* threshold_slider() const { return threshold_; }

 signals:
  void play_toggled();
  void speed_requested(double speed);
  void seek_requested(double time_s);
  void threshold_changed(double threshold);

 private:
  QToolButton* play_;
  QComboBox* speed_;
  QLineEdit* time_;
  QLabel* duration_;
  QComboBox* label_;
  QSlider* threshold_;
  QLabel* threshold_value_;
};

}  // namespace teamor::ui
