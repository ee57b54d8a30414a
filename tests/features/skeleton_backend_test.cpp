// The skeleton backend: statistics and tracking on hand-made poses (always), and BodyPix poses on
// real footage plus a python-made graph model (skipped when the assets or python3-torch are
// absent).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "common/error.h"
#include "features/feature_extractor.h"
#include "features/skeleton_stats.h"
#include "io/video_reader.h"
#include "tests/features/footage_frames.h"

namespace teamor::features {
namespace {
namespace fs = std::filesystem;
using pose::Pose;

/// A standing person centred at (cx, cy) of height h (normalised), facing (fx, fy) in the image.
Pose person(float cx, float cy, float h, float fx = 0, float fy = 1) {
  Pose p;
  p.score = 0.8f;
  for (int k = 0; k < pose::kKeypoints; ++k) {
    // Keypoints spread from head (k = 0) to ankles (k = 16) along the body.
    p.keypoints[k] = {cx + 0.01f * ((k % 2) ? -1.0f : 1.0f), cy - h / 2 + h * k / 16.0f, 0.9f};
  }
  // Shoulders side by side, nose 2 % of the picture ahead of them in the facing direction.
  p.keypoints[5] = {cx - 0.02f, cy - h / 4, 0.9f};
  p.keypoints[6] = {cx + 0.02f, cy - h / 4, 0.9f};
  p.keypoints[0] = {cx + 0.02f * fx, cy - h / 4 + 0.02f * fy, 0.9f};
  return p;
}

float stat(const std::vector<float>& v, const std::string& name) {
  const auto names = skeleton::statistic_names();
  return v[std::find(names.begin(), names.end(), name) - names.begin()];
}

TEST(SkeletonStats, CountsTracksAndMeasuresSpeedAndFacing) {
  // Two people 0.2 apart facing each other and standing still; one walker crossing.
  std::vector<std::vector<Pose>> frames;
  for (int f = 0; f < 4; ++f)
    frames.push_back({person(0.4f, 0.5f, 0.3f, 1, 0), person(0.6f, 0.5f, 0.3f, -1, 0),
                      person(0.1f + 0.05f * f, 0.8f, 0.3f)});
  const auto tracks = skeleton::track(frames);
  ASSERT_EQ(tracks.size(), 3u);
  for (const auto& t : tracks)
    EXPECT_EQ(t.poses.size(), 4u);
  std::vector<float> v(skeleton::statistic_names().size());
  skeleton::statistics(frames, tracks, v.data());
  EXPECT_FLOAT_EQ(stat(v, "skel.people"), 0.3f);
  EXPECT_FLOAT_EQ(stat(v, "skel.people_max"), 0.3f);
  // Two of three people still; the walker moves 0.05 per step = 1/6 of his height.
  EXPECT_NEAR(stat(v, "skel.still_fraction"), 2.0 / 3.0, 1e-5);
  EXPECT_NEAR(stat(v, "skel.body_speed"), (0.05 / 0.3) / 3.0, 0.01);
  EXPECT_GT(stat(v, "skel.spread"), 0.1);

  // Facing: two people facing each other vs. turning their backs to each other.
  auto facing = [](float direction) {
    std::vector<std::vector<Pose>> f(
        2, {person(0.4f, 0.5f, 0.3f, direction, 0), person(0.6f, 0.5f, 0.3f, -direction, 0)});
    std::vector<float> out(skeleton::statistic_names().size());
    skeleton::statistics(f, skeleton::track(f), out.data());
    return stat(out, "skel.facing_group");
  };
  EXPECT_GT(facing(1), 0.7f);  // not 1: the group centre lies below the shoulders
  EXPECT_LT(facing(-1), -0.7f);

  // Nobody: zeros, centroid in the middle.
  std::vector<std::vector<Pose>> empty(4);
  std::vector<float> e(v.size(), -1.0f);
  skeleton::statistics(empty, skeleton::track(empty), e.data());
  EXPECT_EQ(stat(e, "skel.people"), 0.0f);
  EXPECT_EQ(stat(e, "skel.centroid_x"), 0.5f);
  EXPECT_EQ(stat(e, "skel.body_speed"), 0.0f);
}

TEST(SkeletonStats, GraphInputFollowsPreNormalize2D) {
  std::vector<std::vector<Pose>> frames = {
      {person(0.5f, 0.5f, 0.3f)}, {}, {person(0.5f, 0.5f, 0.3f)}};
  const auto tracks = skeleton::track(frames);
  const auto x = skeleton::graph_input(tracks, 3, 2);  // [1, 2, 3, 17, 3]
  ASSERT_EQ(x.size(), 2u * 3 * 17 * 3);
  // Person 0, frame 0, keypoint 5 (left shoulder at x 0.48): x' = 2 * 0.48 - 1.
  EXPECT_NEAR(x[(0 * 17 + 5) * 3], 2 * 0.48f - 1, 1e-6);
  EXPECT_NEAR(x[(0 * 17 + 5) * 3 + 2], 0.9f, 1e-6);
  // Frame 1 has no pose and person slot 1 is empty: (-1, -1, 0).
  for (std::size_t i : {std::size_t{(1 * 17 + 3) * 3}, std::size_t{((3 + 0) * 17 + 0) * 3}}) {
    EXPECT_EQ(x[i], -1.0f);
    EXPECT_EQ(x[i + 1], -1.0f);
    EXPECT_EQ(x[i + 2], 0.0f);
  }
}

const fs::path kBodyPix =
    fs::path(TEAMOR_SHARED_DIR) /
    "assets/models/bodypix-mobilenet050-s16/bodypix-mobilenet050-stride16-480x640.onnx";

using test::frames_at;

BackendConfig skeleton_config() {
  BackendConfig c;
  c.backend = "skeleton";
  c.fusion.endoscope = false;
  c.settings = {{"pose_model", kBodyPix.string()}};
  return c;
}

TEST(SkeletonBackend, FindsThePausingPersonAndNobodyInTheEmptyRoom) {
  const fs::path video =
      fs::path(TEAMOR_SHARED_DIR) / "assets/footage/one-by-one-person-detection.mp4";
  if (!fs::exists(kBodyPix) || !fs::exists(video)) GTEST_SKIP() << "assets absent";
  auto fx = FeatureExtractor::create(skeleton_config(), {});
  const std::vector<io::View> views = {{"cam", video, io::ViewRole::Ceiling, 0}};
  fx->begin(views);
  const auto names = fx->channel_names(views);
  auto at = [&](const std::vector<float>& v, const std::string& n) {
    return v[std::find(names.begin(), names.end(), "ceiling." + n) - names.begin()];
  };
  // Hand-labelled (real_footage_test.cpp): standing at the table 24-42 s, empty room 0-5 s.
  const auto pause =
      fx->extract_clip({frames_at(video, fx->input_format(), {30.0, 30.3, 30.6, 30.9})});
  const auto empty = fx->extract_clip({frames_at(video, fx->input_format(), {2.0, 2.3, 2.6, 2.9})});
  EXPECT_NEAR(at(pause, "skel.people"), 0.1f, 0.05f);  // one person
  EXPECT_GT(at(pause, "skel.still_fraction"), 0.6f);
  EXPECT_GT(at(pause, "skel.height"), 0.3f);  // fills half the picture's height
  EXPECT_EQ(at(empty, "skel.people"), 0.0f);
}

TEST(SkeletonBackend, CountsSeveralPedestrians) {
  const fs::path video = fs::path(TEAMOR_SOURCE_DIR) / "build/testdata/vtest.avi";
  if (!fs::exists(kBodyPix) || !fs::exists(video)) GTEST_SKIP() << "assets absent";
  auto fx = FeatureExtractor::create(skeleton_config(), {});
  const std::vector<io::View> views = {{"cam", video, io::ViewRole::Ceiling, 0}};
  fx->begin(views);
  // 56 s: seven people in the picture (counted by hand), some small and far away.
  const auto v = fx->extract_clip({frames_at(video, fx->input_format(), {56.0, 56.1, 56.2, 56.3})});
  const auto names = fx->channel_names(views);
  const float people =
      v[std::find(names.begin(), names.end(), "ceiling.skel.people") - names.begin()];
  EXPECT_GE(people, 0.3f);
  EXPECT_LE(people, 0.8f);
}

TEST(SkeletonBackend, EncodesTracksWithAGraphModel) {
  if (!fs::exists(kBodyPix)) GTEST_SKIP() << "BodyPix model absent";
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const fs::path dir = fs::temp_directory_path() / ("teamor_graph_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "make.py") << R"PY(
import sys, torch
class Graph(torch.nn.Module):
    def forward(self, x):  # [N, M, T, V, C]
        s = torch.tensor([x.shape[1], x.shape[2], x.shape[3], x.shape[4]], dtype=torch.float32)
        return torch.cat([s.expand(x.shape[0], 4), x[:, :, :, :, 2].sum(dim=(1, 2, 3)).unsqueeze(1)], dim=1)
torch.jit.script(Graph()).save(sys.argv[1])
)PY";
  const std::string cmd = "/usr/bin/python3 " + (dir / "make.py").string() + " " +
                          (dir / "graph.pt").string() + " > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "python3-torch unavailable";
  auto config = skeleton_config();
  config.settings["graph_model"] = "graph.pt";
  auto fx = FeatureExtractor::create(config, dir);
  EXPECT_EQ(fx->view_dimension(), 5);
  fx->begin({{"cam", "x.mp4", io::ViewRole::Ceiling, 0}});
  // Blank frames: no people, so all scores are 0; shape [1, 2, 4, 17, 3].
  io::Frame blank;
  blank.width = 64;
  blank.height = 36;
  blank.stride = 64 * 3;
  blank.data.assign(64 * 36 * 3, 128);
  const auto v = fx->extract_clip({{blank, blank, blank, blank}});
  EXPECT_EQ(std::vector<float>(v.begin(), v.begin() + 5), (std::vector<float>{2, 4, 17, 3, 0}));
  config.settings["graph_model"] = "missing.pt";
  EXPECT_THROW(FeatureExtractor::create(config, dir), IoError);
  fs::remove_all(dir);
}

TEST(SkeletonBackend, NeedsAPoseModel) {
  BackendConfig c;
  c.backend = "skeleton";
  EXPECT_THROW(FeatureExtractor::create(c, {}), ConfigError);
  c.settings = {{"pose_model", "/nonexistent/bodypix.onnx"}};
  EXPECT_THROW(FeatureExtractor::create(c, {}), IoError);
}

}  // namespace
}  // namespace teamor::features
