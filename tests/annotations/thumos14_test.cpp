#include "annotations/formats/thumos14.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace teamor::annotations {
namespace {

TEST(Thumos14, ReadsGroundTruthWithTheClassFromTheFileName) {
  const auto c = read_thumos14(
      "video_validation_0000266  72.8 76.4\n\nvideo_validation_0000681 "
      " 44.0 50.9\n",
      "dir/BaseballPitch_val.txt");
  ASSERT_EQ(c.size(), 2u);
  const auto& s = c.at("video_validation_0000266");
  EXPECT_EQ(s.subset, "val");
  EXPECT_EQ(s.segments.at(0).label, "BaseballPitch");
  EXPECT_DOUBLE_EQ(s.segments.at(0).end_s, 76.4);
}

TEST(Thumos14, ReadsDetectionsWithClassIdsOrNames) {
  const std::map<int, std::string> ids{{7, "BaseballPitch"}};
  const auto c = read_thumos14(
      "video_test_0000004 12.3 15.7 7 0.83\nvideo_test_0000004 1 2 "
      "StOP? 0.1\n",
      "det.txt", {}, {}, ids);
  const auto& segs = c.at("video_test_0000004").segments;
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].label, "BaseballPitch");
  EXPECT_DOUBLE_EQ(*segs[0].score, 0.83);
  EXPECT_EQ(segs[0].source, Source::Prediction);
  EXPECT_EQ(segs[1].label, "StOP?");
}

TEST(Thumos14, HugeNumericClassIsKeptAsTextNotCast) {
  // Found by fuzz_thumos14: a class "555...5" must not be cast to int (undefined behaviour).
  const auto c = read_thumos14("v 1 2 55555555555555555555 0.5\nv 1 2 -7.5 0.5\n", "det.txt");
  EXPECT_EQ(c.at("v").segments.at(0).label, "55555555555555555555");
  EXPECT_EQ(c.at("v").segments.at(1).label, "-7.5");
  EXPECT_THROW(read_thumos14_class_list("1e10 Big\n", "detclasslist.txt"), FormatError);
}

TEST(Thumos14, BadLinesNameTheLine) {
  for (const auto& [text, line] :
       std::vector<std::pair<std::string, std::string>>{{"v 1 2\nv 1\n", "line 2"},
                                                        {"v 1 2\nv 1 2 c 0.5\n", "line 2"},
                                                        {"v 2 1\n", "line 1"},
                                                        {"v nan 1\n", "line 1"},
                                                        {"v 1 2 c x\n", "line 1"}}) {
    try {
      read_thumos14(text, "A_val.txt");
      ADD_FAILURE() << text;
    } catch (const FormatError& e) {
      EXPECT_EQ(e.position(), line) << text;
    }
  }
}

TEST(Thumos14, GroundTruthWriterMakesOneFilePerClass) {
  AnnotationCollection c;
  c["v1"].segments = {{"Time-out", 1, 2}, {"StOP?", 3, 4}};
  c["v2"].segments = {{"Time-out", 5, 6}};
  const auto files = write_thumos14_ground_truth(c, {});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files.at("Time-out_val.txt"), "v1  1 2\nv2  5 6\n");
  const auto back = read_thumos14(files.at("StOP?_val.txt"), "StOP?_val.txt");
  EXPECT_EQ(back.at("v1").segments.at(0).label, "StOP?");
}

}  // namespace
}  // namespace teamor::annotations
