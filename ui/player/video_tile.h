#pragma once
// VideoTile: draws one view's current frame (already converted by its decoder), its name, offset
// and frame number, or the reason it cannot show a picture. A click emits clicked() (the player
// then focuses and enlarges it).

#include <QWidget>

#include "ui/player/view_decoder.h"

namespace teamor::ui {

/// @brief One view in the player grid.
class VideoTile : public QWidget {
  Q_OBJECT
 public:
  explicit VideoTile(QString name, QWidget* parent = nullptr);

  /// @brief Shows @p frame (nullptr keeps the previous picture).
  void set_frame(DecodedFramePtr frame);
  /// @brief Drops the picture and shows @p message instead (empty = no message).
  void set_message(const QString& message);
  /// A notice over the picture (e.g. "ends at 0:41:02"), empty for none.
  void set_notice(const QString& notice);
  void set_offset_s(double offset_s);
  void set_focused(bool focused);
  const DecodedFramePtr& frame() const { return frame_; }
  const QString& message() const { return message_; }
  const QString& name() const { return name_; }

 signals:
  void clicked();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QString name_;
  QString message_;
  QString notice_;
  DecodedFramePtr frame_;
  double offset_s_ = 0;
  bool focused_ = false;
};

}  // namespace teamor::ui
