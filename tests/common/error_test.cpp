#include "common/error.h"

#include <gtest/gtest.h>

TEST(Error, WhatNamesFilePositionAndMessage) {
  teamor::FormatError e("expected a number", "a.json", "line 3");
  EXPECT_STREQ(e.what(), "a.json: line 3: expected a number");
  EXPECT_EQ(e.file(), "a.json");
  EXPECT_EQ(e.position(), "line 3");
  EXPECT_EQ(e.message(), "expected a number");
}

TEST(Error, AssertThrowsWithExpression) {
  const int frames = 3;
  try {
    TEAMOR_ASSERT(frames == 4);
    FAIL();
  } catch (const teamor::Error& e) {
    EXPECT_NE(std::string(e.what()).find("frames == 4"), std::string::npos);
  }
}
