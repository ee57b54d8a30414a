#pragma once
// Test videos made on the fly with the ffmpeg CLI: every frame carries its index in the corner code
// (io/frame_code.h), so a test can check exactly which frame a reader returned. Shared by the io
// tests; header-only so it needs no build entry.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/frame.h"
#include "io/frame_code.h"

namespace teamor::io::testing {

/// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "teamor-io") {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            (tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Runs a shell command; returns its stdout and sets @p status to its exit status.
inline std::string run_command(const std::string& command, int* status = nullptr) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    if (status) *status = -1;
    return output;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    output.append(buffer, n);
  const int rc = ::pclose(pipe);
  if (status) *status = rc;
  return output;
}

inline bool have_ffmpeg_cli() {
  static const bool available = std::system("ffmpeg -version >/dev/null 2>&1") == 0 &&
                                std::system("ffprobe -version >/dev/null 2>&1") == 0;
  return available;
}

inline std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

struct CodedVideoSpec {
  int frames = 300;
  int width = 192;
  int height = 108;
  double fps = 30;
  /// Output options between the raw input and the file name (codec, GOP, filters, muxer flags).
  std::string output_args =
      "-c:v libx264 -preset veryfast -crf 16 -g 24 -sc_threshold 0 "
      "-pix_fmt yuv420p";
};

/// Pipes @p spec.frames gray frames, frame i stamped with code i over a moving texture, into the
/// ffmpeg CLI. @return true when ffmpeg succeeded and the file exists
inline bool make_coded_video(const std::filesystem::path& path, const CodedVideoSpec& spec = {}) {
  std::ostringstream command;
  command << "ffmpeg -v error -y -f rawvideo -pix_fmt gray -s " << spec.width << "x" << spec.height
          << " -r " << spec.fps << " -i - " << spec.output_args << " " << quoted(path);
  FILE* pipe = ::popen(command.str().c_str(), "w");
  if (!pipe) return false;
  std::vector<std::uint8_t> image(static_cast<std::size_t>(spec.width) * spec.height);
  for (int i = 0; i < spec.frames; ++i) {
    for (int y = 0; y < spec.height; ++y)
      for (int x = 0; x < spec.width; ++x)
        image[static_cast<std::size_t>(y) * spec.width + x] =
            static_cast<std::uint8_t>(60 + ((x + 2 * y + 3 * i) % 64) * 2);
    stamp_frame_code(image.data(), spec.width, spec.height, spec.width, PixelFormat::Gray8,
                     static_cast<std::uint32_t>(i));
    if (std::fwrite(image.data(), 1, image.size(), pipe) != image.size()) break;
  }
  return ::pclose(pipe) == 0 && std::filesystem::exists(path);
}

/// Presentation times (s, as in the file: stream start included) of every video frame, from
/// `ffprobe -show_frames`, in presentation order.
inline std::vector<double> ffprobe_frame_times(const std::filesystem::path& path) {
  const std::string out = run_command(
      "ffprobe -v error -select_streams v:0 -show_entries frame=best_effort_timestamp_time "
      "-of csv=p=0 " +
      quoted(path));
  std::vector<double> times;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line == "N/A") continue;
    times.push_back(std::stod(line));
  }
  return times;
}

/// The video stream's start_time as ffprobe reports it (0 when N/A).
inline double ffprobe_start_time(const std::filesystem::path& path) {
  const std::string out = run_command(
      "ffprobe -v error -select_streams v:0 -show_entries stream=start_time -of csv=p=0 " +
      quoted(path));
  try {
    return std::stod(out);
  } catch (...) {
    return 0;
  }
}

}  // namespace teamor::io::testing

/// Skips the test when the ffmpeg/ffprobe CLIs are missing (scripts/install-deps.sh installs them).
#define TEAMOR_REQUIRE_FFMPEG_CLI()                                              \
  do {                                                                           \
    if (!::teamor::io::testing::have_ffmpeg_cli())                               \
      GTEST_SKIP() << "the ffmpeg/ffprobe command-line tools are not installed"; \
  } while (0)
