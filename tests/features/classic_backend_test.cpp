// The classic backend on rendered rooms: it must tell an empty room, people working (walking) and
// the team gathered and standing still apart.
#include <gtest/gtest.h>

#include <map>

#include "common/error.h"
#include "features/feature_extractor.h"
#include "tests/features/scene_frames.h"

namespace teamor::features {
namespace {

using test::RoomScene;
using test::SceneMode;

std::vector<io::View> one_ceiling_view() {
  return {{"ceiling1", "cam1.mp4", io::ViewRole::Ceiling, 0}};
}

struct PhaseStats {
  std::map<std::string, double> mean;
};

/// Runs a one-view recording through the classic backend phase by phase; returns per-phase means of
/// every channel, skipping each phase's first clip (the transition).
std::vector<PhaseStats> run_phases(const std::vector<std::pair<SceneMode, int>>& phases) {
  BackendConfig config;
  config.fusion.endoscope = false;
  auto fx = FeatureExtractor::create(config, {});
  const auto views = one_ceiling_view();
  fx->begin(views);
  const auto names = fx->channel_names(views);
  RoomScene scene(320, 180);
  std::vector<PhaseStats> out;
  for (const auto& [mode, clips] : phases) {
    PhaseStats stats;
    for (int c = 0; c < clips; ++c) {
      ClipFrames clip = {scene.frames(mode, 32)};
      const auto v = fx->extract_clip(clip);
      EXPECT_EQ(v.size(), names.size());
      if (c == 0) continue;
      for (std::size_t i = 0; i < v.size(); ++i)
        stats.mean[names[i]] += v[i] / (clips - 1);
    }
    out.push_back(stats);
  }
  return out;
}

TEST(ClassicBackend, SeparatesEmptyWorkingAndGatheredStill) {
  const auto p = run_phases({{SceneMode::Empty, 8},
                             {SceneMode::Working, 6},
                             {SceneMode::Still, 6},
                             {SceneMode::Empty, 4}});
  const auto& empty = p[0].mean;
  const auto& working = p[1].mean;
  const auto& still = p[2].mean;
  const auto& empty_again = p[3].mean;
  for (const auto* m : {&empty, &working, &still, &empty_again}) {
    for (const auto& [name, value] : *m)
      EXPECT_TRUE(std::isfinite(value)) << name;
  }
  // People present: the background model sees them whether they move or not.
  EXPECT_LT(empty.at("ceiling.fg.occupancy"), 0.01);
  EXPECT_LT(empty_again.at("ceiling.fg.occupancy"), 0.01);
  EXPECT_GT(working.at("ceiling.fg.occupancy"), 0.015);  // 4 blobs: 2.1 % of the image
  EXPECT_GT(still.at("ceiling.fg.occupancy"), 0.015);
  EXPECT_GT(still.at("ceiling.fg.blobs"), 0.2);  // about 4 people / 10
  EXPECT_LT(empty.at("ceiling.fg.blobs"), 0.05);
  // Motion: high while working, near zero when still or empty.
  EXPECT_GT(working.at("ceiling.flow.moving"), 5 * still.at("ceiling.flow.moving"));
  EXPECT_GT(working.at("ceiling.motion.diff_active"), 5 * still.at("ceiling.motion.diff_active"));
  EXPECT_LT(empty.at("ceiling.motion.diff_active"), 0.002);
  // Stillness of the people present.
  EXPECT_GT(still.at("ceiling.fg.still_ratio"), 0.8);
  EXPECT_LT(working.at("ceiling.fg.still_ratio"), still.at("ceiling.fg.still_ratio") - 0.3);
  EXPECT_GT(still.at("ceiling.fg.still_occupancy"), 0.015);
  EXPECT_GT(still.at("ceiling.fg.persistence"), 0.7);
  EXPECT_LT(working.at("ceiling.fg.persistence"), still.at("ceiling.fg.persistence") - 0.3);
  // Gathered round the middle: compact and centred.
  EXPECT_NEAR(still.at("ceiling.fg.centroid_x"), 0.5, 0.1);
  EXPECT_NEAR(still.at("ceiling.fg.centroid_y"), 0.5, 0.1);
  // One view, always there.
  EXPECT_NEAR(still.at("ceiling.present"), 1.0, 1e-6);
}

TEST(ClassicBackend, ColourCuesSeparateTissueFromRoom) {
  BackendConfig config;
  auto fx = FeatureExtractor::create(config, {});
  std::vector<io::View> views = {{"ceiling1", "c.mp4", io::ViewRole::Ceiling, 0},
                                 {"endo", "e.mp4", io::ViewRole::Endoscope, 0}};
  fx->begin(views);
  RoomScene scene(320, 180);
  // Endoscope: a pink-red disc on black, as the laparoscope shows tissue inside the patient.
  std::vector<std::optional<io::Frame>> endo;
  for (int k = 0; k < 32; ++k) {
    test::Blob tissue{160, 90, 0, 0, 80, 80, 200, 60, 70};
    io::Frame f = test::render_frame(320, 180, {tissue}, k);
    for (int y = 0; y < 180; ++y)
      for (int x = 0; x < 320; ++x) {
        const double dx = (x - 160) / 80.0, dy = (y - 90) / 80.0;
        if (dx * dx + dy * dy > 1.0) std::fill_n(f.row(y) + 3 * x, 3, std::uint8_t{0});
      }
    endo.emplace_back(std::move(f));
  }
  const auto v = fx->extract_clip({scene.frames(SceneMode::Empty, 32), endo});
  const auto names = fx->channel_names(views);
  auto at = [&](const std::string& n) {
    const auto it = std::find(names.begin(), names.end(), n);
    EXPECT_NE(it, names.end()) << n;
    return v[it - names.begin()];
  };
  EXPECT_GT(at("endoscope.color.red_fraction"), 0.3);
  EXPECT_GT(at("endoscope.color.dark_fraction"), 0.3);
  EXPECT_LT(at("ceiling.color.red_fraction"), 0.01);
  EXPECT_LT(at("ceiling.color.dark_fraction"), 0.01);
  EXPECT_EQ(at("endoscope.present"), 1.0f);
}

TEST(ClassicBackend, DefaultsAreFourFramesAt128x72) {
  // The pipeline's speed target rests on these (bench/README.md, "pipeline"); models/default
  // was trained with them.
  BackendConfig config;
  auto fx = FeatureExtractor::create(config, {});
  EXPECT_EQ(fx->frames_per_clip(), 4);
  EXPECT_EQ(fx->frame_indices({}), (std::vector<int>{0, 8, 16, 24}));
  EXPECT_EQ(fx->input_format(), (io::FrameFormat{128, 72, io::PixelFormat::Rgb24}));
}

TEST(ClassicBackend, RejectsUnknownAndImpossibleSettings) {
  BackendConfig config;
  config.settings = {{"widht", 100}};
  EXPECT_THROW(FeatureExtractor::create(config, {}), ConfigError);
  config.settings = {{"width", 4}};
  EXPECT_THROW(FeatureExtractor::create(config, {}), ConfigError);
  config.settings = {{"frames_per_clip", "eight"}};
  EXPECT_THROW(FeatureExtractor::create(config, {}), ConfigError);
}

TEST(ClassicBackend, AcceptsAnyFrameSizeAndLayout) {
  BackendConfig config;
  config.fusion.endoscope = false;
  config.settings = {{"frames_per_clip", 6}, {"width", 160}, {"height", 90}};
  auto fx = FeatureExtractor::create(config, {});
  EXPECT_EQ(fx->frames_per_clip(), 6);
  EXPECT_EQ(fx->frame_indices({}), (std::vector<int>{0, 5, 10, 16, 21, 26}));
  EXPECT_EQ(fx->input_format(), (io::FrameFormat{160, 90, io::PixelFormat::Rgb24}));
  fx->begin(one_ceiling_view());
  RoomScene scene(97, 61);
  auto frames = scene.frames(SceneMode::Working, 6);  // already sampled: 6 frames
  for (auto& f : frames) {                            // as grey frames
    io::Frame g;
    g.width = f->width;
    g.height = f->height;
    g.stride = f->width + 3;  // padded rows
    g.pixel_format = io::PixelFormat::Gray8;
    g.data.assign(static_cast<std::size_t>(g.stride) * g.height, 0);
    for (int y = 0; y < g.height; ++y)
      for (int x = 0; x < g.width; ++x)
        g.row(y)[x] = f->row(y)[3 * x + 1];
    f = g;
  }
  const auto v = fx->extract_clip({frames});
  ASSERT_EQ(static_cast<int>(v.size()), fx->dimension(one_ceiling_view()));
  for (float x : v)
    EXPECT_TRUE(std::isfinite(x));
  EXPECT_EQ(v.back(), 1.0f);  // present
}

}  // namespace
}  // namespace teamor::features
