// VideoWriter: frames written with a corner code decode back (with the ffmpeg CLI, independent of
// our reader) in the same number, size and order; the file appears only when it is complete.

#include "io/video_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "io/frame_code.h"

namespace fs = std::filesystem;
using teamor::io::Frame;
using teamor::io::PixelFormat;
using teamor::io::VideoWriter;
using teamor::io::VideoWriterOptions;

namespace {

fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("teamor_video_writer_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string run_capture(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return {};
  std::string out;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0)
    out.append(buffer, n);
  return out;
}

/// Decodes every frame of @p path to packed RGB24 with the ffmpeg CLI.
std::vector<Frame> decode_with_cli(const fs::path& path, int width, int height) {
  const std::string bytes = run_capture("ffmpeg -v error -i '" + path.string() +
                                        "' -f rawvideo -pix_fmt rgb24 - 2>/dev/null");
  const std::size_t frame_bytes = static_cast<std::size_t>(width) * height * 3;
  std::vector<Frame> frames;
  for (std::size_t at = 0; at + frame_bytes <= bytes.size(); at += frame_bytes) {
    Frame f;
    f.width = width;
    f.height = height;
    f.stride = width * 3;
    f.pixel_format = PixelFormat::Rgb24;
    f.index = static_cast<std::int64_t>(frames.size());
    f.data.assign(bytes.begin() + at, bytes.begin() + at + frame_bytes);
    frames.push_back(std::move(f));
  }
  return frames;
}

std::string probe_codec(const fs::path& path) {
  std::string out = run_capture(
      "ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 '" +
      path.string() + "' 2>/dev/null");
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

/// A textured RGB frame (moving gradient) with @p index stamped in its corner.
std::vector<std::uint8_t> make_frame(int width, int height, int index, PixelFormat format) {
  const int channels = teamor::io::bytes_per_pixel(format);
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * channels);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c)
        pixels[(static_cast<std::size_t>(y) * width + x) * channels + c] =
            static_cast<std::uint8_t>((x * 2 + y + index * 3 + c * 40) & 0xff);
  teamor::io::stamp_frame_code(pixels.data(), width, height, width * channels, format,
                               static_cast<std::uint32_t>(index));
  return pixels;
}

bool has_ffmpeg_cli() {
  return std::system("ffmpeg -version > /dev/null 2>&1") == 0;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    files.push_back(entry.path());
  return files;
}

constexpr int kFrameCodeHeightForTest = teamor::io::kFrameCodeHeight;

void expect_round_trip(const std::string& codec, const std::string& expected_codec,
                       const std::string& file_name) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const auto dir = fresh_dir(codec + "_" + file_name);
  const auto path = dir / file_name;
  constexpr int kWidth = 160, kHeight = 96, kFrames = 45;
  {
    VideoWriter writer(path, {.width = kWidth, .height = kHeight, .fps = 25.0, .codec = codec});
    EXPECT_EQ(writer.codec_name(), expected_codec);
    for (int i = 0; i < kFrames; ++i) {
      const auto pixels = make_frame(kWidth, kHeight, i, PixelFormat::Rgb24);
      writer.write(pixels.data(), kWidth * 3);
    }
    EXPECT_EQ(writer.frames_written(), kFrames);
    EXPECT_FALSE(fs::exists(path)) << "the file must appear only at close()";
    writer.close();
  }
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(files_in(dir).size(), 1u) << "no temporary file may stay behind";
  EXPECT_EQ(probe_codec(path), expected_codec == "libx264" ? "h264" : "mpeg4");
  const auto frames = decode_with_cli(path, kWidth, kHeight);
  ASSERT_EQ(frames.size(), static_cast<std::size_t>(kFrames));
  for (const auto& frame : frames) {
    const auto code = teamor::io::read_frame_code(frame);
    ASSERT_TRUE(code.has_value()) << "frame " << frame.index;
    EXPECT_EQ(*code, static_cast<std::uint32_t>(frame.index));
    // Colours survive the RGB -> YUV 4:2:0 -> RGB round trip (outside the code's corner).
    const auto original = make_frame(kWidth, kHeight, static_cast<int>(frame.index), PixelFormat::Rgb24);
    double error = 0;
    int count = 0;
    for (int y = kFrameCodeHeightForTest; y < kHeight; ++y)
      for (int x = 0; x < kWidth * 3; ++x, ++count)
        error += std::abs(int(frame.row(y)[x]) - int(original[y * kWidth * 3 + x]));
    EXPECT_LT(error / count, 12.0) << "frame " << frame.index;
  }
}

}  // namespace

TEST(VideoWriter, WritesH264ThatDecodesWithFrameCodesInOrder) {
  expect_round_trip("auto", "libx264", "auto.mp4");
}

TEST(VideoWriter, Mpeg4FallbackDecodesWithFrameCodes) {
  expect_round_trip("mpeg4", "mpeg4", "fallback.mp4");
}

