#include "ui/player/view_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/error.h"

namespace teamor::ui {

namespace {
/// Clock tolerance when choosing "the last frame at or before t" (timestamps are rounded to ms).
constexpr double kEpsilonS = 1e-3;
/// A decoder this far behind the clock gives up catching up frame by frame and seeks ahead.
constexpr double kResyncS = 1.0;

DecodedFramePtr to_decoded(const io::Frame& frame, std::uint64_t generation) {
  auto out = std::make_shared<DecodedFrame>();
  QImage rgb(frame.width, frame.height, QImage::Format_RGB888);
  const int row_bytes = frame.width * 3;
  for (int y = 0; y < frame.height; ++y)
    std::memcpy(rgb.scanLine(y), frame.row(y), row_bytes);
  // RGB32 is what the raster painter draws without a per-paint conversion.
  out->image = rgb.convertToFormat(QImage::Format_RGB32);
  out->time_s = frame.time_s;
  out->index = frame.index;
  out->generation = generation;
  return out;
}
}  // namespace

ViewDecoder::ViewDecoder(const std::filesystem::path& path, int queue_frames)
    : reader_(path, io::VideoReaderOptions{.format = {0, 0, io::PixelFormat::Rgb24}, .threads = 1}),
      info_(reader_.info()),
      capacity_(static_cast<std::size_t>(std::max(2, queue_frames))) {
  if (info_.nominal_fps > 0) frame_s_ = 1.0 / info_.nominal_fps;
  worker_ = std::thread([this] { run(); });
}

ViewDecoder::~ViewDecoder() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void ViewDecoder::seek(double time_s) {
  {
    std::lock_guard lock(mutex_);
    seek_requested_ = true;
    seek_target_s_ = time_s;
    ++generation_;
    queue_.clear();
    current_.reset();
    eof_ = false;
    settled_ = false;
  }
  wake_.notify_all();
}

DecodedFramePtr ViewDecoder::frame_at(double time_s) {
  bool resync = false;
  DecodedFramePtr result;
  {
    std::lock_guard lock(mutex_);
    while (!queue_.empty() && (queue_.front()->time_s <= time_s + kEpsilonS || !current_)) {
      if (current_ && !current_shown_) ++stats_.skipped;
      current_ = queue_.front();
      current_shown_ = false;
      queue_.pop_front();
    }
    wake_.notify_all();  // room in the queue
    if (current_ && !current_shown_) {
      current_shown_ = true;
      ++stats_.shown;
    }
    // Far behind the clock (high speed, slow machine): jump instead of decoding every frame.
    if (current_ && queue_.empty() && !eof_ && !seek_requested_ &&
        current_->time_s < time_s - kResyncS)
      resync = true;
    // The frame for t is certain once the next one is known to be later (or there is none).
    if (!settled_ && !seek_requested_)
      settled_ = (current_ &&
                  (eof_ || (!queue_.empty() && queue_.front()->time_s > time_s + kEpsilonS))) ||
                 (!current_ && eof_ && queue_.empty());
    result = current_;
  }
  if (resync) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.resyncs;
      seek_requested_ = true;
      seek_target_s_ = time_s + 0.25;  // land a little ahead so the clock meets the new frames
      ++generation_;
      settled_ = false;
    }
    wake_.notify_all();
  }
  return result;
}

void ViewDecoder::set_lookahead(bool on) {
  {
    std::lock_guard lock(mutex_);
    lookahead_ = on;
  }
  wake_.notify_all();
}

bool ViewDecoder::seek_pending() const {
  std::lock_guard lock(mutex_);
  return seek_requested_ || !settled_;
}

QString ViewDecoder::stop_reason() const {
  std::lock_guard lock(mutex_);
  return stop_reason_;
}

bool ViewDecoder::at_end() const {
  std::lock_guard lock(mutex_);
  return eof_ && queue_.empty();
}

DecoderStats ViewDecoder::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void ViewDecoder::run() {
  io::Frame frame;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] {
      return stop_ || seek_requested_ || (!eof_ && queue_.size() < (lookahead_ ? capacity_ : 2));
    });
    if (stop_) return;
    const std::uint64_t generation = generation_;
    const bool do_seek = seek_requested_;
    const double target = seek_target_s_;
    seek_requested_ = false;
    lock.unlock();
    bool ok = false;
    QString error;
    try {
      // Half a frame early: the reader then starts at the last frame at or before the target.
      if (do_seek) reader_.seek(std::max(0.0, target - 0.5 * frame_s_));
      ok = reader_.read(frame);
      if (!ok && reader_.stopped_early()) error = QString::fromStdString(reader_.stop_reason());
    } catch (const Error& e) {
      error = QString::fromStdString(e.what());
    }
    DecodedFramePtr decoded = ok ? to_decoded(frame, generation) : nullptr;
    lock.lock();
    if (generation != generation_) continue;  // a newer seek came in while we decoded
    if (decoded) {
      queue_.push_back(std::move(decoded));
      ++stats_.decoded;
    } else {
      eof_ = true;
      if (!error.isEmpty()) stop_reason_ = error;
    }
  }
}

}  // namespace teamor::ui
