#pragma once
// VideoInfo: what teamor knows about one video stream. A plain struct (no FFmpeg), so builds
// without media support (TEAMOR_WITH_MEDIA=OFF) can still name it; VideoReader fills it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace teamor::io {

/// @brief Facts about a video stream, read from the container and (when measured) from its packets.
struct VideoInfo {
  std::filesystem::path path;
  std::string container;         ///< e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string codec;             ///< e.g. "h264"
  int width = 0;                 ///< pixels
  int height = 0;                ///< pixels
  double nominal_fps = 0;        ///< the stream's declared (average or real base) frame rate
  double duration_s = 0;         ///< stream duration, seconds
  std::int64_t frame_count = 0;  ///< from the container, or counted when measure_frames was asked
  double start_time_s = 0;  ///< stream start time in the container (removed from Frame::time_s)
  bool variable_frame_rate = false;
  std::optional<double> measured_fps;  ///< frames / duration from a packet scan, when measured
};

}  // namespace teamor::io
