#include "annotations/formats/activitynet.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace teamor::annotations {
namespace {

TEST(ActivityNet, ReadsGroundTruthAndResults) {
  const std::string text = R"js({"version": "VERSION 1.3", "taxonomy": [],
    "database": {"OR12": {"subset": "validation", "duration": 7412.6,
       "annotations": [{"segment": [812.4, 905.1], "label": "Team Time-out"}]}},
    "results": {"OR12": [{"label": "11 (Time-Out)", "score": 0.91, "segment": [809.7, 903.2]}]},
    "external_data": {}})js";
  const auto c = read_activitynet(text, "x.json");
  const auto& s = c.at("OR12");
  EXPECT_EQ(s.subset, "validation");
  EXPECT_DOUBLE_EQ(*s.duration_s, 7412.6);
  ASSERT_EQ(s.segments.size(), 2u);
  EXPECT_EQ(s.segments[0].label, "Time-out");
  EXPECT_EQ(s.segments[0].source, Source::GroundTruth);
  EXPECT_FALSE(s.segments[0].score);
  EXPECT_EQ(s.segments[1].source, Source::Prediction);
  EXPECT_EQ(s.segments[1].state, ReviewState::Proposed);
  EXPECT_DOUBLE_EQ(*s.segments[1].score, 0.91);
}

TEST(ActivityNet, WritesResultsWhenEverySegmentIsAScoredPrediction) {
  AnnotationCollection c;
  c["v"].recording_id = "v";
  c["v"].segments.push_back({"Time-out", 1, 2, 0.5, Source::Prediction, ReviewState::Proposed});
  const auto text = write_activitynet(c);
  EXPECT_NE(text.find("\"results\""), std::string::npos);
  EXPECT_NE(text.find("\"external_data\""), std::string::npos);
  EXPECT_EQ(text.find("\"state\""), std::string::npos);  // default state is not written
  c["v"].segments.push_back({"StOP?", 3, 4});
  EXPECT_NE(write_activitynet(c).find("\"database\""), std::string::npos);
  WriteOptions results;
  results.activitynet_kind = ActivityNetKind::Results;
  EXPECT_THROW(write_activitynet(c, results), ConfigError);  // unscored ground truth
}

TEST(ActivityNet, ErrorsNameTheJsonPath) {
  try {
    read_activitynet(R"({"results": {"v": [{"label": "x", "score": 0.5, "segment": [3, 1]}]}})",
                     "r.json");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), "r.json");
    EXPECT_EQ(e.position(), "/results/v/0/segment");
    EXPECT_NE(e.message().find("reversed"), std::string::npos);
  }
  try {
    read_activitynet(R"({"results": {"v": [{"label": "x", "score": "high", "segment": [1, 3]}]}})",
                     "r.json");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.position(), "/results/v/0/score");
  }
  try {
    read_activitynet("{\"results\": {\"v\": [],\n \"v\": []}}", "dup.json");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.position(), "/results/v");
    EXPECT_NE(e.message().find("duplicate"), std::string::npos);
  }
  try {
    read_activitynet("{\"results\": {\n\"v\": [}}", "syntax.json");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.position().rfind("line 2, column", 0), 0u) << e.position();
  }
}

}  // namespace
}  // namespace teamor::annotations
