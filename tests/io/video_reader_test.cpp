// VideoReader on videos made in the test with the ffmpeg CLI; every frame's corner code says which
// frame the reader really returned.
#include "io/video_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <random>

#include "common/error.h"
#include "io/frame_code.h"
#include "tests/io/video_fixtures.h"

namespace {

using namespace teamor::io;  // NOLINT: the fixture below is named after the class it tests
using teamor::IoError;
using teamor::io::testing::CodedVideoSpec;
using teamor::io::testing::TempDir;
namespace testing = teamor::io::testing;
using VideoReaderClass = teamor::io::VideoReader;

constexpr double kFps = 30;
constexpr int kFrames = 300;

/// Named like the class so tests read VideoReader.<Behaviour>.
class VideoReader : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_ffmpeg_cli()) return;
    dir_ = std::make_unique<TempDir>("teamor-video-reader");
    coded_ = dir_->path() / "coded.mp4";
    ASSERT_TRUE(testing::make_coded_video(coded_));
  }
  static void TearDownTestSuite() { dir_.reset(); }
  void SetUp() override { TEAMOR_REQUIRE_FFMPEG_CLI(); }

  static VideoReaderOptions gray() {
    VideoReaderOptions options;
    options.format.pixel_format = PixelFormat::Gray8;
    return options;
  }

  /// Reads one frame and checks that its code, index and time are those of frame @p expected.
  static void expect_next(VideoReaderClass& reader, int expected, double fps = kFps) {
    Frame frame;
    ASSERT_TRUE(reader.read(frame)) << "expected frame " << expected << ", got the end";
    const auto code = read_frame_code(frame);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, static_cast<std::uint32_t>(expected));
    EXPECT_EQ(frame.index, expected);
    EXPECT_NEAR(frame.time_s, expected / fps, 1e-3);
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::filesystem::path coded_;
};

TEST_F(VideoReader, ReportsStreamInfo) {
  VideoReaderClass reader(coded_);
  const VideoInfo& info = reader.info();
  EXPECT_EQ(info.codec, "h264");
  EXPECT_NE(info.container.find("mp4"), std::string::npos);
  EXPECT_EQ(info.width, 192);
  EXPECT_EQ(info.height, 108);
  EXPECT_NEAR(info.nominal_fps, kFps, 1e-9);
  EXPECT_EQ(info.frame_count, kFrames);
  EXPECT_NEAR(info.duration_s, kFrames / kFps, 1e-3);
  EXPECT_FALSE(info.variable_frame_rate);
  EXPECT_FALSE(info.measured_fps.has_value());
}

TEST_F(VideoReader, MeasuresFrameCountAndRateByScanningPackets) {
  VideoReaderOptions options;
  options.measure_frames = true;
  VideoReaderClass reader(coded_, options);
  EXPECT_EQ(reader.info().frame_count, kFrames);
  ASSERT_TRUE(reader.info().measured_fps.has_value());
  EXPECT_NEAR(*reader.info().measured_fps, kFps, 1e-6);
  EXPECT_FALSE(reader.info().variable_frame_rate);
}

TEST_F(VideoReader, ReadsEveryFrameInPresentationOrder) {
  VideoReaderClass reader(coded_, gray());
  Frame frame;
  int count = 0;
  while (reader.read(frame)) {
    ASSERT_EQ(read_frame_code(frame), std::optional<std::uint32_t>(count));
    ASSERT_EQ(frame.index, count);
    ASSERT_NEAR(frame.time_s, count / kFps, 1e-3);
    EXPECT_EQ(frame.key_frame, count % 24 == 0) << "frame " << count;
    ++count;
  }
  EXPECT_EQ(count, kFrames);
  EXPECT_FALSE(reader.stopped_early());
  EXPECT_TRUE(reader.stop_reason().empty());
  EXPECT_FALSE(reader.read(frame));  // stays at the end
}

