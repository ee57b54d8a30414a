// Real files written by other tools (../shared/formats, see its README): every one must import.
#include <gtest/gtest.h>

#include <set>

#include "annotations/annotation_io.h"
#include "annotations/evaluation.h"
#include "common/error.h"
#include "test_support.h"

namespace teamor::annotations {
namespace {

std::filesystem::path formats_dir() {
  return testing::shared_dir() / "formats";
}

#define REQUIRE_SHARED(path) \
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << (path).string()

std::size_t count(const AnnotationCollection& c) {
  std::size_t n = 0;
  for (const auto& [id, set] : c)
    n += set.segments.size();
  return n;
}

TEST(RealFiles, ActivityNetGroundTruthAndSampleSubmissionGiveMapOne) {
  const auto gt_path = formats_dir() / "activitynet/activity_net.v1-2_gt_excerpt.json";
  const auto pred_path = formats_dir() / "activitynet/sample_detection_prediction_excerpt.json";
  REQUIRE_SHARED(gt_path);
  const auto gt = read_annotations(gt_path);
  const auto pred = read_annotations(pred_path);
  EXPECT_EQ(detect_format(gt_path), Format::ActivityNet);
  EXPECT_EQ(gt.size(), 40u);
  EXPECT_EQ(count(gt), 67u);
  std::set<std::string> labels;
  for (const auto& [id, set] : gt) {
    EXPECT_EQ(set.subset, "validation");
    EXPECT_TRUE(set.duration_s.has_value());
    for (const auto& s : set.segments)
      labels.insert(s.label);
  }
  EXPECT_EQ(labels.size(), 32u);
  EvalOptions opt;
  opt.tiou_thresholds = linspace(0.5, 0.95, 10);
  const auto r = evaluate(gt, pred, opt);
  for (double m : r.mAP)
    EXPECT_NEAR(m, 1.0, 1e-9);
}

TEST(RealFiles, ElanFilesWrittenByElanImport) {
  const auto tla = formats_dir() / "elan/tla-eaf-parser_example.eaf";
  REQUIRE_SHARED(tla);
  int warnings = 0;
  ReadOptions opt;
  opt.on_warning = [&](const std::string&) { ++warnings; };
  const auto a = read_annotations(tla, opt);
  ASSERT_EQ(a.size(), 1u);
  const auto& set = a.begin()->second;
  EXPECT_EQ(set.recording_id, "tla-eaf-parser_example");
  ASSERT_EQ(set.media.size(), 3u);
  EXPECT_DOUBLE_EQ(set.media[0].offset_s, 5.0);  // TIME_ORIGIN="5000"
  EXPECT_EQ(set.media[0].name, "example");
  EXPECT_EQ(set.segments.size(), 63u);  // every ALIGNABLE_ANNOTATION
  EXPECT_EQ(warnings, 1);               // the 73 REF_ANNOTATIONs are reported, not imported
  for (const auto& s : set.segments) {
    EXPECT_GE(s.start_s, 0);
    EXPECT_LE(s.start_s, s.end_s);
  }
  const auto speach = read_annotations(formats_dir() / "elan/speach_test.eaf");
  const auto& sp = speach.begin()->second;
  EXPECT_EQ(sp.media.size(), 1u);
  bool japanese = false;
  for (const auto& s : sp.segments)
    japanese |= s.label == "このリンゴ、おいしいね！";
  EXPECT_TRUE(japanese);
}

TEST(RealFiles, BorisProjectImportsEveryObservation) {
  const auto path = formats_dir() / "boris/test.boris";
  REQUIRE_SHARED(path);
  std::vector<std::string> warnings;
  ReadOptions opt;
  opt.on_warning = [&](const std::string& w) { warnings.push_back(w); };
  const auto c = read_annotations(path, opt);
  EXPECT_EQ(detect_format(path), Format::Boris);
  EXPECT_EQ(c.size(), 12u);
  // observation #1: s of subject1 3.3-7.75, 9.9-16.2, 18.35-24.475, subject2 38.425-46.1
  const auto& o1 = c.at("observation #1").segments;
  ASSERT_EQ(o1.size(), 4u);
  EXPECT_DOUBLE_EQ(o1[0].start_s, 3.3);
  EXPECT_DOUBLE_EQ(o1[0].end_s, 7.75);
  EXPECT_EQ(o1[0].view, "subject1");
  EXPECT_EQ(o1[3].view, "subject2");
  // Two players with offset 20 s: the second view plays 20 s behind the observation clock.
  const auto& pos = c.at("offset positif").media;
  ASSERT_EQ(pos.size(), 2u);
  EXPECT_DOUBLE_EQ(pos[1].offset_s, -20.0);
  EXPECT_DOUBLE_EQ(c.at("offset neg").media.at(1).offset_s, 20.0);
  // Two media queued in player 1: the second starts after the first's length.
  const auto& obs2 = c.at("observation #2").media;
  ASSERT_EQ(obs2.size(), 2u);
  EXPECT_NEAR(obs2[1].offset_s, -179.96, 1e-9);
  bool unpaired_warned = false;
  for (const auto& w : warnings)
    unpaired_warned |=
        w.find("live not paired") != std::string::npos && w.find("no STOP") != std::string::npos;
  EXPECT_TRUE(unpaired_warned);
  EXPECT_TRUE(c.at("observation without events").segments.empty());
}

TEST(RealFiles, BorisTabularExportsMatchTheProject) {
  const auto events = formats_dir() / "boris/test_export_events_tabular.tsv";
  REQUIRE_SHARED(events);
  EXPECT_EQ(detect_format(events), Format::BorisTabular);
  const auto project = read_annotations(formats_dir() / "boris/test.boris");
  const auto tab = read_annotations(events);
  ASSERT_EQ(tab.size(), 1u);
  const auto& from_tab = tab.at("observation #1").segments;
  const auto& from_project = project.at("observation #1").segments;
  ASSERT_EQ(from_tab.size(), from_project.size());
  for (std::size_t i = 0; i < from_tab.size(); ++i) {
    EXPECT_NEAR(from_tab[i].start_s, from_project[i].start_s, 1e-9);
    EXPECT_NEAR(from_tab[i].end_s, from_project[i].end_s, 1e-9);
    EXPECT_EQ(from_tab[i].view, from_project[i].view);
  }
  const auto agg_path = formats_dir() / "boris/test_export_aggregated_events_test_full_1.tsv";
  const auto agg = read_annotations(agg_path, {.format = Format::BorisTabular});
  const auto& a = agg.at("observation #2").segments;
  std::vector<Segment> states;
  for (const auto& s : project.at("observation #2").segments)
    states.push_back(s);
  ASSERT_EQ(a.size(), states.size());
  EXPECT_DOUBLE_EQ(a[0].start_s, 1.8);
  EXPECT_DOUBLE_EQ(a[0].end_s, 8.125);
  EXPECT_EQ(a[0].view, "");  // "No focal subject"
}

TEST(RealFiles, ThumosValidationFolder) {
  const auto dir = formats_dir() / "thumos14/annotations_val";
  REQUIRE_SHARED(dir);
  const auto c = read_annotations(dir);
  std::size_t ambiguous = 0, total = 0, cliff = 0;
  for (const auto& [id, set] : c)
    for (const auto& s : set.segments) {
      ++total;
      ambiguous += s.label == "Ambiguous";
      cliff += s.label == "CliffDiving";
    }
  EXPECT_EQ(total, 3007u + 89u);
  EXPECT_EQ(ambiguous, 89u);
  EXPECT_EQ(cliff, 143u);
  const auto one = read_annotations(dir / "BaseballPitch_val.txt");
  EXPECT_EQ(one.at("video_validation_0000266").segments.at(0).label, "BaseballPitch");
}

TEST(RealFiles, LabelStudioPayloadTakesFramerateFromTheConfig) {
  const auto path = formats_dir() / "label_studio/test_timeline_labels_1.json";
  REQUIRE_SHARED(path);
  EXPECT_EQ(detect_format(path), Format::LabelStudio);
  const auto c = read_annotations(path);  // framerate="25.0" in the label config; no --fps
  ASSERT_EQ(c.size(), 1u);
  const auto& set = c.at("opossum_snow_short");
  ASSERT_EQ(set.segments.size(), 2u);
  EXPECT_EQ(set.segments[0].label, "Car");
  EXPECT_DOUBLE_EQ(set.segments[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(set.segments[0].end_s, 10.0 / 25);
  EXPECT_EQ(set.segments[1].label, "croquet_ball");
  EXPECT_DOUBLE_EQ(set.segments[1].start_s, 4.0 / 25);
  EXPECT_DOUBLE_EQ(set.segments[1].end_s, 15.0 / 25);
}

}  // namespace
}  // namespace teamor::annotations
