// MultiViewPlayer on a synthetic recording: what a tile shows after seeks, frame steps and playback
// is the frame the clock asks for (checked with the frame code stamped into the ceiling views), and
// a view that cannot be played says why while the others play.

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <fstream>

#include "io/recording.h"
#include "tests/ui/ui_test_support.h"
#include "ui/player/multi_view_player.h"

namespace teamor::ui {
namespace {

/// Frame index view @p v must show at timeline time @p t: the last frame at or before t + offset.
std::int64_t expected_index(const MultiViewPlayer& p, int v, double t, double fps) {
  return static_cast<std::int64_t>(std::floor((t + p.offset_s(v)) * fps + 1e-6));
}

class PlayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rec_ = &test::synth_recording();
    player_.resize(800, 500);
    player_.show();
    player_.set_recording(io::Recording::open(rec_->dir));
    ASSERT_EQ(player_.view_count(), 3);
  }
  /// Waits until every view shows the frames of the last seek.
  void wait_ready() {
    ASSERT_TRUE(test::wait_for([this] { return player_.frames_ready(); }));
    player_.tick();
  }
  void expect_ceiling_views_at(double t) {
    for (int v = 0; v < 2; ++v) {  // views 0 and 1 are ceiling cameras with frame codes
      ASSERT_TRUE(player_.tile(v)->frame()) << "view " << v;
      const auto code = test::frame_code(player_.tile(v)->frame()->image);
      ASSERT_TRUE(code.has_value()) << "view " << v << " at " << t;
      EXPECT_EQ(static_cast<std::int64_t>(*code), expected_index(player_, v, t, rec_->fps))
          << "view " << v << " at t=" << t;
    }
  }
  const test::SynthRecording* rec_ = nullptr;
  MultiViewPlayer player_;
};

TEST_F(PlayerTest, SeeksShowTheFrameOfTheClockInEveryView) {
  for (double t : {0.0, 12.34, 47.0, 3.01, 30.5, 29.9}) {  // forward, far, back, near
    player_.seek(t);
    wait_ready();
    EXPECT_NEAR(player_.position(), t, 1e-9);
    expect_ceiling_views_at(t);
  }
}

TEST_F(PlayerTest, FrameStepsMoveExactlyOneFrame) {
  player_.seek(10.0);
  wait_ready();
  const auto start = *test::frame_code(player_.tile(0)->frame()->image);
  for (int i = 1; i <= 3; ++i) {
    player_.step_frames(1);
    wait_ready();
    EXPECT_EQ(*test::frame_code(player_.tile(0)->frame()->image), start + i);
  }
  player_.step_frames(-1);
  wait_ready();
  EXPECT_EQ(*test::frame_code(player_.tile(0)->frame()->image), start + 2);
  EXPECT_EQ(player_.focused_frame_index(), static_cast<std::int64_t>(start + 2));
}

TEST_F(PlayerTest, PlaybackKeepsViewsOnOneClockAfterSpeedChanges) {
  player_.seek(5.0);
  wait_ready();
  player_.set_speed(2.0);
  player_.play();
  QTest::qWait(600);
  player_.set_speed(0.5);
  QTest::qWait(300);
  player_.pause();
  const double t = player_.position();
  EXPECT_GT(t, 5.5);  // it moved (no timing asserted beyond that)
  player_.seek(t);    // re-show exactly the paused time, then all views agree with the clock
  wait_ready();
  expect_ceiling_views_at(t);
}

TEST(MultiViewPlayer, UnplayableViewSaysWhyWhileOthersPlay) {
  const auto& rec = test::synth_recording();
  const auto dir = test::fresh_dir("player_bad_view");
  std::ofstream(dir / "broken.mp4") << "this is not a video";
  io::Recording r = io::Recording::open(rec.dir);
  r.views.push_back({"broken", dir / "broken.mp4", io::ViewRole::Ceiling, 0.0});
  MultiViewPlayer player;
  player.show();
  player.set_recording(r);
  ASSERT_EQ(player.view_count(), 4);
  EXPECT_EQ(player.decoder(3), nullptr);
  EXPECT_TRUE(player.tile(3)->message().contains("broken"))
      << player.tile(3)->message().toStdString();
  player.seek(20.0);
  ASSERT_TRUE(test::wait_for([&] { return player.frames_ready(); }));
  player.tick();
  ASSERT_TRUE(player.tile(0)->frame());
  EXPECT_EQ(static_cast<std::int64_t>(*test::frame_code(player.tile(0)->frame()->image)),
            expected_index(player, 0, 20.0, rec.fps));
}

}  // namespace
}  // namespace teamor::ui
