// The detector backend (YOLO-Fastest body, Darknet, OpenCV dnn) on real footage; skipped when the
// assets are absent.
#include <gtest/gtest.h>

#include "common/error.h"
#include "features/feature_extractor.h"
#include "io/video_reader.h"
#include "tests/features/footage_frames.h"

namespace teamor::features {
namespace {
namespace fs = std::filesystem;

const fs::path kModelDir = fs::path(TEAMOR_SHARED_DIR) / "assets/models/yolo-fastest-1.1-body";

BackendConfig detector_config() {
  BackendConfig c;
  c.backend = "detector";
  c.fusion.endoscope = false;
  c.settings = {{"cfg", "yolo-fastest-1.1_body.cfg"}, {"weights", "yolo-fastest-1.1_body.weights"}};
  return c;
}

using test::frames_at;

float channel(const FeatureExtractor& fx, const std::vector<io::View>& views,
              const std::vector<float>& v, const std::string& name) {
  const auto names = fx.channel_names(views);
  const auto it = std::find(names.begin(), names.end(), "ceiling." + name);
  EXPECT_NE(it, names.end()) << name;
  return v[it - names.begin()];
}

TEST(DetectorBackend, SeesThePausingPersonAndTheEmptyRoom) {
  const fs::path video =
      fs::path(TEAMOR_SHARED_DIR) / "assets/footage/one-by-one-person-detection.mp4";
  if (!fs::exists(kModelDir) || !fs::exists(video)) GTEST_SKIP() << "assets absent";
  auto fx = FeatureExtractor::create(detector_config(), kModelDir);
  const std::vector<io::View> views = {{"cam", video, io::ViewRole::Ceiling, 0}};
  fx->begin(views);
  // Hand-labelled (real_footage_test.cpp): standing at the table 94-117 s, empty room 88-91 s.
  const auto pause =
      fx->extract_clip({frames_at(video, fx->input_format(), {100, 100.3, 100.6, 100.9})});
  const auto empty =
      fx->extract_clip({frames_at(video, fx->input_format(), {89, 89.3, 89.6, 89.9})});
  EXPECT_NEAR(channel(*fx, views, pause, "det.people"), 0.1f, 0.05f);
  EXPECT_GT(channel(*fx, views, pause, "det.occupancy"), 0.05f);
  EXPECT_GT(channel(*fx, views, pause, "det.still_fraction"), 0.5f);
  EXPECT_EQ(channel(*fx, views, empty, "det.people"), 0.0f);
  EXPECT_EQ(channel(*fx, views, empty, "det.occupancy"), 0.0f);
}

TEST(DetectorBackend, CountsSeveralPedestrians) {
  const fs::path video = fs::path(TEAMOR_SOURCE_DIR) / "build/testdata/vtest.avi";
  if (!fs::exists(kModelDir) || !fs::exists(video)) GTEST_SKIP() << "assets absent";
  auto fx = FeatureExtractor::create(detector_config(), kModelDir);
  const std::vector<io::View> views = {{"cam", video, io::ViewRole::Ceiling, 0}};
  fx->begin(views);
  // 56 s: seven people in the picture (counted by hand), some small and far away.
  const auto v = fx->extract_clip({frames_at(video, fx->input_format(), {56.0, 56.1, 56.2, 56.3})});
  EXPECT_GE(channel(*fx, views, v, "det.people"), 0.3f);
  EXPECT_LE(channel(*fx, views, v, "det.people"), 0.9f);
}

TEST(DetectorBackend, ReportsMissingModelFiles) {
  auto c = detector_config();
  EXPECT_THROW(FeatureExtractor::create(c, "/nonexistent"), IoError);
  c.settings.erase("weights");
  EXPECT_THROW(FeatureExtractor::create(c, kModelDir), ConfigError);
}

}  // namespace
}  // namespace teamor::features