TEST_F(VideoReader, ReadTimingDefersTheConversionOfTheLastTwoFrames) {
  VideoReaderClass timing(coded_, gray());
  VideoReaderClass full(coded_, gray());
  Frame previous, current, reference;
  ASSERT_TRUE(timing.read_timing(previous));
  EXPECT_TRUE(previous.pixels_pending);
  EXPECT_EQ(previous.index, 0);
  int count = 1;
  while (timing.read_timing(current)) {
    ASSERT_TRUE(current.pixels_pending);
    ASSERT_EQ(current.index, count);
    ASSERT_NEAR(current.time_s, count / kFps, 1e-3);
    if (count % 7 == 0) {
      // The frame before the last one read is still held, so it converts to its own picture.
      ASSERT_TRUE(timing.convert_pending(previous)) << "frame " << count - 1;
      EXPECT_FALSE(previous.pixels_pending);
      EXPECT_EQ(read_frame_code(previous), std::optional<std::uint32_t>(count - 1));
      EXPECT_TRUE(timing.convert_pending(previous));  // already converted: nothing to do
    }
    std::swap(previous, current);
    ++count;
  }
  EXPECT_EQ(count, kFrames);
  // Pixels equal those of read(), byte for byte.
  ASSERT_TRUE(timing.convert_pending(previous));
  full.seek((kFrames - 1) / kFps);
  ASSERT_TRUE(full.read(reference));
  EXPECT_FALSE(reference.pixels_pending);
  EXPECT_EQ(previous.data, reference.data);
}

TEST_F(VideoReader, ConvertPendingRefusesFramesNoLongerHeld) {
  VideoReaderClass reader(coded_, gray());
  Frame old, later;
  ASSERT_TRUE(reader.read_timing(old));
  ASSERT_TRUE(reader.read_timing(later));
  ASSERT_TRUE(reader.read_timing(later));  // `old` is now three frames back
  EXPECT_FALSE(reader.convert_pending(old));
  EXPECT_TRUE(old.pixels_pending);
  reader.seek(100 / kFps);  // a seek drops the held pictures
  EXPECT_FALSE(reader.convert_pending(later));
  ASSERT_TRUE(reader.read_timing(later));
  EXPECT_EQ(later.index, 100);
  ASSERT_TRUE(reader.convert_pending(later));
  EXPECT_EQ(read_frame_code(later), std::optional<std::uint32_t>(100));
}

TEST_F(VideoReader, SeeksExactlyForwardAndBackwardToFrameTimes) {
  VideoReaderClass reader(coded_, gray());
  for (int target : {150, 60, 61, 47, 48, 23, 24, 299, 0, 220, 219, 1}) {
    SCOPED_TRACE("seek to frame " + std::to_string(target));
    reader.seek(target / kFps);
    expect_next(reader, target);
  }
}

TEST_F(VideoReader, SeeksBetweenFrameTimesToTheNearestFrameByHalfAFrame) {
  VideoReaderClass reader(coded_, gray());
  for (int k : {10, 100, 37, 5, 250}) {
    SCOPED_TRACE("between frames " + std::to_string(k) + " and " + std::to_string(k + 1));
    reader.seek((k + 0.4) / kFps);  // within half a frame after k: frame k
    expect_next(reader, k);
    reader.seek((k + 0.6) / kFps);  // closer to k + 1
    expect_next(reader, k + 1);
  }
}

TEST_F(VideoReader, ContinuesSequentiallyAfterASeek) {
  VideoReaderClass reader(coded_, gray());
  reader.seek(4.0);
  for (int i = 120; i < 170; ++i)
    expect_next(reader, i);
  reader.seek(170.2 / kFps);  // a short hop forward decodes through
  for (int i = 170; i < 175; ++i)
    expect_next(reader, i);
}

TEST_F(VideoReader, SeeksNearAndPastTheEnd) {
  VideoReaderClass reader(coded_, gray());
  reader.seek(298 / kFps);
  expect_next(reader, 298);
  expect_next(reader, 299);
  Frame frame;
  EXPECT_FALSE(reader.read(frame));
  reader.seek(25.0);
  EXPECT_FALSE(reader.read(frame));
  EXPECT_FALSE(reader.stopped_early());
  reader.seek(-3.0);  // before the start: the first frame
  expect_next(reader, 0);
}

TEST_F(VideoReader, KeyframesOnlyDeliversJustTheKeyFrames) {
  VideoReaderOptions options = gray();
  options.keyframes_only = true;
  VideoReaderClass reader(coded_, options);
  Frame frame;
  std::vector<std::int64_t> indices;
  while (reader.read(frame)) {
    EXPECT_TRUE(frame.key_frame);
    EXPECT_EQ(read_frame_code(frame), std::optional<std::uint32_t>(frame.index));
    indices.push_back(frame.index);
  }
  std::vector<std::int64_t> expected;
  for (int i = 0; i < kFrames; i += 24)
    expected.push_back(i);
  EXPECT_EQ(indices, expected);
  EXPECT_FALSE(reader.stopped_early());
}

