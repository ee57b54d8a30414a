// The classic backend on real camera footage: the people and stillness channels must respond where
// people stop. Pause times were labelled by hand (see each table's comment); the test skips when a
// video is absent (a fresh clone has no ../shared/assets and no build/testdata).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "features/feature_extractor.h"
#include "io/video_reader.h"

namespace teamor::features {
namespace {
namespace fs = std::filesystem;

struct Interval {
  double start_s, end_s;
};

/// Classic features of every whole clip of one video, decoded at the backend's working size and
/// sampled by timestamp on the 32-frame / 30 fps grid (the latest frame at or before each time).
FeatureSequence classic_sequence(const fs::path& video) {
  BackendConfig config;
  config.fusion.endoscope = false;
  auto fx = FeatureExtractor::create(config, {});
  const std::vector<io::View> views = {{"cam", video, io::ViewRole::Ceiling, 0}};
  const io::ClipGrid grid;
  fx->begin(views, grid);
  FeatureSequence seq = fx->make_sequence(views, grid);
  io::VideoReader reader(video, {.format = fx->input_format()});
  const auto indices = fx->frame_indices(grid);
  io::Frame current, next;
  bool have_next = reader.read(next);
  bool have_current = false;
  for (std::int64_t g = 0;; ++g) {
    std::vector<std::optional<io::Frame>> sampled;
    for (int k : indices) {
      const double t = (g * grid.stride + k + 0.5) / grid.fps;
      while (have_next && next.time_s <= t) {
        std::swap(current, next);
        have_current = true;
        have_next = reader.read(next);
      }
      sampled.emplace_back(have_current ? std::optional<io::Frame>(current) : std::nullopt);
    }
    if (!have_next) break;  // the clip's end lies past the last frame: not a whole clip
    seq.append(fx->extract_clip({sampled}));
  }
  return seq;
}

/// Mean of @p channel over the clips whose whole span lies inside one of @p intervals shrunk by
/// @p margin_s on both sides.
double mean_inside(const FeatureSequence& seq, const std::string& channel,
                   const std::vector<Interval>& intervals, double margin_s, int* count = nullptr) {
  const int c = seq.channel(channel);
  EXPECT_GE(c, 0) << channel;
  double sum = 0;
  int n = 0;
  const double half = seq.grid.clip_frames / (2.0 * seq.grid.fps);
  for (std::int64_t t = 0; t < seq.T; ++t) {
    const double mid = seq.time_s(t);
    for (const auto& iv : intervals) {
      if (mid - half >= iv.start_s + margin_s && mid + half <= iv.end_s - margin_s) {
        sum += seq.row(t)[c];
        ++n;
        break;
      }
    }
  }
  if (count) *count = n;
  return n ? sum / n : 0.0;
}

void dump(const FeatureSequence& seq) {
  if (!std::getenv("TEAMOR_FEATURES_DUMP")) return;
  for (std::int64_t t = 0; t < seq.T; ++t) {
    std::cout << seq.time_s(t);
    for (const char* name : {"ceiling.fg.occupancy", "ceiling.fg.still_ratio",
                             "ceiling.fg.still_occupancy", "ceiling.fg.moving_occupancy",
                             "ceiling.flow.moving", "ceiling.fg.blobs", "ceiling.fg.persistence"})
      std::cout << " " << seq.row(t)[seq.channel(name)];
    std::cout << "\n";
  }
}

// one-by-one-person-detection.mp4 (768x432, 10 fps, 139 s): one person at a time walks to a small
// table, stands there, and walks out. Labelled by hand from a contact sheet of one frame per second
// (ffmpeg -vf "fps=1,scale=192:108,drawtext=<time>,tile=10x7", viewed as PNG), times in seconds:
// standing at the table (pauses), nobody in the picture (empty), and walking in or out (walks).
const std::vector<Interval> kTablePauses = {{8, 17},  {24, 42},  {52, 67},
                                            {76, 84}, {94, 117}, {126, 133}};
const std::vector<Interval> kTableEmpty = {{0, 5},   {20.5, 22}, {46, 49},
                                           {71, 74}, {88, 91},   {121, 123}};
const std::vector<Interval> kTableWalks = {{6, 8},   {18, 20},   {22.5, 24}, {43, 45},
                                           {50, 52}, {68, 70},   {74.5, 76}, {85, 87},
                                           {92, 94}, {118, 120}, {124, 126}, {134, 136}};

TEST(ClassicRealFootage, PersonPausingAtTableIsPresentAndStill) {
  const fs::path video =
      fs::path(TEAMOR_SHARED_DIR) / "assets/footage/one-by-one-person-detection.mp4";
  if (!fs::exists(video)) GTEST_SKIP() << video << " is absent";
  const auto seq = classic_sequence(video);
  dump(seq);
  ASSERT_GT(seq.T, 120);  // 139 s
  int n_pause = 0, n_empty = 0, n_walk = 0;
  const double occ_pause = mean_inside(seq, "ceiling.fg.occupancy", kTablePauses, 0.25, &n_pause);
  const double occ_empty = mean_inside(seq, "ceiling.fg.occupancy", kTableEmpty, 0.25, &n_empty);
  ASSERT_GT(n_pause, 60);
  ASSERT_GT(n_empty, 8);
  // Someone there (about 9 % of the picture) vs nobody.
  EXPECT_GT(occ_pause, 0.05);
  EXPECT_LT(occ_empty, 0.1 * occ_pause);
  // Standing still: nearly all of the person is still, and the picture barely moves.
  EXPECT_GT(mean_inside(seq, "ceiling.fg.still_ratio", kTablePauses, 0.25), 0.85);
  EXPECT_GT(mean_inside(seq, "ceiling.fg.persistence", kTablePauses, 0.25), 0.85);
  // Walking in or out: the same channels swing the other way. Walk intervals are shorter than a
  // clip, so they are compared by clip centre (margin -0.55 s lets a clip overhang by half).
  const double moving_pause = mean_inside(seq, "ceiling.flow.moving", kTablePauses, 0.25);
  const double moving_walk = mean_inside(seq, "ceiling.flow.moving", kTableWalks, -0.55, &n_walk);
  ASSERT_GT(n_walk, 8);
  EXPECT_GT(moving_walk, 10 * moving_pause);
  EXPECT_LT(mean_inside(seq, "ceiling.fg.still_ratio", kTableWalks, -0.55), 0.5);
  // Every pause, one by one, shows a present, still person.
  for (const auto& pause : kTablePauses) {
    SCOPED_TRACE(pause.start_s);
    EXPECT_GT(mean_inside(seq, "ceiling.fg.still_occupancy", {pause}, 0.25), 0.05);
  }
}

// vtest.avi (768x576, 10 fps, 79.5 s, OpenCV's sample): pedestrians cross a square all the time.
// Labelled by hand from PNG contact sheets (1 frame per second, and 1 per second enlarged around
// the stops): 40.4-42.8 s a man stands on the path left of the lamp post while the only other
// person is far away; 55.3-57.7 s a couple stops on the lawn to talk; 21-27 s many people walk
// across the picture and nobody stops.
const std::vector<Interval> kSquareStops = {{40.4, 42.8}, {55.3, 57.7}};
const std::vector<Interval> kSquareBusy = {{21, 27}};

TEST(ClassicRealFootage, PedestriansStoppingRaiseStillness) {
  const fs::path video = fs::path(TEAMOR_SOURCE_DIR) / "build/testdata/vtest.avi";
  if (!fs::exists(video)) GTEST_SKIP() << video << " is absent";
  const auto seq = classic_sequence(video);
  dump(seq);
  ASSERT_GT(seq.T, 70);
  // People are in the picture in every clip (seen in every sampled frame).
  const int occ = seq.channel("ceiling.fg.occupancy");
  const int blobs = seq.channel("ceiling.fg.blobs");
  for (std::int64_t t = 1; t < seq.T; ++t) {
    // A pedestrian covers 0.2-0.5 % of the picture; at 41 s only two are left (0.45 % in all).
    EXPECT_GT(seq.row(t)[occ], 0.003) << "clip " << t;
    EXPECT_GE(seq.row(t)[blobs], 0.1) << "clip " << t;  // at least one blob
  }
  int n_stop = 0, n_busy = 0;
  const double still_stop = mean_inside(seq, "ceiling.fg.still_ratio", kSquareStops, 0, &n_stop);
  const double still_busy = mean_inside(seq, "ceiling.fg.still_ratio", kSquareBusy, 0, &n_busy);
  ASSERT_GE(n_stop, 3);
  ASSERT_GE(n_busy, 4);
  EXPECT_GT(still_stop, still_busy + 0.25);
  EXPECT_LT(mean_inside(seq, "ceiling.flow.moving", kSquareStops, 0),
            0.6 * mean_inside(seq, "ceiling.flow.moving", kSquareBusy, 0));
}

}  // namespace
}  // namespace teamor::features
