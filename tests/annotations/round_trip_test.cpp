// Round trips through every writable format, and the cross-format chain
// pickle -> EAF -> BORIS -> CSV -> ActivityNet.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "annotations/annotation_io.h"
#include "annotations/formats/elan.h"
#include "common/error.h"
#include "test_support.h"

namespace teamor::annotations {
namespace {

using testing::sample_collection;

std::vector<Segment> sorted(std::vector<Segment> v) {
  std::sort(v.begin(), v.end(), [](const Segment& a, const Segment& b) {
    return std::tie(a.label, a.start_s, a.end_s, a.source) <
           std::tie(b.label, b.start_s, b.end_s, b.source);
  });
  return v;
}

struct Keeps {
  bool score = true, state = true, source = true, view = true, note = true;
};

void expect_same(const AnnotationCollection& want, const AnnotationCollection& got, Keeps keeps,
                 const std::string& what, double tolerance_s = 0.001) {
  ASSERT_EQ(want.size(), got.size()) << what;
  for (const auto& [id, set] : want) {
    ASSERT_TRUE(got.count(id)) << what << ": " << id;
    const auto a = sorted(set.segments), b = sorted(got.at(id).segments);
    ASSERT_EQ(a.size(), b.size()) << what << ": " << id;
    for (std::size_t i = 0; i < a.size(); ++i) {
      SCOPED_TRACE(what + " " + id + " #" + std::to_string(i));
      EXPECT_EQ(a[i].label, b[i].label);
      EXPECT_NEAR(a[i].start_s, b[i].start_s, tolerance_s);
      EXPECT_NEAR(a[i].end_s, b[i].end_s, tolerance_s);
      if (keeps.score) {
        EXPECT_EQ(a[i].score.has_value(), b[i].score.has_value());
        if (a[i].score && b[i].score) EXPECT_NEAR(*a[i].score, *b[i].score, 1e-12);
      }
      if (keeps.state) EXPECT_EQ(a[i].state, b[i].state);
      if (keeps.source) EXPECT_EQ(a[i].source, b[i].source);
      if (keeps.view) EXPECT_EQ(a[i].view, b[i].view);
      if (keeps.note) EXPECT_EQ(a[i].note, b[i].note);
    }
  }
}

AnnotationCollection through(const AnnotationCollection& c, Format f, const std::string& name,
                             WriteOptions wo = {}, ReadOptions ro = {}) {
  const auto dir = testing::temp_dir("rt_" + std::string(format_name(f)));
  const auto path = dir / name;
  wo.format = f;
  write_annotations(path, c, wo);
  ro.format = Format::Auto;  // also checks detection from the extension / content
  EXPECT_EQ(detect_format(path), f) << name;
  return read_annotations(path, ro);
}

TEST(RoundTrip, ActivityNetKeepsEverything) {
  const auto c = sample_collection();
  const auto back = through(c, Format::ActivityNet, "gt.json");
  expect_same(c, back, {}, "activitynet");
  EXPECT_EQ(back.at("or12_2024-03-02").media, c.at("or12_2024-03-02").media);
  EXPECT_DOUBLE_EQ(*back.at("or12_2024-03-02").duration_s, 7412.6);
}

TEST(RoundTrip, ActivityNetResultsKeepScores) {
  AnnotationCollection c;
  c["v"].segments = {
      {"Time-out", 1.0005, 2.25, 0.123456789, Source::Prediction, ReviewState::Proposed}};
  c["empty"];
  WriteOptions wo;
  wo.activitynet_kind = ActivityNetKind::Results;
  expect_same(c, through(c, Format::ActivityNet, "r.json", wo), {}, "results");
}

TEST(RoundTrip, CsvAndTsvKeepEverything) {
  auto c = sample_collection();
  expect_same(c, through(c, Format::Csv, "a.csv"), {}, "csv");
  expect_same(c, through(c, Format::Csv, "a.tsv"), {}, "tsv");
}

TEST(RoundTrip, ElanKeepsEverythingPerRecording) {
  for (const auto& [id, set] : sample_collection()) {
    AnnotationCollection one{{id, set}};
    const auto back = through(one, Format::Elan, "x.eaf");
    expect_same(one, back, {}, "elan");
    EXPECT_EQ(back.at(id).media, set.media);
  }
  EXPECT_THROW(write_annotations_to_string(sample_collection(), {.format = Format::Elan}),
               ConfigError);
}

TEST(RoundTrip, BorisProjectAndTabularKeepEverything) {
  const auto c = sample_collection();
  expect_same(c, through(c, Format::Boris, "p.boris"), {}, "boris");
  expect_same(c, through(c, Format::BorisTabular, "events.tsv"), {}, "boris-tabular");
}

TEST(RoundTrip, ThumosKeepsLabelsTimesAndScores) {
  auto c = sample_collection();
  for (auto& [id, set] : c)
    for (auto& s : set.segments)
      if (!s.score) s.score = 1.0;  // detections always carry a score
  expect_same(c, through(c, Format::Thumos14, "det.txt"),
              {.state = false, .source = false, .view = false, .note = false}, "thumos det");
  // Ground truth: one file per class in a folder.
  const auto dir = testing::temp_dir("rt_thumos_gt") / "gt/";
  write_annotations(dir, sample_collection());
  const auto back = read_annotations(dir);
  expect_same(sample_collection(), back,
              {.score = false, .state = false, .source = false, .view = false, .note = false},
              "thumos gt");
}

TEST(RoundTrip, LabelStudioKeepsFrameAlignedTimesAndScores) {
  AnnotationCollection c;
  c["or1"].fps = 25;
  c["or1"].media = {{"video", "or1.mp4", 0.0}};
  c["or1"].segments = {
      {"Time-out", 2.0, 4.04, 0.9, Source::Prediction, ReviewState::Proposed, "", "n"},
      {"StOP?", 10.0, 12.0, std::nullopt, Source::GroundTruth, ReviewState::Accepted}};
  WriteOptions wo;
  expect_same(c, through(c, Format::LabelStudio, "ls.json", wo), {.view = false}, "label studio");
  // Times between frames move to the nearest frame (at most half a frame).
  c["or1"].segments[0].start_s = 2.013;
  const auto back = through(c, Format::LabelStudio, "ls2.json", wo);
  expect_same(c, back, {.view = false}, "label studio rounded", 0.5 / 25 + 1e-9);
}

TEST(RoundTrip, CrossFormatChainKeepsTheIntervals) {
  auto pkl = testing::shared_dir() / "reference/fixture-v1/annotations.pkl";
  if (!std::filesystem::exists(pkl)) pkl = testing::data_dir() / "fixture-v1/annotations.pkl";
  const auto original = read_annotations(pkl, {.fps = 30.0});
  ASSERT_EQ(original.size(), 10u);
  const auto dir = testing::temp_dir("chain");
  AnnotationCollection from_eaf;
  for (const auto& [id, set] : original) {
    const auto eaf = dir / (id + ".eaf");
    write_annotations(eaf, {{id, set}});
    for (auto& [rid, rset] : read_annotations(eaf))
      from_eaf[rid] = rset;
  }
  const Keeps intervals{
      .score = false, .state = false, .source = false, .view = false, .note = false};
  expect_same(original, from_eaf, intervals, "pickle->eaf");
  write_annotations(dir / "all.boris", from_eaf);
  const auto from_boris = read_annotations(dir / "all.boris");
  expect_same(original, from_boris, intervals, "->boris");
  write_annotations(dir / "all.csv", from_boris);
  const auto from_csv = read_annotations(dir / "all.csv");
  expect_same(original, from_csv, intervals, "->csv");
  write_annotations(dir / "all.json", from_csv);
  const auto from_anet = read_annotations(dir / "all.json");
  expect_same(original, from_anet, intervals, "->activitynet");
}

}  // namespace
}  // namespace teamor::annotations