TEST_F(VideoReader, ConvertsToAnySizeAndLayoutIntoReusedBuffers) {
  VideoReaderClass reader(coded_);  // default: RGB at native size
  Frame frame;
  ASSERT_TRUE(reader.read(frame));
  EXPECT_EQ(frame.width, 192);
  EXPECT_EQ(frame.height, 108);
  EXPECT_EQ(frame.pixel_format, PixelFormat::Rgb24);
  EXPECT_EQ(frame.stride, 192 * 3);
  EXPECT_EQ(frame.data.size(), 192u * 108u * 3u);
  EXPECT_EQ(read_frame_code(frame), std::optional<std::uint32_t>(0));

  reader.set_format({96, 54, PixelFormat::Bgr24});
  ASSERT_TRUE(reader.read(frame));
  EXPECT_EQ(frame.width, 96);
  EXPECT_EQ(frame.height, 54);
  EXPECT_EQ(frame.pixel_format, PixelFormat::Bgr24);
  EXPECT_EQ(frame.data.size(), 96u * 54u * 3u);
  const auto* buffer = frame.data.data();
  ASSERT_TRUE(reader.read(frame));
  EXPECT_EQ(frame.data.data(), buffer) << "same size and layout must reuse the buffer";

  reader.set_format({64, 0, PixelFormat::Gray8});  // height follows the aspect ratio
  ASSERT_TRUE(reader.read(frame));
  EXPECT_EQ(frame.width, 64);
  EXPECT_EQ(frame.height, 36);
  EXPECT_EQ(frame.stride, 64);
  EXPECT_EQ(frame.index, 3);
}

TEST_F(VideoReader, BothScaleFiltersKeepTheImageContent) {
  auto mean = [](const Frame& f) {
    double sum = 0;
    for (auto v : f.data)
      sum += v;
    return sum / static_cast<double>(f.data.size());
  };
  Frame native, fast, smooth;
  VideoReaderClass(coded_, gray()).read(native);
  VideoReaderOptions options = gray();
  options.format.width = 48;
  options.format.height = 27;
  VideoReaderClass(coded_, options).read(fast);
  options.scale_filter = ScaleFilter::Smooth;
  VideoReaderClass(coded_, options).read(smooth);
  ASSERT_EQ(fast.data.size(), 48u * 27u);
  ASSERT_EQ(smooth.data.size(), 48u * 27u);
  EXPECT_NEAR(mean(fast), mean(native), 12.0);
  EXPECT_NEAR(mean(smooth), mean(native), 6.0);
  // The corner code's black quiet zone survives both (top-left 72x32 at native: 18x8 here).
  EXPECT_LT(fast.row(1)[1], 40);
  EXPECT_LT(smooth.row(1)[1], 40);
}

TEST_F(VideoReader, DeliversChannelsInTheRequestedOrder) {
  const auto red = dir_->path() / "red.mkv";
  ASSERT_EQ(std::system(("ffmpeg -v error -y -f lavfi -i color=c=red:s=64x48:r=10 -t 0.5 "
                         "-c:v libx264 -pix_fmt yuv444p " +
                         testing::quoted(red))
                            .c_str()),
            0);
  VideoReaderClass reader(red, {.format = {32, 24, PixelFormat::Rgb24}});
  Frame frame;
  ASSERT_TRUE(reader.read(frame));
  const std::uint8_t* p = frame.row(12) + 16 * 3;
  EXPECT_GT(p[0], 230);
  EXPECT_LT(p[2], 25);
  reader.set_format({32, 24, PixelFormat::Bgr24});
  ASSERT_TRUE(reader.read(frame));
  p = frame.row(12) + 16 * 3;
  EXPECT_LT(p[0], 25);
  EXPECT_GT(p[2], 230);
}

