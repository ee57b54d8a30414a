// VideoReader on real camera footage: every frame's time and the frame count agree with ffprobe.
// vtest.avi (Debian's opencv-doc, copied to build/testdata by scripts/install-deps.sh) and the
// shared people footage; each test skips when its file is absent.
#include <gtest/gtest.h>

#include <cmath>

#include "io/video_reader.h"
#include "tests/io/video_fixtures.h"

namespace {

namespace fs = std::filesystem;
using teamor::io::Frame;
using teamor::io::PixelFormat;
using teamor::io::VideoReader;
using teamor::io::VideoReaderOptions;
namespace testing = teamor::io::testing;

fs::path vtest_avi() {
  for (const fs::path& candidate : {fs::path(TEAMOR_BINARY_DIR) / "testdata/vtest.avi",
                                    fs::path(TEAMOR_SOURCE_DIR) / "build/testdata/vtest.avi"})
    if (fs::exists(candidate)) return candidate;
  return {};
}

fs::path people_footage() {
  const fs::path p = fs::path(TEAMOR_SHARED_DIR) / "assets/footage/one-by-one-person-detection.mp4";
  return fs::exists(p) ? p : fs::path{};
}

/// Decodes all of @p path (small gray frames, to keep it quick) and compares with ffprobe.
void expect_agrees_with_ffprobe(const fs::path& path, int width, int height) {
  const std::vector<double> probe = testing::ffprobe_frame_times(path);
  const double start = testing::ffprobe_start_time(path);
  ASSERT_FALSE(probe.empty());

  VideoReaderOptions options;
  options.format = {64, 0, PixelFormat::Gray8};
  options.measure_frames = true;
  VideoReader reader(path, options);
  EXPECT_EQ(reader.info().width, width);
  EXPECT_EQ(reader.info().height, height);
  EXPECT_EQ(reader.info().frame_count, static_cast<std::int64_t>(probe.size()));
  EXPECT_NEAR(reader.info().start_time_s, start, 1e-6);

  Frame frame;
  std::size_t i = 0;
  while (reader.read(frame)) {
    ASSERT_LT(i, probe.size());
    ASSERT_NEAR(frame.time_s, probe[i] - start, 1e-6) << "frame " << i;
    ASSERT_EQ(frame.index, static_cast<std::int64_t>(i));
    ++i;
  }
  EXPECT_EQ(i, probe.size());
  EXPECT_FALSE(reader.stopped_early()) << reader.stop_reason();

  // Frame-exact seeks by ffprobe's times, backwards and forwards.
  for (std::size_t k : {probe.size() / 2, probe.size() / 7, probe.size() - 2, std::size_t{1}}) {
    reader.seek(probe[k] - start);
    ASSERT_TRUE(reader.read(frame));
    EXPECT_EQ(frame.index, static_cast<std::int64_t>(k));
    EXPECT_NEAR(frame.time_s, probe[k] - start, 1e-6);
  }
}

TEST(RealFootage, VtestAviAgreesWithFfprobe) {
  TEAMOR_REQUIRE_FFMPEG_CLI();
  const fs::path path = vtest_avi();
  if (path.empty()) GTEST_SKIP() << "vtest.avi not found (run scripts/install-deps.sh)";
  expect_agrees_with_ffprobe(path, 768, 576);
}

TEST(RealFootage, SharedPeopleFootageAgreesWithFfprobe) {
  TEAMOR_REQUIRE_FFMPEG_CLI();
  const fs::path path = people_footage();
  if (path.empty()) GTEST_SKIP() << "shared footage not found under " << TEAMOR_SHARED_DIR;
  expect_agrees_with_ffprobe(path, 768, 432);
}

}  // namespace
