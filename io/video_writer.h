#pragma once
// VideoWriter: encodes frames to a video file with libavcodec (H.264 via libx264, else MPEG-4 Part 2).
//
//   teamor::io::VideoWriter out("cam1.mp4", {.width = 640, .height = 360, .fps = 30});
//   for (...) out.write(rgb_pixels, stride);     // packed RGB24, frames at 0, 1/fps, 2/fps, ...
//   out.close();                                  // flushes the encoder; written atomically

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "io/frame.h"

namespace teamor::io {

struct VideoWriterOptions {
  int width = 640;              ///< pixels, even
  int height = 360;             ///< pixels, even
  double fps = 30.0;            ///< constant frame rate
  PixelFormat input_format = PixelFormat::Rgb24;
  std::string codec = "auto";   ///< "auto" (libx264, else mpeg4), "libx264", "mpeg4"
  int crf = 23;                 ///< x264 quality (lower = better)
  std::string preset = "veryfast";
  int gop = 60;                 ///< key frame interval, frames
  int threads = 0;              ///< 0 = encoder's choice
};

class VideoWriter {
 public:
  /// @throws IoError naming @p path when no encoder is available or the file cannot be created
  VideoWriter(const std::filesystem::path& path, VideoWriterOptions options);
  ~VideoWriter();  ///< closes if not closed (errors are logged, not thrown)
  VideoWriter(VideoWriter&&) noexcept;
  VideoWriter& operator=(VideoWriter&&) noexcept;

  /// @brief Encodes one frame of options.width x options.height in options.input_format.
  void write(const std::uint8_t* pixels, int stride);
  void write(const Frame& frame);
  /// @brief Flushes the encoder, writes the trailer and publishes the file (temp + rename).
  void close();
  /// Name of the encoder in use ("libx264" or "mpeg4").
  const std::string& codec_name() const;
  std::int64_t frames_written() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teamor::io
