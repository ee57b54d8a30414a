// MultiViewReader on a recording of three coded views: different lengths, offsets and one 25 fps
// view.
#include "io/multi_view_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "io/frame_code.h"
#include "tests/io/video_fixtures.h"

namespace {

using teamor::io::ClipSampler;
using teamor::io::Frame;
using teamor::io::PixelFormat;
using teamor::io::Recording;
using teamor::io::View;
using teamor::io::ViewRole;
using teamor::io::testing::CodedVideoSpec;
using teamor::io::testing::TempDir;
namespace testing = teamor::io::testing;
using MultiViewReaderClass = teamor::io::MultiViewReader;

/// Views: "full" 30 fps, 10 s, offset 0; "short" 30 fps, 5 s, offset +1 s (its frame at timeline t
/// is at view time t + 1); "late" 25 fps, 10 s, offset -2 s (starts at timeline 2 s).
class MultiViewReader : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_ffmpeg_cli()) return;
    dir_ = std::make_unique<TempDir>("teamor-multi-view");
    CodedVideoSpec full;
    CodedVideoSpec short_view;
    short_view.frames = 150;
    CodedVideoSpec late;
    late.frames = 250;
    late.fps = 25;
    ASSERT_TRUE(testing::make_coded_video(dir_->path() / "full.mp4", full));
    ASSERT_TRUE(testing::make_coded_video(dir_->path() / "short.mp4", short_view));
    ASSERT_TRUE(testing::make_coded_video(dir_->path() / "late.mkv", late));
  }
  static void TearDownTestSuite() { dir_.reset(); }
  void SetUp() override { TEAMOR_REQUIRE_FFMPEG_CLI(); }

  static Recording recording() {
    Recording rec;
    rec.id = "three";
    rec.root = dir_->path();
    rec.views = {View{"full", dir_->path() / "full.mp4", ViewRole::Ceiling, 0.0},
                 View{"short", dir_->path() / "short.mp4", ViewRole::Ceiling, 1.0},
                 View{"late", dir_->path() / "late.mkv", ViewRole::Endoscope, -2.0}};
    return rec;
  }

  static teamor::io::MultiViewOptions gray() {
    teamor::io::MultiViewOptions options;
    options.format.pixel_format = PixelFormat::Gray8;
    return options;
  }

  /// The frame code of an optional frame, -1 for "no frame".
  static int code(const std::optional<Frame>& frame) {
    if (!frame) return -1;
    const auto c = teamor::io::read_frame_code(*frame);
    return c ? static_cast<int>(*c) : -2;
  }

  static inline std::unique_ptr<TempDir> dir_;
};

/// Last frame index at or before view time @p t of a view at @p fps with @p frames frames, -1 none.
int expected_frame(double t, double fps, int frames) {
  if (t < 0) return -1;
  const int k = static_cast<int>(std::floor(t * fps + 1e-9));
  return k < frames ? k : -1;
}

TEST_F(MultiViewReader, AppliesOffsetsAndGivesNoFrameOutsideAView) {
  MultiViewReaderClass views(recording(), gray());
  ASSERT_EQ(views.view_count(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_TRUE(views.view_error(i).empty());
  EXPECT_NEAR(views.duration_s(), 12.0, 1e-3);  // "late" ends at timeline 10 + 2
  ASSERT_NE(views.view_info(2), nullptr);
  EXPECT_NEAR(views.view_info(2)->nominal_fps, 25.0, 1e-9);

  // Forward, backward, far jumps and the spans where a view has nothing.
  for (double t : {0.0, 0.5, 0.52, 3.0, 4.5, 1.0, 3.99, 4.01, 9.9, 11.5, 2.0, 12.5, 0.1}) {
    SCOPED_TRACE("timeline " + std::to_string(t));
    const auto frames = views.frames_at(t);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(code(frames[0]), expected_frame(t, 30, 300));
    EXPECT_EQ(code(frames[1]), expected_frame(t + 1.0, 30, 150));
    EXPECT_EQ(code(frames[2]), expected_frame(t - 2.0, 25, 250));
    if (frames[0]) {
      EXPECT_EQ(frames[0]->width, 192);
      EXPECT_EQ(frames[0]->pixel_format, PixelFormat::Gray8);
    }
  }
}

TEST_F(MultiViewReader, ClipsLineUpAcrossFrameRatesByTimestamp) {
  MultiViewReaderClass views(recording(), gray());
  const ClipSampler sampler;  // 32 frames every 32 at 30 fps
  const std::int64_t clips = sampler.clip_count(views.duration_s());
  EXPECT_EQ(clips, 11);  // 12 s * 30 fps = 360 frames: (360 - 32) / 32 + 1
  for (std::int64_t g = 0; g < clips; ++g) {
    SCOPED_TRACE("clip " + std::to_string(g));
    const auto clip = views.clip(g, sampler);
    ASSERT_EQ(clip.size(), 3u);
    for (int k = 0; k < 32; ++k) {
      // Sampled at t_k + half a grid frame, the last frame at or before that.
      const double t = sampler.frame_time(g, k) + 0.5 / 30;
      ASSERT_EQ(clip[0].size(), 32u);
      EXPECT_EQ(code(clip[0][k]), expected_frame(t, 30, 300)) << "k " << k;
      EXPECT_EQ(code(clip[1][k]), expected_frame(t + 1.0, 30, 150)) << "k " << k;
      EXPECT_EQ(code(clip[2][k]), expected_frame(t - 2.0, 25, 250)) << "k " << k;
    }
  }
  // A 30 fps view on the 30 fps grid gives exactly frames g*32 .. g*32+31.
  const auto clip3 = views.clip(3, sampler);
  for (int k = 0; k < 32; ++k)
    EXPECT_EQ(code(clip3[0][k]), 96 + k);
  // Going back to an earlier clip works too.
  const auto clip1 = views.clip(1, sampler);
  EXPECT_EQ(code(clip1[0][0]), 32);
}

TEST_F(MultiViewReader, AViewThatCannotBeOpenedFailsAloneWithItsError) {
  Recording rec = recording();
  rec.views.push_back(View{"broken", dir_->path() / "missing-cam.mp4", ViewRole::Other, 0.0});
  MultiViewReaderClass views(rec, gray());
  ASSERT_EQ(views.view_count(), 4u);
  EXPECT_EQ(views.view_info(3), nullptr);
  EXPECT_NE(views.view_error(3).find("broken"), std::string::npos);
  EXPECT_NE(views.view_error(3).find("missing-cam.mp4"), std::string::npos);
  EXPECT_EQ(views.view(3).name, "broken");
  const auto frames = views.frames_at(2.5);
  EXPECT_EQ(code(frames[0]), 75);
  EXPECT_EQ(code(frames[1]), 105);
  EXPECT_EQ(code(frames[2]), 12);
  EXPECT_FALSE(frames[3].has_value());
}

}  // namespace
