#pragma once
// Test helper: renders small synthetic "rooms" as io::Frames (a textured static background, sensor
// noise, and coloured elliptical blobs standing in for people) so the feature tests can build
// empty, working and gathered-and-still scenes without any video file.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "io/frame.h"

namespace teamor::features::test {

struct Blob {
  double x = 0, y = 0;    ///< centre, pixels
  double vx = 0, vy = 0;  ///< velocity, pixels per frame
  int rx = 7, ry = 14;    ///< radii, pixels
  std::uint8_t r = 40, g = 150, b = 90;
};

inline std::uint32_t hash3(std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  std::uint32_t h =
      a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA6Bu ^ (c + 0x165667B1u) * 0xC2B2AE35u;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  return h;
}

/// Renders one RGB frame: background texture + noise (amplitude +-3) + blobs.
inline io::Frame render_frame(int w, int h, const std::vector<Blob>& blobs, std::int64_t index,
                              double fps = 30.0) {
  io::Frame f;
  f.width = w;
  f.height = h;
  f.stride = w * 3;
  f.pixel_format = io::PixelFormat::Rgb24;
  f.index = index;
  f.time_s = static_cast<double>(index) / fps;
  f.data.resize(static_cast<std::size_t>(f.stride) * h);
  for (int y = 0; y < h; ++y) {
    std::uint8_t* row = f.row(y);
    for (int x = 0; x < w; ++x) {
      const double tex = 90 + 30 * std::sin(x * 0.11) * std::cos(y * 0.17) +
                         static_cast<double>(hash3(x, y, 1) % 21) - 10;
      const int noise =
          static_cast<int>(hash3(x, y, static_cast<std::uint32_t>(index) + 7) % 7) - 3;
      int rgb[3] = {static_cast<int>(tex) + noise, static_cast<int>(tex * 1.05) + noise,
                    static_cast<int>(tex * 1.15) + noise};
      for (const auto& b : blobs) {
        const double dx = (x - b.x) / b.rx, dy = (y - b.y) / b.ry;
        if (dx * dx + dy * dy <= 1.0) {
          rgb[0] = b.r + noise;
          rgb[1] = b.g + noise;
          rgb[2] = b.b + noise;
        }
      }
      for (int c = 0; c < 3; ++c)
        row[x * 3 + c] = static_cast<std::uint8_t>(std::clamp(rgb[c], 0, 255));
    }
  }
  return f;
}

enum class SceneMode { Empty, Working, Still };

/// A room of w x h pixels whose people walk about (Working), stand gathered (Still) or are absent.
class RoomScene {
 public:
  RoomScene(int w, int h, int people = 4) : w_(w), h_(h) {
    for (int i = 0; i < people; ++i) {
      Blob b;
      b.x = w * (0.2 + 0.6 * (hash3(i, 1, 2) % 100) / 100.0);
      b.y = h * (0.25 + 0.5 * (hash3(i, 3, 4) % 100) / 100.0);
      const double a = (hash3(i, 5, 6) % 360) * 3.14159 / 180.0;
      b.vx = 1.6 * std::cos(a);
      b.vy = 1.6 * std::sin(a);
      b.g = static_cast<std::uint8_t>(120 + 30 * i);
      walkers_.push_back(b);
    }
  }

  /// Renders the next @p n frames in mode @p mode.
  std::vector<std::optional<io::Frame>> frames(SceneMode mode, int n) {
    std::vector<std::optional<io::Frame>> out;
    for (int k = 0; k < n; ++k, ++index_) {
      std::vector<Blob> shown;
      if (mode == SceneMode::Working) {
        for (auto& b : walkers_) {
          b.x += b.vx;
          b.y += b.vy;
          if (b.x < 0.1 * w_ || b.x > 0.9 * w_) b.vx = -b.vx;
          if (b.y < 0.15 * h_ || b.y > 0.85 * h_) b.vy = -b.vy;
        }
        shown = walkers_;
      } else if (mode == SceneMode::Still) {
        // Gathered round the table in the middle, swaying by under a pixel.
        for (std::size_t i = 0; i < walkers_.size(); ++i) {
          Blob b = walkers_[i];
          const double a = 6.2832 * i / walkers_.size();
          b.x = w_ / 2.0 + 0.18 * w_ * std::cos(a) + 0.4 * std::sin(index_ * 0.2 + i);
          b.y = h_ / 2.0 + 0.22 * h_ * std::sin(a);
          shown.push_back(b);
        }
      }
      out.emplace_back(render_frame(w_, h_, shown, index_));
    }
    return out;
  }

 private:
  int w_, h_;
  std::vector<Blob> walkers_;
  std::int64_t index_ = 0;
};

}  // namespace teamor::features::test
