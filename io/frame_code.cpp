#include "io/frame_code.h"

#include <algorithm>

#include "common/error.h"

namespace teamor::io {
namespace {

void fill_rect(std::uint8_t* pixels, int stride, int channels, int x0, int y0, int w, int h,
               std::uint8_t value) {
  for (int y = y0; y < y0 + h; ++y)
    std::fill_n(pixels + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x0) * channels,
                static_cast<std::size_t>(w) * channels, value);
}

}  // namespace

int bytes_per_pixel(PixelFormat format) { return format == PixelFormat::Gray8 ? 1 : 3; }

void stamp_frame_code(std::uint8_t* pixels, int width, int height, int stride, PixelFormat format,
                      std::uint32_t index) {
  TEAMOR_ASSERT(width >= kFrameCodeWidth && height >= kFrameCodeHeight);
  TEAMOR_ASSERT(index < (1u << kFrameCodeBits));
  const int channels = bytes_per_pixel(format);
  fill_rect(pixels, stride, channels, 0, 0, kFrameCodeWidth, kFrameCodeHeight, 0);
  for (int bit = 0; bit < kFrameCodeBits; ++bit) {
    if (((index >> bit) & 1u) == 0) continue;
    const int x = kFrameCodeMargin + (bit % 8) * kFrameCodeCell;
    const int y = kFrameCodeMargin + (bit / 8) * kFrameCodeCell;
    fill_rect(pixels, stride, channels, x, y, kFrameCodeCell, kFrameCodeCell, 255);
  }
}

std::optional<std::uint32_t> read_frame_code(const Frame& frame) {
  if (frame.width < kFrameCodeWidth || frame.height < kFrameCodeHeight) return std::nullopt;
  const int channels = bytes_per_pixel(frame.pixel_format);
  std::uint32_t index = 0;
  for (int bit = 0; bit < kFrameCodeBits; ++bit) {
    // Average the inner half of the cell: edges blur under compression.
    const int x0 = kFrameCodeMargin + (bit % 8) * kFrameCodeCell + kFrameCodeCell / 4;
    const int y0 = kFrameCodeMargin + (bit / 8) * kFrameCodeCell + kFrameCodeCell / 4;
    long sum = 0;
    int count = 0;
    for (int y = y0; y < y0 + kFrameCodeCell / 2; ++y)
      for (int x = x0; x < x0 + kFrameCodeCell / 2; ++x)
        for (int c = 0; c < channels; ++c, ++count) sum += frame.row(y)[x * channels + c];
    const double mean = static_cast<double>(sum) / count;
    if (mean > 170) {
      index |= 1u << bit;
    } else if (mean > 85) {
      return std::nullopt;  // neither black nor white: not a code
    }
  }
  return index;
}

}  // namespace teamor::io
