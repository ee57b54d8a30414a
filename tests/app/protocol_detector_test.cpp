// The facade end to end on rendered recordings: overlapped decoding and features with bounded
// queues, the network, cancellation, missing views and mismatched features.
#include "detector/protocol_detector.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/error.h"
#include "io/clip_sampler.h"
#include "io/video_reader.h"
#include "tests/app/test_dirs.h"
#include "tests/app/test_model.h"

namespace teamor::detector {
namespace {

namespace fs = std::filesystem;
using namespace teamor::app::testing;

/// One rendered recording and one random bundle shared by the tests of this file.
class ProtocolDetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("teamor_protocol_detector_" + std::to_string(::getpid()));
    fs::create_directories(root_);
    manifest_ = render_small_recording(root_ / "rec", 11);
    make_random_bundle(root_ / "bundle", io::Recording::open(manifest_).views);
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static fs::path root_, manifest_;
};
fs::path ProtocolDetectorTest::root_, ProtocolDetectorTest::manifest_;

TEST_F(ProtocolDetectorTest, DetectsWithBoundedQueuesAndOneRowPerClip) {
  const ProtocolDetector detector(root_ / "bundle", {.queue_clips = 2});
  const auto recording = io::Recording::open(manifest_);
  std::atomic<int> reports{0};
  double last_done = 0;
  const auto result = detector.detect(recording, [&](const Progress& p) {
    ++reports;
    if (p.stage == "features") {
      EXPECT_GE(p.done, last_done);  // clips arrive in order
      last_done = p.done;
    }
  });
  const io::VideoReader first(recording.views[0].path);
  const double duration = first.info().duration_s;
  const auto expected_clips = io::ClipSampler(detector.grid()).clip_count(duration);
  EXPECT_EQ(result.stats.clips, expected_clips);
  EXPECT_GT(result.stats.clips, 10);
  EXPECT_LE(result.stats.max_queued_clips, 2u);  // the bound held
  EXPECT_GE(reports.load(), expected_clips);
  EXPECT_EQ(detector.labels(), (std::vector<std::string>{"Time-out", "StOP?"}));
  EXPECT_EQ(result.predictions.recording_id, "rec11");
  EXPECT_EQ(result.predictions.media.size(), 3u);
  for (const auto& s : result.predictions.segments) {
    EXPECT_TRUE(s.label == "Time-out" || s.label == "StOP?") << s.label;
    EXPECT_GE(s.start_s, 0);
    EXPECT_GT(s.end_s, s.start_s);
    EXPECT_LE(s.end_s, duration + 1e-6);
    ASSERT_TRUE(s.score.has_value());
    EXPECT_EQ(s.source, annotations::Source::Prediction);
  }
  // Two steps give what one gives: features are a pure function of the recording.
  const auto features = detector.extract_features(recording);
  EXPECT_EQ(features.T, result.stats.clips);
  EXPECT_EQ(features.C, detector.input_dim());
  const auto again = detector.detect_features(features, "rec11", result.stats.media_duration_s);
  ASSERT_EQ(again.segments.size(), result.predictions.segments.size());
  for (std::size_t i = 0; i < again.segments.size(); ++i) {
    EXPECT_NEAR(again.segments[i].start_s, result.predictions.segments[i].start_s, 1e-9);
    EXPECT_NEAR(*again.segments[i].score, *result.predictions.segments[i].score, 1e-6);
  }
}

TEST_F(ProtocolDetectorTest, CancelStopsTheThreadsAndThrows) {
  const ProtocolDetector detector(root_ / "bundle", {.queue_clips = 1});
  CancelToken cancel;
  int clips_seen = 0;
  EXPECT_THROW(detector.detect(
                   io::Recording::open(manifest_),
                   [&](const Progress& p) {
                     if (p.stage == "features" && ++clips_seen == 3) cancel.cancel();
                   },
                   &cancel),
               CancelledError);
  EXPECT_EQ(clips_seen, 3);  // stopped at the next clip, not at the end
}

TEST_F(ProtocolDetectorTest, MissingViewDegradesAndNoViewFails) {
  const ProtocolDetector detector(root_ / "bundle");
  auto recording = io::Recording::open(manifest_);
  recording.views[1].path = root_ / "nowhere.mp4";
  const auto result = detector.detect(recording);
  EXPECT_GT(result.stats.clips, 10);
  ASSERT_EQ(result.stats.warnings.size(), 1u);
  EXPECT_NE(result.stats.warnings[0].find("nowhere.mp4"), std::string::npos)
      << result.stats.warnings[0];

  for (auto& view : recording.views)
    view.path = root_ / "nowhere.mp4";
  EXPECT_THROW(detector.detect(recording), IoError);
}

TEST_F(ProtocolDetectorTest, FeaturesOfAnotherWidthAreAModelError) {
  const ProtocolDetector detector(root_ / "bundle");
  features::FeatureSequence wrong;
  wrong.grid = detector.grid();
  wrong.append(std::vector<float>(static_cast<std::size_t>(detector.input_dim() + 3), 0.f));
  EXPECT_THROW(detector.detect_features(wrong, "x"), ModelError);
}

TEST_F(ProtocolDetectorTest, MissingBundleIsAnIoError) {
  EXPECT_THROW(ProtocolDetector(root_ / "no-bundle"), IoError);
  EXPECT_THROW(read_feature_setup(root_ / "no-bundle"), IoError);
}

}  // namespace
}  // namespace teamor::detector