TEST_F(VideoReader, SeeksExactlyOnVariableFrameRate) {
  // Drop 4 of every 10 frames and keep the survivors' times: irregular spacing, gaps of 5 frames.
  const auto vfr = dir_->path() / "vfr.mp4";
  CodedVideoSpec spec;
  spec.frames = 200;
  spec.output_args =
      "-vf select='not(between(mod(n\\,10)\\,3\\,6))' -fps_mode vfr " + spec.output_args;
  ASSERT_TRUE(testing::make_coded_video(vfr, spec));
  const std::vector<double> probe = testing::ffprobe_frame_times(vfr);
  const double start = testing::ffprobe_start_time(vfr);
  ASSERT_EQ(probe.size(), 120u);

  VideoReaderClass reader(vfr, gray());
  EXPECT_TRUE(reader.info().variable_frame_rate);
  Frame frame;
  std::size_t i = 0;
  while (reader.read(frame)) {
    ASSERT_LT(i, probe.size());
    const auto code = read_frame_code(frame);
    ASSERT_TRUE(code.has_value());
    EXPECT_NE(*code % 10, 3u);
    EXPECT_NEAR(frame.time_s, *code / kFps, 1e-3) << "frame with code " << *code;
    EXPECT_NEAR(frame.time_s, probe[i] - start, 1e-6) << "ffprobe frame " << i;
    EXPECT_EQ(frame.index, static_cast<std::int64_t>(i));
    ++i;
  }
  EXPECT_EQ(i, probe.size());

  VideoReaderOptions measured = gray();
  measured.measure_frames = true;
  const VideoReaderClass scanned(vfr, measured);
  EXPECT_EQ(scanned.info().frame_count, 120);
  EXPECT_TRUE(scanned.info().variable_frame_rate);
  ASSERT_TRUE(scanned.info().measured_fps.has_value());
  EXPECT_NEAR(*scanned.info().measured_fps, 119 / (probe.back() - probe.front()), 1e-3);

  // Seeks: the first frame at or after target - half a nominal frame, by ffprobe's times.
  const double half = 0.5 / reader.info().nominal_fps;
  for (double target : {4 / kFps, 5.5 / kFps, 57 / kFps, 150 / kFps, 2 / kFps, 0.0, 199 / kFps}) {
    SCOPED_TRACE("seek to " + std::to_string(target));
    std::size_t expected = 0;
    while (expected < probe.size() && probe[expected] - start < target - half - 1e-9)
      ++expected;
    reader.seek(target);
    ASSERT_TRUE(reader.read(frame));
    EXPECT_EQ(frame.index, static_cast<std::int64_t>(expected));
    EXPECT_NEAR(frame.time_s, probe[expected] - start, 1e-6);
    EXPECT_NEAR(frame.time_s, *read_frame_code(frame) / kFps, 1e-3);
  }
}

TEST_F(VideoReader, RemovesANonZeroStreamStart) {
  // Matroska shifted by 2.5 s, and MPEG-TS (whose muxer starts the clock at 1.4 s).
  const auto shifted = dir_->path() / "shifted.mkv";
  const auto ts = dir_->path() / "stream.ts";
  CodedVideoSpec spec;
  spec.frames = 90;
  CodedVideoSpec shifted_spec = spec;
  shifted_spec.output_args += " -output_ts_offset 2.5";
  ASSERT_TRUE(testing::make_coded_video(shifted, shifted_spec));
  ASSERT_TRUE(testing::make_coded_video(ts, spec));
  for (const auto& path : {shifted, ts}) {
    SCOPED_TRACE(path.filename().string());
    const double start = testing::ffprobe_start_time(path);
    const std::vector<double> probe = testing::ffprobe_frame_times(path);
    EXPECT_GT(start, 1.0);
    VideoReaderClass reader(path, gray());
    EXPECT_NEAR(reader.info().start_time_s, start, 1e-6);
    Frame frame;
    std::size_t i = 0;
    while (reader.read(frame)) {
      ASSERT_LT(i, probe.size());
      EXPECT_NEAR(frame.time_s, probe[i] - start, 1e-6);
      EXPECT_NEAR(frame.time_s, *read_frame_code(frame) / kFps, 1e-3);
      ++i;
    }
    EXPECT_EQ(i, probe.size());
    reader.seek(1.0);
    expect_next(reader, 30);
    reader.seek(0.5);
    expect_next(reader, 15);
  }
}

/// Copies the first @p fraction of a file.
std::filesystem::path truncated_copy(const std::filesystem::path& source,
                                     const std::filesystem::path& target, double fraction) {
  std::ifstream in(source, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream out(target, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() * fraction));
  return target;
}

