#pragma once
// Pure time <-> pixel arithmetic of the timeline, with ruler tick selection that keeps labels
// readable from a whole surgery (hours) down to single frames. No widgets here, so it is easy to
// test.

#include <QString>
#include <vector>

namespace teamor::ui {

/// @brief Maps timeline seconds to widget x pixels: x = origin_px + (t - start_s) * px_per_s.
class TimelineScale {
 public:
  double start_s() const { return start_s_; }
  double px_per_s() const { return px_per_s_; }
  double x_of(double time_s) const { return origin_px_ + (time_s - start_s_) * px_per_s_; }
  double time_of(double x_px) const { return start_s_ + (x_px - origin_px_) / px_per_s_; }
  /// Visible span in seconds for a drawing area @p width_px wide.
  double span_s(double width_px) const { return width_px / px_per_s_; }

  /// @brief Sets the drawing area: left pixel, width in pixels, content duration (s), frame rate.
  void set_area(double origin_px, double width_px, double duration_s, double fps);
  /// @brief Shows [@p start_s, @p start_s + @p span_s].
  void show_range(double start_s, double span_s);
  /// @brief Shows the whole content.
  void fit();
  /// @brief Multiplies the zoom by @p factor keeping the time under @p anchor_x_px in place.
  void zoom_around(double anchor_x_px, double factor);
  /// @brief Scrolls by @p dx_px pixels (positive = later times).
  void pan_px(double dx_px);
  /// @brief Scrolls so @p time_s is visible, with a margin of 10 % of the width.
  void ensure_visible(double time_s);

  double min_px_per_s() const;
  double max_px_per_s() const;

  /// One ruler tick.
  struct Tick {
    double time_s;
    bool major;     ///< labelled tick
    QString label;  ///< empty for minor ticks
  };
  /// @brief Ticks between the area's left and right edge: major labelled ticks at least
  /// @p min_label_px apart, with minor ticks between them.
  std::vector<Tick> ticks(double min_label_px = 90) const;
  /// @brief The major tick step (s) ticks() uses.
  double major_step_s(double min_label_px = 90) const;

 private:
  void clamp();

  double origin_px_ = 0;
  double width_px_ = 800;
  double duration_s_ = 60;
  double fps_ = 30;
  double start_s_ = 0;
  double px_per_s_ = 10;
};

/// @brief "h:mm:ss.mmm" (hours always shown), e.g. "0:01:02.345"; negative times get a sign.
QString format_time_hms(double time_s);
/// @brief "hh:mm:ss.mmm" with two-digit hours as shown in the status bar.
QString format_status_time(double time_s);
/// @brief Parses "1:02:03.5", "62.5", "1:02", "90s" into seconds; false when not a time.
bool parse_time(const QString& text, double* time_s);

}  // namespace teamor::ui
