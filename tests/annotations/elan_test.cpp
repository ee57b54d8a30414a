#include "annotations/formats/elan.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "common/error.h"
#include "test_support.h"

namespace teamor::annotations {
namespace {

using testing::sample_collection;

TEST(Elan, WritesTiersPerLabelAndSourceWithMediaOffsets) {
  const auto set = sample_collection().at("or12_2024-03-02");
  const std::string eaf = write_elan(set);
  EXPECT_NE(eaf.find("TIME_ORIGIN=\"1500\""), std::string::npos);
  EXPECT_NE(eaf.find("TIER_ID=\"Time-out (prediction)\""), std::string::npos);
  EXPECT_NE(eaf.find("TIER_ID=\"Time-out\""), std::string::npos);
  EXPECT_NE(eaf.find("CV_ID=\"protocols\""), std::string::npos);
  EXPECT_NE(eaf.find("TIME_VALUE=\"812400\""), std::string::npos);
  const auto back = read_elan(eaf, "x.eaf");
  EXPECT_EQ(back.recording_id, set.recording_id);
  ASSERT_EQ(back.media.size(), 2u);
  EXPECT_EQ(back.media[1].name, "ceiling2");
  EXPECT_EQ(back.media[1].path, "cam2.mp4");
  EXPECT_DOUBLE_EQ(back.media[1].offset_s, 1.5);
  EXPECT_EQ(back.segments.size(), set.segments.size());
  EXPECT_DOUBLE_EQ(*back.fps, 30);
}

TEST(Elan, OutputValidatesAgainstTheEafSchema) {
  const auto xsd = testing::shared_dir() / "formats/elan/EAFv3.0.xsd";
  if (!std::filesystem::exists(xsd)) GTEST_SKIP() << "no " << xsd;
  if (std::system("xmllint --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint missing";
  const auto dir = testing::temp_dir("eaf_xsd");
  for (const auto& [id, set] : sample_collection()) {
    const auto path = dir / (id + ".eaf");
    std::ofstream(path, std::ios::binary) << write_elan(set);
    const std::string cmd = "xmllint --noout --nonet --schema '" + xsd.string() + "' '" +
                            path.string() + "' > '" + (dir / "log.txt").string() + "' 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << testing::slurp(dir / "log.txt");
  }
  AnnotationSet empty;  // no segments; and one with control characters XML cannot hold
  empty.recording_id = "empty";
  AnnotationSet odd;
  odd.recording_id = "odd";
  odd.segments = {
      {"bad\x01label", 1, 2, 0.5, Source::Prediction, ReviewState::Proposed, "v\x02", "note\x1f"}};
  {
    const auto odd_path = dir / "odd.eaf";
    std::ofstream(odd_path, std::ios::binary) << write_elan(odd);
    const std::string odd_cmd = "xmllint --noout --nonet --schema '" + xsd.string() + "' '" +
                                odd_path.string() + "' > /dev/null 2>&1";
    EXPECT_EQ(std::system(odd_cmd.c_str()), 0);
  }
  const auto path = dir / "empty.eaf";
  std::ofstream(path, std::ios::binary) << write_elan(empty);
  const std::string cmd = "xmllint --noout --nonet --schema '" + xsd.string() + "' '" +
                          path.string() + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST(Elan, PlacesUnalignedSlotsBetweenAlignedNeighbours) {
  const std::string eaf = R"(<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2020-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
 <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
  <MEDIA_DESCRIPTOR MEDIA_URL="file:///x/cam.mp4" MIME_TYPE="video/mp4" TIME_ORIGIN="5000"/>
 </HEADER>
 <TIME_ORDER>
  <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
  <TIME_SLOT TIME_SLOT_ID="ts2"/>
  <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="4000"/>
 </TIME_ORDER>
 <TIER LINGUISTIC_TYPE_REF="default" TIER_ID="TimeOut">
  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
   <ANNOTATION_VALUE></ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3">
   <ANNOTATION_VALUE>stop</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
 </TIER>
 <TIER LINGUISTIC_TYPE_REF="sym" PARENT_REF="TimeOut" TIER_ID="words">
  <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">
   <ANNOTATION_VALUE>hello</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
 </TIER>
 <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="default" TIME_ALIGNABLE="true"/>
 <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="sym" TIME_ALIGNABLE="false" CONSTRAINTS="Symbolic_Association"/>
</ANNOTATION_DOCUMENT>)";
  int warnings = 0;
  ReadOptions opt;
  opt.on_warning = [&](const std::string&) { ++warnings; };
  const auto set = read_elan(eaf, "dir/session.eaf", opt);
  EXPECT_EQ(set.recording_id, "session");
  ASSERT_EQ(set.segments.size(), 2u);
  EXPECT_EQ(set.segments[0].label, "Time-out");  // empty value: the tier id, through the aliases
  EXPECT_DOUBLE_EQ(set.segments[0].start_s, 1.0);
  EXPECT_DOUBLE_EQ(set.segments[0].end_s, 2.5);
  EXPECT_EQ(set.segments[1].label, "StOP?");
  EXPECT_DOUBLE_EQ(set.media.at(0).offset_s, 5.0);
  EXPECT_EQ(set.media.at(0).path, "/x/cam.mp4");
  EXPECT_EQ(warnings, 1);  // the referring annotation has no time of its own
}

TEST(Elan, BadDocumentsNameTheLine) {
  try {
    read_elan("<ANNOTATION_DOCUMENT>\n<TIME_ORDER>\n</ANNOTATION_DOCUMENT>", "bad.eaf");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), "bad.eaf");
    EXPECT_EQ(e.position().rfind("line 3", 0), 0u) << e.position();
  }
  try {
    read_elan(
        "<ANNOTATION_DOCUMENT>\n<TIME_ORDER/>\n<TIER TIER_ID=\"t\">\n<ANNOTATION>"
        "<ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a\" TIME_SLOT_REF1=\"x\" TIME_SLOT_REF2=\"y\"/>"
        "</ANNOTATION></TIER></ANNOTATION_DOCUMENT>",
        "bad.eaf");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.position().rfind("line 4", 0), 0u) << e.position();
    EXPECT_NE(e.message().find("TIME_SLOT"), std::string::npos);
  }
  // Entities are never expanded: an external entity stays literal text, nothing is fetched.
  const auto set = read_elan(
      "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<ANNOTATION_DOCUMENT>"
      "<TIME_ORDER><TIME_SLOT TIME_SLOT_ID=\"1\" TIME_VALUE=\"0\"/><TIME_SLOT TIME_SLOT_ID=\"2\" "
      "TIME_VALUE=\"10\"/></TIME_ORDER><TIER TIER_ID=\"t\"><ANNOTATION><ALIGNABLE_ANNOTATION "
      "ANNOTATION_ID=\"a\" TIME_SLOT_REF1=\"1\" TIME_SLOT_REF2=\"2\"><ANNOTATION_VALUE>&e;"
      "</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER></ANNOTATION_DOCUMENT>",
      "xxe.eaf");
  ASSERT_EQ(set.segments.size(), 1u);
  EXPECT_EQ(set.segments[0].label, "&e;");
}

}  // namespace
}  // namespace teamor::annotations
