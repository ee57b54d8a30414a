#pragma once
// VideoReader: frame-accurate decoding of one video file with FFmpeg.
//
//   teamor::io::VideoReader reader("cam1.mp4", {.format = {224, 224, PixelFormat::Rgb24}});
//   const auto& info = reader.info();            // codec, size, fps, duration, frame count
//   teamor::io::Frame frame;
//   reader.seek(12.5);                            // next frame has time_s >= 12.5 (exact, by pts)
//   while (reader.read(frame)) { use(frame.data, frame.time_s); }
//   if (reader.stopped_early()) warn(reader.stop_reason());   // corrupt/truncated tail
//
// Times are presentation times in seconds from the stream's first frame (a non-zero stream start is
// removed; variable frame rate is honoured). Errors that make the file unusable throw IoError
// naming the file; damage later in the file ends reading early and is reported by stop_reason().

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "io/frame.h"
#include "io/video_info.h"

namespace teamor::io {

/// @brief How frames are resized when the delivered size differs from the stream's.
enum class ScaleFilter {
  Fast,    ///< 2-tap bilinear (libswscale FAST_BILINEAR), like cv::resize INTER_LINEAR; fastest
  Smooth,  ///< bilinear whose footprint grows with the shrink factor (SWS_BILINEAR): no aliasing
};

struct VideoReaderOptions {
  FrameFormat format;           ///< delivered size and pixel layout (0 x 0 = native size)
  int threads = 0;              ///< decoder threads, 0 = FFmpeg's choice (all cores)
  bool keyframes_only = false;  ///< fast scan: decode key frames only (skips all others)
  bool measure_frames = false;  ///< scan packets on open to count frames and measure fps exactly
  ScaleFilter scale_filter = ScaleFilter::Fast;  ///< resize filter (native size: no effect)
};

/// @brief Decodes one video stream of a file, delivering converted frames in presentation order.
class VideoReader {
 public:
  /// @throws IoError naming @p path when the file is missing, unreadable, has no video stream or
  /// no decoder for its codec
  explicit VideoReader(const std::filesystem::path& path, VideoReaderOptions options = {});
  ~VideoReader();
  VideoReader(VideoReader&&) noexcept;
  VideoReader& operator=(VideoReader&&) noexcept;

  const VideoInfo& info() const;
  const VideoReaderOptions& options() const;

  /// @brief Decodes the next frame into @p frame (buffer reused when size matches).
  /// @return false at the end of the stream, or where damage stopped decoding (see
  /// stopped_early()).
  bool read(Frame& frame);

  /// @brief Like read(), but sets only the timing fields of @p frame (time_s, pts, index,
  /// key_frame) and marks it `pixels_pending`; the decoded picture is kept so that
  /// convert_pending() can still convert it. For callers that look at every frame's time but keep
  /// few frames (MultiViewReader samples 8 of 32): skipped frames cost no scaling or colour
  /// conversion. The pictures of the last two frames read this way are kept.
  bool read_timing(Frame& frame);

  /// @brief Converts the picture of @p frame, one of the last two frames returned by
  /// read_timing(), into its pixel fields; a frame whose pixels are there already is left as is.
  /// @return false when the picture is no longer held (read further, or a seek happened since)
  bool convert_pending(Frame& frame);

  /// @brief Positions the reader so that the next read() returns the first frame whose time_s is
  /// >= @p time_s - half a frame (exact by pts, decoding forward from the preceding key frame).
  /// Seeking past the end makes the next read() return false.
  void seek(double time_s);

  /// @brief Changes the delivered size/layout for following reads.
  void set_format(const FrameFormat& format);

  /// True when reading ended on damage (truncated or corrupt data) instead of a clean end.
  bool stopped_early() const;
  /// Where and why reading stopped early ("frame 812 at 27.07 s: Invalid data found ..."); empty if
  /// not.
  const std::string& stop_reason() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teamor::io
