#pragma once
// ViewDecoder: decodes one view ahead of the playhead on its own worker thread. Frames are
// converted once, on the worker, into display-ready QImages (RGB32) that the GUI thread only draws.
// Seeks are asynchronous and coalesce: while the user scrubs only the latest target is decoded.

#include <QImage>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "io/video_reader.h"

namespace teamor::ui {

/// One decoded frame ready to draw.
struct DecodedFrame {
  QImage image;                  ///< RGB32 at the stream's native size
  double time_s = 0;             ///< presentation time in the view's file, seconds
  std::int64_t index = -1;       ///< frame index in the file
  std::uint64_t generation = 0;  ///< seek generation that produced it
};
using DecodedFramePtr = std::shared_ptr<const DecodedFrame>;

/// Counters for the benchmark and the status of a tile.
struct DecoderStats {
  std::int64_t decoded = 0;  ///< frames decoded since construction
  std::int64_t shown = 0;    ///< frames handed out by frame_at()
  std::int64_t skipped = 0;  ///< frames decoded but passed over because the clock was already later
  std::int64_t resyncs = 0;  ///< times the decoder fell more than a second behind and re-seeked
};

/// @brief Decode-ahead worker for one view (see file comment).
class ViewDecoder {
 public:
  /// @brief Opens @p path (on the calling thread, so errors are known at once) and starts the
  /// worker.
  /// @param queue_frames how many frames to decode ahead of the playhead
  /// @throws IoError naming the file when it cannot be opened or has no decodable video
  explicit ViewDecoder(const std::filesystem::path& path, int queue_frames = 20);
  ~ViewDecoder();
  ViewDecoder(const ViewDecoder&) = delete;
  ViewDecoder& operator=(const ViewDecoder&) = delete;

  const io::VideoInfo& info() const { return info_; }
  /// Seconds per frame (from the nominal frame rate).
  double frame_s() const { return frame_s_; }

  /// @brief Asks for the frame shown at view time @p time_s (s); returns immediately.
  void seek(double time_s);
  /// @brief The frame to show at view time @p time_s: the last decoded frame with time <= t (frames
  /// before it are released). Returns the previous frame when nothing newer is ready; null before
  /// the first frame after a seek has arrived.
  DecodedFramePtr frame_at(double time_s);
  /// @brief With look-ahead off the worker decodes only the frame to show (used right after a seek,
  /// so that views still seeking get the CPU before others decode ahead).
  void set_lookahead(bool on);
  /// True until frame_at() has handed out the frame of the latest seek() (its successor decoded,
  /// so it is certainly the last frame at or before the time asked).
  bool seek_pending() const;
  /// Why decoding ended early (damaged file), empty otherwise.
  QString stop_reason() const;
  /// True when the worker reached the end of the file (no frames past the last one).
  bool at_end() const;
  DecoderStats stats() const;

 private:
  void run();

  io::VideoReader reader_;
  io::VideoInfo info_;
  double frame_s_ = 1.0 / 30;
  const std::size_t capacity_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<DecodedFramePtr> queue_;
  DecodedFramePtr current_;
  bool current_shown_ = true;
  bool stop_ = false;
  bool eof_ = false;
  bool seek_requested_ = false;
  bool lookahead_ = true;
  bool settled_ = false;  ///< the frame for the last seek is known (see frame_at)
  double seek_target_s_ = 0;
  std::uint64_t generation_ = 0;
  QString stop_reason_;
  DecoderStats stats_;
  std::thread worker_;  ///< last member: starts after everything above exists
};

}  // namespace teamor::ui
