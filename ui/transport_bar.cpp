#include "ui/transport_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <cmath>

#include "annotations/segment.h"
#include "ui/timeline_scale.h"

namespace teamor::ui {

TransportBar::TransportBar(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  play_ = new QToolButton(this);
  play_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  play_->setToolTip(tr("Play / pause (Space)"));
  connect(play_, &QToolButton::clicked, this, &TransportBar::play_toggled);
  layout->addWidget(play_);

  speed_ = new QComboBox(this);
  for (double s : {0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0, 8.0})
    speed_->addItem(QString("%1x").arg(s), s);
  speed_->setCurrentIndex(4);
  speed_->setToolTip(tr("Playback speed (Up / Down)"));
  speed_->setFocusPolicy(Qt::NoFocus);
  connect(speed_, &QComboBox::activated, this,
          [this](int i) { emit speed_requested(speed_->itemData(i).toDouble()); });
  layout->addWidget(speed_);

  time_ = new QLineEdit(this);
  time_->setToolTip(tr("Go to time: type h:mm:ss.mmm, mm:ss or seconds and press Enter (G)"));
  time_->setMaximumWidth(120);
  connect(time_, &QLineEdit::returnPressed, this, [this] {
    double t = 0;
    if (parse_time(time_->text(), &t)) emit seek_requested(t);
    time_->clearFocus();
  });
  layout->addWidget(time_);
  duration_ = new QLabel(this);
  layout->addWidget(duration_);
  layout->addStretch(1);

  layout->addWidget(new QLabel(tr("New segments:"), this));
  label_ = new QComboBox(this);
  label_->addItem(QString::fromUtf8(annotations::kTimeOut.data(), annotations::kTimeOut.size()));
  label_->addItem(QString::fromUtf8(annotations::kStop.data(), annotations::kStop.size()));
  label_->setToolTip(tr("Protocol of segments created with [ and ] (T switches)"));
  label_->setFocusPolicy(Qt::NoFocus);
  layout->addWidget(label_);

  layout->addSpacing(12);
  layout->addWidget(new QLabel(tr("Score threshold:"), this));
  threshold_ = new QSlider(Qt::Horizontal, this);
  threshold_->setRange(0, 100);
  threshold_->setMaximumWidth(160);
  threshold_->setFocusPolicy(Qt::NoFocus);
  threshold_->setToolTip(tr("Hide predictions scoring below this value"));
  threshold_value_ = new QLabel("0.00", this);
  connect(threshold_, &QSlider::valueChanged, this, [this](int v) {
    threshold_value_->setText(QString::number(v / 100.0, 'f', 2));
    emit threshold_changed(v / 100.0);
  });
  layout->addWidget(threshold_);
  layout->addWidget(threshold_value_);
}

void TransportBar::set_playing(bool playing) {
  play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void TransportBar::set_speed(double speed) {
  const int i = speed_->findData(speed);
  if (i >= 0) speed_->setCurrentIndex(i);
}

void TransportBar::set_position(double time_s, double duration_s) {
  if (!time_->hasFocus()) time_->setText(format_time_hms(time_s));
  duration_->setText("/ " + format_time_hms(duration_s));
}

void TransportBar::set_threshold(double threshold) {
  const QSignalBlocker block(threshold_);
  threshold_->setValue(static_cast<int>(std::lround(threshold * 100)));
  threshold_value_->setText(QString::number(threshold, 'f', 2));
}

double TransportBar::threshold() const {
  return threshold_->value() / 100.0;
}

QString TransportBar::new_segment_label() const {
  return label_->currentText();
}

void TransportBar::cycle_label() {
  label_->setCurrentIndex((label_->currentIndex() + 1) % label_->count());
}

void TransportBar::focus_time_entry() {
  time_->setFocus();
  time_->selectAll();
}

}  // namespace teamor::ui