TEST_F(VideoReader, TruncatedFileDecodesTheHeadThenReportsWhereItStopped) {
  // MP4 with its index up front (faststart) and Matroska: both open, and both lose their tail.
  const auto mp4 = dir_->path() / "faststart.mp4";
  const auto mkv = dir_->path() / "whole.mkv";
  CodedVideoSpec spec;
  CodedVideoSpec faststart = spec;
  faststart.output_args += " -movflags +faststart";
  ASSERT_TRUE(testing::make_coded_video(mp4, faststart));
  ASSERT_TRUE(testing::make_coded_video(mkv, spec));
  for (const auto& whole : {mp4, mkv}) {
    SCOPED_TRACE(whole.filename().string());
    const auto cut =
        truncated_copy(whole, dir_->path() / ("cut-" + whole.filename().string()), 0.5);
    VideoReaderClass reader(cut, gray());
    Frame frame;
    int count = 0;
    int exact = 0;
    while (reader.read(frame)) {
      if (read_frame_code(frame) == std::optional<std::uint32_t>(frame.index)) ++exact;
      ++count;
    }
    EXPECT_GT(count, 60);
    EXPECT_LT(count, kFrames);
    EXPECT_GE(exact, count - 2);  // at most the frames at the cut are damaged
    EXPECT_TRUE(reader.stopped_early());
    EXPECT_FALSE(reader.stop_reason().empty());
    Frame again;
    EXPECT_FALSE(reader.read(again));
    reader.seek(1.0);  // the head stays usable
    expect_next(reader, 30);
  }
}

TEST_F(VideoReader, SurvivesGarbageInTheMiddleOfTheFile) {
  const auto mkv = dir_->path() / "garbled.mkv";
  ASSERT_TRUE(testing::make_coded_video(mkv));
  {
    std::fstream file(mkv, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = std::filesystem::file_size(mkv);
    std::mt19937 rng(7);
    file.seekp(static_cast<std::streamoff>(size / 2));
    for (int i = 0; i < 4000; ++i)
      file.put(static_cast<char>(rng()));
  }
  VideoReaderClass reader(mkv, gray());
  Frame frame;
  int count = 0;
  int last_code = -1;
  while (reader.read(frame)) {
    ++count;
    if (auto code = read_frame_code(frame)) last_code = static_cast<int>(*code);
  }
  EXPECT_GT(count, 100);      // the head at least
  EXPECT_GT(last_code, 150);  // and decoding went on after the damage
}

TEST_F(VideoReader, RandomBytesThrowIoErrorNamingTheFile) {
  const auto junk = dir_->path() / "junk.mp4";
  {
    std::ofstream out(junk, std::ios::binary);
    std::mt19937 rng(42);
    for (int i = 0; i < 200000; ++i)
      out.put(static_cast<char>(rng()));
  }
  try {
    VideoReaderClass reader(junk);
    FAIL() << "random bytes opened as a video";
  } catch (const IoError& e) {
    EXPECT_EQ(e.file(), junk.string());
    EXPECT_FALSE(e.message().empty());
  }
}

TEST_F(VideoReader, MissingFileThrowsIoErrorNamingTheFile) {
  const auto missing = dir_->path() / "nowhere" / "cam9.mp4";
  try {
    VideoReaderClass reader(missing);
    FAIL() << "a missing file opened";
  } catch (const IoError& e) {
    EXPECT_EQ(e.file(), missing.string());
    EXPECT_NE(std::string(e.what()).find("cam9.mp4"), std::string::npos);
  }
}

TEST_F(VideoReader, FileWithoutVideoThrowsIoError) {
  const auto audio = dir_->path() / "tone.wav";
  ASSERT_EQ(
      std::system(("ffmpeg -v error -y -f lavfi -i sine=d=0.5 " + testing::quoted(audio)).c_str()),
      0);
  EXPECT_THROW(VideoReaderClass{audio}, IoError);
}

TEST_F(VideoReader, MovedReaderKeepsItsPosition) {
  VideoReaderClass first(coded_, gray());
  first.seek(2.0);
  expect_next(first, 60);
  VideoReaderClass second = std::move(first);
  expect_next(second, 61);
}

}  // namespace
