#include "annotations/labels.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace teamor::annotations {
namespace {

TEST(LabelAliases, MapsTeamOrCodesAndCommonSpellingsToCanonicalLabels) {
  const auto a = LabelAliases::builtin();
  EXPECT_EQ(a.canonical("11 (Time-Out)"), "Time-out");
  EXPECT_EQ(a.canonical("  timeout "), "Time-out");
  EXPECT_EQ(a.canonical("TIME-OUT"), "Time-out");
  EXPECT_EQ(a.canonical("(10) STOP"), "StOP?");
  EXPECT_EQ(a.canonical("stop"), "StOP?");
  EXPECT_EQ(a.canonical("StOP?"), "StOP?");
}

TEST(LabelAliases, KeepsUnknownLabels) {
  EXPECT_EQ(LabelAliases::builtin().canonical("Long jump"), "Long jump");
  EXPECT_EQ(LabelAliases().canonical(" 11 (Time-Out) "), "11 (Time-Out)");
}

TEST(LabelAliases, UserJsonExtendsTheTable) {
  auto a = LabelAliases::builtin();
  a.load_json_text(R"({"SSC": "StOP?", "Briefing": ["brief", "Team brief"]})", "aliases.json");
  EXPECT_EQ(a.canonical("ssc"), "StOP?");
  EXPECT_EQ(a.canonical("team brief"), "Briefing");
  EXPECT_EQ(a.canonical("Briefing"), "Briefing");
  auto b = LabelAliases();
  b.load_json_text(R"({"aliases": {"TO": "Time-out"}})", "x.json");
  EXPECT_EQ(b.canonical("to"), "Time-out");
}

TEST(LabelAliases, BadJsonNamesTheFileAndEntry) {
  auto a = LabelAliases();
  try {
    a.load_json_text(R"({"x": 3})", "aliases.json");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), "aliases.json");
    EXPECT_EQ(e.position(), "/x");
  }
  EXPECT_THROW(a.load_json_text("{", "a.json"), FormatError);
  EXPECT_THROW(a.load_json_text("[1]", "a.json"), FormatError);
}

}  // namespace
}  // namespace teamor::annotations
