#pragma once
// A small machine-readable frame index stamped into the top-left corner of synthetic ceiling views, so
// tests can check exactly which frame a decoder (or the viewer) returned after a seek.
//
// Layout (at the frame's native size): a black quiet zone of kFrameCodeWidth x kFrameCodeHeight pixels
// at (0, 0); inside it, 3 rows x 8 columns of kFrameCodeCell x kFrameCodeCell cells starting at pixel
// (kFrameCodeMargin, kFrameCodeMargin); cell (row r, column c) carries bit (r * 8 + c) of the index,
// white = 1, black = 0. 24 bits: frame indices up to 16,777,215. The cells are large enough to survive
// H.264 at usual qualities.

#include <cstdint>
#include <optional>

#include "io/frame.h"

namespace teamor::io {

inline constexpr int kFrameCodeCell = 8;
inline constexpr int kFrameCodeMargin = 4;
inline constexpr int kFrameCodeBits = 24;
inline constexpr int kFrameCodeWidth = 2 * kFrameCodeMargin + 8 * kFrameCodeCell;   // 72 px
inline constexpr int kFrameCodeHeight = 2 * kFrameCodeMargin + 3 * kFrameCodeCell;  // 32 px

/// @brief Stamps @p index into a packed 8-bit image (Gray8, Rgb24 or Bgr24).
/// @param pixels first byte of the image; @param stride bytes per row
/// @param width, height image size in pixels (at least kFrameCodeWidth x kFrameCodeHeight)
void stamp_frame_code(std::uint8_t* pixels, int width, int height, int stride, PixelFormat format,
                      std::uint32_t index);

/// @brief Reads the index back from a frame at the size it was stamped; nullopt when the corner does
/// not hold a code (frame too small, or cells not clearly black or white).
std::optional<std::uint32_t> read_frame_code(const Frame& frame);

}  // namespace teamor::io
