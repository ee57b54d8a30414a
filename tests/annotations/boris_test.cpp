#include "annotations/formats/boris.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "test_support.h"

namespace teamor::annotations {
namespace {

TEST(Boris, PairsStateEventsPerSubjectAndSkipsPoints) {
  const std::string text = R"({"behaviors_conf": {
      "0": {"type": "State event", "code": "TO"}, "1": {"type": "Point event", "code": "p"}},
    "observations": {"op1": {"type": "MEDIA",
      "file": {"1": ["cam1.mp4"], "2": ["cam2.mp4"]},
      "media_info": {"offset": {"1": 0.0, "2": 20.0}, "length": {"cam1.mp4": 100.0}},
      "events": [[1.0, "", "TO", "", "first"], [2.0, "nurse", "TO", "", ""],
                 [3.0, "", "p", "", ""], [4.0, "", "TO", "", ""], [5.0, "nurse", "TO", "", ""],
                 [6.0, "", "TO", "", ""]]}}})";
  std::vector<std::string> warnings;
  ReadOptions opt;
  opt.on_warning = [&](const std::string& w) { warnings.push_back(w); };
  const auto c = read_boris_project(text, "p.boris", opt);
  const auto& set = c.at("op1");
  ASSERT_EQ(set.segments.size(), 2u);
  EXPECT_EQ(set.segments[0].label, "TO");
  EXPECT_DOUBLE_EQ(set.segments[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(set.segments[0].end_s, 4.0);
  EXPECT_EQ(set.segments[0].note, "first");
  EXPECT_EQ(set.segments[1].view, "nurse");
  EXPECT_DOUBLE_EQ(set.segments[1].end_s, 5.0);
  ASSERT_EQ(set.media.size(), 2u);
  EXPECT_DOUBLE_EQ(set.media[1].offset_s, -20.0);
  EXPECT_EQ(warnings.size(), 2u);  // the unpaired START at 6 s, the point event
}

TEST(Boris, WriterPutsOverlappingIntervalsInSeparateLanes) {
  AnnotationCollection c;
  c["r"].segments = {{"Time-out", 1, 5},
                     {"Time-out", 3, 8},
                     {"Time-out", 2, 6, 0.5, Source::Prediction, ReviewState::Proposed}};
  const auto text = write_boris_project(c);
  EXPECT_NE(text.find("[ground_truth 2]"), std::string::npos) << text;
  EXPECT_NE(text.find("[prediction]"), std::string::npos);
  auto back = read_boris_project(text, "x.boris").at("r");
  back.sort();
  ASSERT_EQ(back.segments.size(), 3u);
  EXPECT_EQ(back.segments[0].source, Source::GroundTruth);
  EXPECT_EQ(back.segments[0].view, "");
  EXPECT_DOUBLE_EQ(back.segments[1].start_s, 3);
  EXPECT_EQ(back.segments[1].view, "");
  EXPECT_EQ(back.segments[2].source, Source::Prediction);
  EXPECT_DOUBLE_EQ(*back.segments[2].score, 0.5);
}

TEST(Boris, AbuttingAndZeroLengthIntervalsPairCorrectly) {
  AnnotationCollection c;
  c["r"].segments = {{"Time-out", 1, 2}, {"Time-out", 2, 3}, {"Time-out", 3, 3}};
  for (auto text : {write_boris_project(c), write_boris_tabular(c)}) {
    const auto back = text.front() == '{' ? read_boris_project(text, "x.boris")
                                          : read_boris_tabular(text, "x.tsv");
    const auto& segs = back.at("r").segments;
    ASSERT_EQ(segs.size(), 3u) << text;
    EXPECT_DOUBLE_EQ(segs[0].end_s, 2);
    EXPECT_DOUBLE_EQ(segs[1].start_s, 2);
    EXPECT_DOUBLE_EQ(segs[2].start_s, 3);
    EXPECT_DOUBLE_EQ(segs[2].end_s, 3);
  }
}

TEST(BorisTabular, StopWithoutStartNamesTheLine) {
  const std::string text =
      "Observation id\tobs\n\nTime\tMedia file path\tTotal length\tFPS\tSubject\tBehavior\t"
      "Behavioral category\tComment\tStatus\n1.0\tv.mp4\t10\t25\t\ts\t\t\tSTOP\n";
  try {
    read_boris_tabular(text, "e.tsv");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.position(), "line 4");
  }
}

}  // namespace
}  // namespace teamor::annotations
