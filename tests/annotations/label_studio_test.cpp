#include "annotations/formats/label_studio.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace teamor::annotations {
namespace {

const char* kExport = R"([{"id": 5, "data": {"video": "/data/upload/or12.mp4"},
  "annotations": [{"was_cancelled": false, "result": [{"type": "timelinelabels",
     "value": {"ranges": [{"start": 31, "end": 60}, {"start": 91, "end": 120}],
               "timelinelabels": ["Team Time-out"]}}]},
                  {"was_cancelled": true, "result": [{"type": "timelinelabels",
     "value": {"ranges": [{"start": 1, "end": 2}], "timelinelabels": ["x"]}}]}],
  "predictions": [{"model_version": "m", "score": 0.5, "result": [{"type": "timelinelabels",
     "score": 0.8, "value": {"ranges": [{"start": 1, "end": 30}], "timelinelabels": ["stop"]}}]}]
}])";

TEST(LabelStudio, ConvertsOneBasedInclusiveFrameRangesToSeconds) {
  const auto c = read_label_studio(kExport, "export.json", {.fps = 30.0});
  const auto& segs = c.at("or12").segments;
  ASSERT_EQ(segs.size(), 3u);  // the cancelled annotation is skipped
  EXPECT_EQ(segs[0].label, "Time-out");
  EXPECT_DOUBLE_EQ(segs[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(segs[0].end_s, 2.0);
  EXPECT_DOUBLE_EQ(segs[1].start_s, 3.0);
  EXPECT_EQ(segs[2].source, Source::Prediction);
  EXPECT_DOUBLE_EQ(*segs[2].score, 0.8);
  EXPECT_DOUBLE_EQ(segs[2].start_s, 0.0);
  EXPECT_DOUBLE_EQ(segs[2].end_s, 1.0);
}

TEST(LabelStudio, NeedsAFrameRate) {
  EXPECT_THROW(read_label_studio(kExport, "export.json"), ConfigError);
}

TEST(LabelStudio, WritesPredictionsAsPreAnnotations) {
  AnnotationCollection c;
  c["or1"].fps = 25;
  c["or1"].segments = {{"Time-out", 2.0, 4.0, 0.9, Source::Prediction, ReviewState::Proposed}};
  const auto text = write_label_studio(c);
  EXPECT_NE(text.find("\"predictions\""), std::string::npos);
  EXPECT_NE(text.find("\"start\": 51.0"), std::string::npos) << text;
  const auto back = read_label_studio(text, "t.json");  // fps travels in data.fps
  EXPECT_DOUBLE_EQ(back.at("or1").segments.at(0).start_s, 2.0);
  EXPECT_DOUBLE_EQ(back.at("or1").segments.at(0).end_s, 4.0);
  c["or1"].fps.reset();
  EXPECT_THROW(write_label_studio(c), ConfigError);
}

}  // namespace
}  // namespace teamor::annotations