TEST(VideoWriter, MatroskaContainerChosenFromExtension) {
  expect_round_trip("libx264", "libx264", "clip.mkv");
}

TEST(VideoWriter, BgrAndGrayInputKeepColours) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const auto dir = fresh_dir("colours");
  constexpr int kWidth = 128, kHeight = 64;
  {
    VideoWriter writer(dir / "bgr.mp4",
                       {.width = kWidth, .height = kHeight, .input_format = PixelFormat::Bgr24});
    std::vector<std::uint8_t> red_bgr(kWidth * kHeight * 3);
    for (std::size_t i = 0; i < red_bgr.size(); i += 3)
      red_bgr[i + 2] = 220;  // B=0 G=0 R=220
    for (int i = 0; i < 3; ++i)
      writer.write(red_bgr.data(), kWidth * 3);
    writer.close();
  }
  {
    VideoWriter writer(dir / "gray.mp4",
                       {.width = kWidth, .height = kHeight, .input_format = PixelFormat::Gray8});
    Frame frame;
    frame.width = kWidth;
    frame.height = kHeight;
    frame.stride = kWidth + 16;  // padded rows must be honoured
    frame.pixel_format = PixelFormat::Gray8;
    frame.data.assign(static_cast<std::size_t>(frame.stride) * kHeight, 150);
    for (int i = 0; i < 3; ++i)
      writer.write(frame);
    writer.close();
  }
  const auto red = decode_with_cli(dir / "bgr.mp4", kWidth, kHeight);
  ASSERT_EQ(red.size(), 3u);
  const auto* px = red[1].row(kHeight / 2) + (kWidth / 2) * 3;
  EXPECT_GT(px[0], 180);
  EXPECT_LT(px[1], 40);
  EXPECT_LT(px[2], 40);
  const auto gray = decode_with_cli(dir / "gray.mp4", kWidth, kHeight);
  ASSERT_EQ(gray.size(), 3u);
  const auto* g = gray[2].row(10) + 10 * 3;
  EXPECT_NEAR(g[0], 150, 6);
  EXPECT_NEAR(g[1], 150, 6);
  EXPECT_NEAR(g[2], 150, 6);
}

TEST(VideoWriter, FailedWriteLeavesNoFileBehind) {
  const auto dir = fresh_dir("failed");
  const auto path = dir / "broken.mp4";
  VideoWriter writer(path, {.width = 96, .height = 64});
  const auto pixels = make_frame(96, 64, 0, PixelFormat::Rgb24);
  writer.write(pixels.data(), 96 * 3);
  EXPECT_THROW(writer.write(pixels.data(), 10), teamor::IoError);  // stride shorter than a row
  try {
    writer.close();
    FAIL() << "close() after a failed write must throw";
  } catch (const teamor::IoError& e) {
    EXPECT_EQ(e.file(), path.string());
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(files_in(dir).empty());
}

TEST(VideoWriter, WriterDestroyedByAnExceptionPublishesNothing) {
  const auto dir = fresh_dir("unwound");
  const auto path = dir / "partial.mp4";
  try {
    VideoWriter writer(path, {.width = 96, .height = 64});
    const auto pixels = make_frame(96, 64, 0, PixelFormat::Rgb24);
    writer.write(pixels.data(), 96 * 3);
    throw std::runtime_error("work cancelled half-way");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(files_in(dir).empty());
}

TEST(VideoWriter, WriterDestroyedNormallyFinishesTheFile) {
  if (!has_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  const auto dir = fresh_dir("destroyed");
  const auto path = dir / "done.mp4";
  {
    VideoWriter writer(path, {.width = 96, .height = 64});
    for (int i = 0; i < 5; ++i) {
      const auto pixels = make_frame(96, 64, i, PixelFormat::Rgb24);
      writer.write(pixels.data(), 96 * 3);
    }
  }
  EXPECT_EQ(decode_with_cli(path, 96, 64).size(), 5u);
}

TEST(VideoWriter, ErrorsNameThePath) {
  const auto missing = fs::temp_directory_path() / "teamor_no_such_folder_xyz" / "out.mp4";
  try {
    VideoWriter writer(missing, {.width = 96, .height = 64});
    FAIL() << "expected IoError";
  } catch (const teamor::IoError& e) {
    EXPECT_EQ(e.file(), missing.string());
  }
  const auto dir = fresh_dir("errors");
  EXPECT_THROW(VideoWriter(dir / "odd.mp4", {.width = 97, .height = 64}), teamor::ConfigError);
  EXPECT_THROW(VideoWriter(dir / "codec.mp4", {.codec = "vp9000"}), teamor::ConfigError);
  EXPECT_THROW(VideoWriter(dir / "rate.mp4", {.fps = 0}), teamor::ConfigError);
  EXPECT_THROW(VideoWriter(dir / "noext.unknownext", {}), teamor::IoError);
  EXPECT_TRUE(files_in(dir).empty());
}
