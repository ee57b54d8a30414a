#pragma once
// Frames of a real video at chosen times, as the backend tests feed them to extract_clip().

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <vector>

#include "io/video_reader.h"

namespace teamor::features::test {

/// Frames at @p times_s of @p video, delivered at @p format.
inline std::vector<std::optional<io::Frame>> frames_at(const std::filesystem::path& video,
                                                       io::FrameFormat format,
                                                       const std::vector<double>& times_s) {
  io::VideoReader reader(video, {.format = format});
  std::vector<std::optional<io::Frame>> out;
  for (double t : times_s) {
    reader.seek(t);
    io::Frame f;
    EXPECT_TRUE(reader.read(f)) << t;
    out.emplace_back(f);
  }
  return out;
}

}  // namespace teamor::features::test
