#include "annotations/formats/csv.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace teamor::annotations {
namespace {

TEST(Csv, ReadsColumnsByNameWithRfc4180Quoting) {
  const std::string text =
      "label,recording,start_s,end_s,note,extra\r\n"
      "timeout,or1,1.5,2.5,\"a, \"\"quoted\"\"\nnote\",x\r\n"
      "StOP?,or2,10,20,,\r\n";
  const auto c = read_csv(text, "t.csv");
  ASSERT_EQ(c.size(), 2u);
  const auto& s = c.at("or1").segments.at(0);
  EXPECT_EQ(s.label, "Time-out");
  EXPECT_EQ(s.note, "a, \"quoted\"\nnote");
  EXPECT_EQ(s.source, Source::GroundTruth);
  EXPECT_EQ(s.state, ReviewState::Accepted);
  EXPECT_DOUBLE_EQ(c.at("or2").segments.at(0).end_s, 20);
}

TEST(Csv, TabSeparatedIsDetectedFromTheHeader) {
  const auto c = read_csv(
      "recording\tlabel\tstart_s\tend_s\tscore\tsource\n"
      "r\tStOP?\t1\t2\t0.3\tprediction\n",
      "t.tsv");
  const auto& s = c.at("r").segments.at(0);
  EXPECT_DOUBLE_EQ(*s.score, 0.3);
  EXPECT_EQ(s.source, Source::Prediction);
  EXPECT_EQ(s.state, ReviewState::Proposed);
}

TEST(Csv, BadRowsNameTheLine) {
  const std::string header = "recording,label,start_s,end_s,score,state\n";
  const std::pair<std::string, std::string> cases[] = {
      {header + "r,x,1,2,,\nr,x,nan,2,,\n", "line 3"},
      {header + "r,x,1,2,,\nr,x,-1,2,,\n", "line 3"},
      {header + "r,x,5,2,,\n", "line 2"},
      {header + "r,x,1,2,1.5,\n", "line 2"},
      {header + "r,x,1,2,,maybe\n", "line 2"},
      {header + "r,x,1,2,\"open\n", "line 2"},
      {"recording,label,start_s\nr,x,1\n", "line 1"},
  };
  for (const auto& [text, line] : cases) {
    try {
      read_csv(text, "bad.csv");
      ADD_FAILURE() << text;
    } catch (const FormatError& e) {
      EXPECT_EQ(e.file(), "bad.csv");
      EXPECT_EQ(e.position(), line) << text << ": " << e.what();
    }
  }
}

TEST(Csv, WriterQuotesOnlyWhatNeedsIt) {
  AnnotationCollection c;
  c["r"].segments.push_back({"Time-out", 1, 2, std::nullopt, Source::GroundTruth,
                             ReviewState::Accepted, "cam,1", "say \"hi\""});
  const auto text = write_csv(c);
  EXPECT_EQ(text,
            "recording,view,label,start_s,end_s,score,source,state,note\n"
            "r,\"cam,1\",Time-out,1,2,,ground_truth,accepted,\"say \"\"hi\"\"\"\n");
}

}  // namespace
}  // namespace teamor::annotations
