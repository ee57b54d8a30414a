#include "ui/player/video_tile.h"

#include <QMouseEvent>
#include <QPainter>

namespace teamor::ui {

VideoTile::VideoTile(QString name, QWidget* parent) : QWidget(parent), name_(std::move(name)) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMinimumSize(160, 90);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void VideoTile::set_frame(DecodedFramePtr frame) {
  if (!frame || frame == frame_) return;
  frame_ = std::move(frame);
  update();
}

void VideoTile::set_message(const QString& message) {
  if (message == message_) return;
  message_ = message;
  if (!message.isEmpty()) frame_.reset();
  update();
}

void VideoTile::set_notice(const QString& notice) {
  if (notice == notice_) return;
  notice_ = notice;
  update();
}

void VideoTile::set_offset_s(double offset_s) {
  offset_s_ = offset_s;
  update();
}

void VideoTile::set_focused(bool focused) {
  if (focused == focused_) return;
  focused_ = focused;
  update();
}

void VideoTile::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::black);
  if (frame_ && !frame_->image.isNull()) {
    // Keep the aspect ratio; the frame is already RGB32 so this is a plain scaled blit.
    QSize size = frame_->image.size().scaled(this->size(), Qt::KeepAspectRatio);
    QRect target(QPoint(0, 0), size);
    target.moveCenter(rect().center());
    p.drawImage(target, frame_->image);
  }
  if (!message_.isEmpty() || !notice_.isEmpty()) {
    p.setPen(message_.isEmpty() ? QColor(230, 230, 230) : QColor(255, 120, 120));
    p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
               message_.isEmpty() ? notice_ : message_);
  }
  // Caption: name, offset, frame number.
  QString caption = name_;
  if (offset_s_ != 0)
    caption += QString("  %1%2 ms")
                   .arg(offset_s_ > 0 ? QString("+") : QString())
                   .arg(offset_s_ * 1000, 0, 'f', 0);
  if (frame_) caption += QString("  #%1").arg(frame_->index);
  const QRect box(6, height() - 24, p.fontMetrics().horizontalAdvance(caption) + 12, 20);
  p.fillRect(box, QColor(0, 0, 0, 160));
  p.setPen(Qt::white);
  p.drawText(box, Qt::AlignCenter, caption);
  if (focused_) {
    p.setPen(QPen(QColor(66, 165, 245), 3));
    p.setBrush(Qt::NoBrush);
    p.drawRect(rect().adjusted(1, 1, -2, -2));
  }
}

void VideoTile::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) emit clicked();
}

}  // namespace teamor::ui
