// The global --quiet / --verbose flags of the `teamor` binary, before or after the subcommand: they
// must take effect before the subcommand runs (its log lines are written while it runs).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/app/process_runner.h"

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string output;
};

CliRun run_synth(const std::vector<std::string>& flags_before,
                 const std::vector<std::string>& flags_after, const std::string& tag) {
  const fs::path dir = fs::temp_directory_path() /
                       ("teamor_global_options_" + tag + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::vector<std::string> args{TEAMOR_CLI};
  args.insert(args.end(), flags_before.begin(), flags_before.end());
  args.insert(args.end(), {"synth", "--out", (dir / "rec").string(), "--minutes", "1", "--views",
                           "2", "--size", "160x96", "--time-scale", "0.1", "--stops", "0"});
  args.insert(args.end(), flags_after.begin(), flags_after.end());
  fs::create_directories(dir);
  const auto log = (dir / "log.txt").string();
  CliRun run;
  run.status = teamor::app::testing::run_process(args, log);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  run.output = text.str();
  fs::remove_all(dir);
  return run;
}

}  // namespace

TEST(GlobalOptions, QuietSilencesInfoBeforeOrAfterTheSubcommand) {
  const CliRun plain = run_synth({}, {}, "plain");
  ASSERT_EQ(plain.status, 0) << plain.output;
  EXPECT_NE(plain.output.find("info:"), std::string::npos) << plain.output;

  const CliRun before = run_synth({"--quiet"}, {}, "before");
  ASSERT_EQ(before.status, 0) << before.output;
  EXPECT_EQ(before.output.find("info:"), std::string::npos) << before.output;

  const CliRun after = run_synth({}, {"-q"}, "after");
  ASSERT_EQ(after.status, 0) << after.output;
  EXPECT_EQ(after.output.find("info:"), std::string::npos) << after.output;
}

TEST(GlobalOptions, BadOptionValueIsOneLineErrorAndExitOne) {
  const CliRun bad = run_synth({"-q"}, {"--fps", "-3"}, "bad");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.output.find("--fps"), std::string::npos) << bad.output;
}
