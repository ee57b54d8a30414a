#include "annotations/evaluation.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "annotations/annotation_io.h"
#include "annotations/id_selection.h"
#include "common/error.h"
#include "test_support.h"

namespace teamor::annotations {
namespace {

using testing::data_dir;
using testing::shared_dir;

Segment gt(double s, double e, const char* label = "Time-out") {
  return {label, s, e};
}
Segment pred(double s, double e, double score, const char* label = "Time-out") {
  return {label, s, e, score, Source::Prediction, ReviewState::Proposed};
}

void check_fixture(const std::filesystem::path& dir) {
  const auto truth = read_annotations(dir / "annotations.pkl", {.fps = 30.0});
  const auto results = read_annotations(dir / "expected_results.json");
  EvalOptions opt;
  opt.label = "Time-out";
  opt.ids = {"or06_view1", "or07_view1", "or08_view1", "or09_view1"};
  const auto r = evaluate(truth, results, opt);
  const auto expected = nlohmann::json::parse(testing::slurp(dir / "expected_map.json"));
  ASSERT_EQ(r.tiou_thresholds.size(), expected["tiou_thresholds"].size());
  for (std::size_t t = 0; t < r.tiou_thresholds.size(); ++t) {
    // Bit-identical thresholds, including linspace's 0.30000000000000004.
    EXPECT_EQ(r.tiou_thresholds[t], expected["tiou_thresholds"][t].get<double>());
    EXPECT_NEAR(r.mAP[t], expected["mAP"][t].get<double>(), 1e-6) << "threshold " << t;
  }
  EXPECT_NEAR(r.average_mAP, expected["average_mAP"].get<double>(), 1e-6);
  ASSERT_EQ(r.classes.size(), 1u);
  EXPECT_EQ(r.classes[0].ground_truth, 4);
  EXPECT_EQ(r.classes[0].predictions, 662);
  EXPECT_EQ(r.recordings.size(), 4u);
  // The JSON carries the same top level as expected_map.json.
  const auto j = nlohmann::json::parse(evaluation_to_json(r));
  for (std::size_t t = 0; t < r.mAP.size(); ++t)
    EXPECT_NEAR(j["mAP"][t].get<double>(), expected["mAP"][t].get<double>(), 1e-6);
  EXPECT_NEAR(j["average_mAP"].get<double>(), expected["average_mAP"].get<double>(), 1e-6);
  EXPECT_EQ(j["recordings"].size(), 4u);
}

TEST(Evaluation, ReproducesTheReferenceMapOnFixtureV1) {
  const auto dir = shared_dir() / "reference/fixture-v1";
  if (!std::filesystem::exists(dir / "expected_map.json")) GTEST_SKIP() << "no " << dir;
  check_fixture(dir);
}

TEST(Evaluation, ReproducesTheReferenceMapOnTheCommittedFixtureCopy) {
  check_fixture(data_dir() / "fixture-v1");
}

TEST(Evaluation, LinspaceMatchesNumpy) {
  const auto t = linspace(0.1, 0.5, 5);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[2], 0.30000000000000004);
  EXPECT_EQ(parse_tiou_thresholds("0.1:0.5:0.1"), t);
  EXPECT_EQ(parse_tiou_thresholds("0.5,0.75").size(), 2u);
  EXPECT_THROW(parse_tiou_thresholds("0.1:x:0.1"), ConfigError);
  EXPECT_THROW(parse_tiou_thresholds("1.5"), ConfigError);
}

TEST(Evaluation, ApIsInterpolatedOverPooledScores) {
  AnnotationCollection g, p;
  g["a"].segments = {gt(0, 10)};
  g["b"];  // a recording without ground truth: its predictions are false positives
  p["a"].segments = {pred(20, 30, 0.9), pred(0, 10, 0.8)};
  p["b"].segments = {pred(0, 5, 0.95)};
  EvalOptions opt;
  opt.tiou_thresholds = {0.5};
  // Order: b (FP), a-far (FP), a-hit (TP): precision 0, 0, 1/3 at recall 0, 0, 1 -> AP 1/3.
  EXPECT_NEAR(evaluate(g, p, opt).mAP[0], 1.0 / 3, 1e-12);
  p["b"].segments[0].score = 0.1;  // now TP comes second: AP 1/2
  EXPECT_NEAR(evaluate(g, p, opt).mAP[0], 0.5, 1e-12);
  opt.ids = {"a"};  // b's prediction is outside the evaluated set
  const auto r = evaluate(g, p, opt);
  EXPECT_NEAR(r.mAP[0], 0.5, 1e-12);
  EXPECT_EQ(r.ignored_predictions, 1);
}

TEST(Evaluation, EachGroundTruthMatchesOnceAndThresholdIsStrictlyNumpys) {
  AnnotationCollection g, p;
  g["a"].segments = {gt(0, 10)};
  p["a"].segments = {pred(0, 10, 0.9), pred(0, 10, 0.8), pred(0, 3, 0.1)};
  EvalOptions opt;
  opt.tiou_thresholds = {0.2, 0.30000000000000004};
  const auto r = evaluate(g, p, opt);
  EXPECT_NEAR(r.mAP[0], 1.0, 1e-12);  // the duplicate is an FP after the TP: AP stays 1
  EXPECT_NEAR(r.mAP[1], 1.0, 1e-12);
  // Only the 0.3-tIoU prediction: matches at 0.2, fails at 0.30000000000000004.
  p["a"].segments = {pred(0, 3, 0.5)};
  const auto q = evaluate(g, p, opt);
  EXPECT_NEAR(q.mAP[0], 1.0, 1e-12);
  EXPECT_NEAR(q.mAP[1], 0.0, 1e-12);
}

TEST(Evaluation, NoGroundTruthGivesNan) {
  AnnotationCollection g, p;
  g["a"];
  p["a"].segments = {pred(0, 1, 0.5)};
  const auto r = evaluate(g, p, {});
  EXPECT_TRUE(std::isnan(r.average_mAP));
  EXPECT_NE(evaluation_to_json(r).find("\"average_mAP\": null"), std::string::npos);
}

TEST(Evaluation, ClinicianReportGivesFoundErrorsAndFalseAlarms) {
  AnnotationCollection g, p;
  g["a"].segments = {gt(100, 200), gt(500, 560, "StOP?"), gt(900, 950, "StOP?")};
  p["a"].segments = {pred(98, 205, 0.9), pred(300, 320, 0.7), pred(0, 10, 0.2),
                     pred(505, 560, 0.6, "StOP?")};
  p["zz"].segments = {pred(1, 2, 0.9)};
  EvalOptions opt;
  opt.ids = {"a", "missing"};
  const auto r = evaluate(g, p, opt);
  EXPECT_EQ(r.missing_ids, std::vector<std::string>{"missing"});
  ASSERT_EQ(r.recordings.size(), 1u);
  const auto& protocols = r.recordings[0].protocols;
  ASSERT_EQ(protocols.size(), 2u);
  const ProtocolReport& stop = protocols[0].label == "StOP?" ? protocols[0] : protocols[1];
  const ProtocolReport& to = protocols[0].label == "StOP?" ? protocols[1] : protocols[0];
  ASSERT_EQ(to.instances.size(), 1u);
  EXPECT_TRUE(to.instances[0].found);
  EXPECT_NEAR(to.instances[0].best_tiou, 100.0 / 107, 1e-12);
  EXPECT_DOUBLE_EQ(*to.instances[0].score, 0.9);
  EXPECT_DOUBLE_EQ(*to.instances[0].start_error_s, -2);
  EXPECT_DOUBLE_EQ(*to.instances[0].end_error_s, 5);
  ASSERT_EQ(to.false_alarms.size(), 1u);  // 300-320 at 0.7; the 0.2 one is below min_score
  EXPECT_DOUBLE_EQ(to.false_alarms[0].start_s, 300);
  ASSERT_EQ(stop.instances.size(), 2u);
  EXPECT_TRUE(stop.instances[0].found);
  EXPECT_FALSE(stop.instances[1].found);
  EXPECT_FALSE(stop.instances[1].score);
  const auto table = evaluation_table(r);
  EXPECT_NE(table.find("+5.0 s"), std::string::npos) << table;
  EXPECT_NE(table.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace teamor::annotations

namespace teamor::annotations {
namespace {

TEST(IdSelection, ParsesListsFilesAndSubsets) {
  EXPECT_EQ(parse_id_selection("a,b, c"), (std::set<std::string>{"a", "b", "c"}));
  const auto dir = testing::temp_dir("ids");
  std::ofstream(dir / "ids.txt") << "# test split\nor06_view1\nor07_view1.mp4  # with extension\n";
  const auto ids = parse_id_selection("@" + (dir / "ids.txt").string());
  EXPECT_EQ(ids, (std::set<std::string>{"or06_view1", "or07_view1.mp4"}));
  AnnotationCollection c;
  c["or06_view1"].subset = "test";
  c["or07_view1"].subset = "Test";
  c["or00_view1"].subset = "training";
  EXPECT_EQ(match_ids(ids, c), (std::set<std::string>{"or06_view1", "or07_view1"}));
  EXPECT_EQ(ids_in_subset(c, "test"), (std::set<std::string>{"or06_view1", "or07_view1"}));
  EXPECT_THROW(ids_in_subset(c, "validation"), ConfigError);
  EXPECT_THROW(parse_id_selection(" , "), ConfigError);
  EXPECT_THROW(parse_id_selection("@/nonexistent/ids.txt"), IoError);
}

}  // namespace
}  // namespace teamor::annotations
