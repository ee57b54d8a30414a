#include "app/pipeline/progress_reporter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace teamor::app::pipeline {
namespace {

std::string read_all(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[512];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file))
    text.append(buffer, n);
  return text;
}

TEST(ProgressReporter, FormatsDurations) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(42.4), "42s");
  EXPECT_EQ(format_duration(187), "3m07s");
  EXPECT_EQ(format_duration(3720), "1h02m");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(ProgressReporter, LineHasPercentRateAndEta) {
  ProgressReporter reporter({.label = "detect OR1", .unit = "clip", .stream = stderr, .tty = 0});
  // 50 of 200 clips in 10 s: 5 clip/s, 150 left -> 30 s.
  const std::string line = reporter.format_line({50, 200, "features"}, 10.0);
  EXPECT_NE(line.find("detect OR1 [features]"), std::string::npos) << line;
  EXPECT_NE(line.find("25.0%"), std::string::npos) << line;
  EXPECT_NE(line.find("(50/200 clip)"), std::string::npos) << line;
  EXPECT_NE(line.find("5 clip/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 30s"), std::string::npos) << line;
  EXPECT_NE(line.find("10s elapsed"), std::string::npos) << line;
  reporter.interrupt();
}

TEST(ProgressReporter, UnknownTotalHasNoEta) {
  ProgressReporter reporter({.label = "scan", .unit = "frame", .stream = stderr, .tty = 0});
  const std::string line = reporter.format_line({300, 0, ""}, 2.0);
  EXPECT_NE(line.find("300 frame"), std::string::npos) << line;
  EXPECT_EQ(line.find("ETA"), std::string::npos) << line;
  reporter.interrupt();
}

TEST(ProgressReporter, PlainOutputIsWholeLinesWithoutControlCodes) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  {
    ProgressReporter reporter(
        {.label = "job", .unit = "clip", .stream = file, .tty = 0, .plain_interval_s = 1e9});
    reporter.update({1, 10, "a"});  // first report prints
    reporter.update({2, 10, "a"});  // throttled
    reporter.update({3, 10, "b"});  // stage change prints
    reporter.finish("3 intervals");
  }
  const std::string text = read_all(file);
  std::fclose(file);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  int lines = 0;
  for (char c : text)
    lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 3) << text;
  EXPECT_NE(text.find("job: done in"), std::string::npos) << text;
  EXPECT_NE(text.find("3 intervals"), std::string::npos) << text;
}

TEST(ProgressReporter, TerminalOutputRedrawsOneLine) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  {
    ProgressReporter reporter(
        {.label = "job", .unit = "clip", .stream = file, .tty = 1, .tty_interval_s = 0});
    for (int i = 1; i <= 5; ++i)
      reporter.update({double(i), 5, ""});
    reporter.finish();
  }
  const std::string text = read_all(file);
  std::fclose(file);
  int returns = 0, newlines = 0;
  for (char c : text) {
    returns += c == '\r' ? 1 : 0;
    newlines += c == '\n' ? 1 : 0;
  }
  EXPECT_EQ(returns, 6) << text;  // five redraws and the final line
  EXPECT_EQ(newlines, 1) << text;
}

}  // namespace
}  // namespace teamor::app::pipeline
