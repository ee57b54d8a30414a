#pragma once
// Decoded frames as plain pixel buffers (no FFmpeg or OpenCV types), handed from io to features/ui.

#include <cstdint>
#include <vector>

namespace teamor::io {

/// Pixel layout of a delivered frame; all are 8 bits per channel, packed, row-major.
enum class PixelFormat { Gray8, Rgb24, Bgr24 };

/// Bytes per pixel of a format.
int bytes_per_pixel(PixelFormat format);

/// @brief What the reader should deliver: size in pixels (0 = the stream's native size) and layout.
struct FrameFormat {
  int width = 0;
  int height = 0;
  PixelFormat pixel_format = PixelFormat::Rgb24;
  friend bool operator==(const FrameFormat&, const FrameFormat&) = default;
};

/// @brief One decoded, converted frame. The buffer is reused by the reader between calls where
/// possible: copy `data` if you keep it past the next read.
struct Frame {
  int width = 0;
  int height = 0;
  int stride = 0;  ///< bytes per row (>= width * bytes_per_pixel)
  PixelFormat pixel_format = PixelFormat::Rgb24;
  double time_s = 0;        ///< presentation time in the file, seconds, stream start removed
  std::int64_t pts = 0;     ///< raw presentation timestamp in the stream's time base
  std::int64_t index = -1;  ///< 0-based index of the frame in presentation order
  bool key_frame = false;
  /// True after VideoReader::read_timing(): the timing fields are set, the pixels not yet
  /// (VideoReader::convert_pending() fills them); `data` then still holds an older picture.
  bool pixels_pending = false;
  std::vector<std::uint8_t> data;  ///< height * stride bytes

  const std::uint8_t* row(int y) const {
    return data.data() + static_cast<std::size_t>(y) * stride;
  }
  std::uint8_t* row(int y) { return data.data() + static_cast<std::size_t>(y) * stride; }
};

}  // namespace teamor::io
