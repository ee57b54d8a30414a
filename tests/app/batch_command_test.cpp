// The `teamor` binary itself on rendered recordings: batch with concurrent shards, a broken
// recording and --resume; detect RECORDING; extract.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

#include "features/feature_cache.h"
#include "tests/app/process_runner.h"
#include "tests/app/test_dirs.h"
#include "tests/app/test_model.h"

namespace teamor::app {
namespace {

namespace fs = std::filesystem;
using namespace teamor::app::testing;

class TeamorCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("teamor_command_" + std::to_string(::getpid()));
    fs::create_directories(root_);
    for (int seed : {21, 22, 23, 24}) {
      render_small_recording(root_ / "archive" / ("rec" + std::to_string(seed)), seed, 0.25);
    }
    // A recording whose only video is not a video: it must fail alone.
    touch(root_ / "archive" / "rec_broken" / "cam1.mp4", "this is not an mp4 file");
    make_random_bundle(root_ / "bundle",
                       io::Recording::open(root_ / "archive" / "rec21" / "recording.json").views);
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static int teamor(std::vector<std::string> args, const fs::path& log) {
    args.insert(args.begin(), TEAMOR_CLI);
    return run_process(args, log.string());
  }

  static fs::path root_;
};
fs::path TeamorCommandTest::root_;

TEST_F(TeamorCommandTest, ConcurrentBatchShardsDoEveryRecordingOnceAndResumeRetriesFailures) {
  const fs::path out = root_ / "results";
  constexpr int kShards = 3;
  std::vector<pid_t> pids;
  for (int i = 0; i < kShards; ++i) {
    pids.push_back(
        spawn_process({TEAMOR_CLI, "batch", (root_ / "archive").string(), "--model",
                       (root_ / "bundle").string(), "--out", out.string(), "--shard",
                       std::to_string(i) + "/" + std::to_string(kShards), "--no-progress"},
                      (root_ / ("shard" + std::to_string(i) + ".log")).string()));
    ASSERT_GT(pids.back(), 0);
  }
  std::vector<int> codes;
  for (pid_t pid : pids)
    codes.push_back(wait_process(pid));
  // Sorted ids: rec21 rec22 rec23 rec24 rec_broken -> rec_broken is position 4, shard 1 of 3.
  EXPECT_EQ(codes, (std::vector<int>{0, 1, 0})) << slurp(root_ / "shard1.log");

  std::map<std::string, std::vector<std::string>> statuses;
  for (int i = 0; i < kShards; ++i) {
    const auto doc = nlohmann::json::parse(
        slurp(out / ("batch-summary.shard-" + std::to_string(i) + "-of-3.json")));
    for (const auto& item : doc["recordings"])
      statuses[item["id"]].push_back(item["status"]);
  }
  ASSERT_EQ(statuses.size(), 5u);
  for (const char* id : {"rec21", "rec22", "rec23", "rec24"}) {
    EXPECT_EQ(statuses[id], std::vector<std::string>{"done"}) << id;
    const auto result = nlohmann::json::parse(slurp(out / (std::string(id) + ".json")));
    EXPECT_TRUE(result.contains("results")) << id;
    EXPECT_TRUE(fs::exists(out / (std::string(id) + ".report.json"))) << id;
  }
  EXPECT_EQ(statuses["rec_broken"], std::vector<std::string>{"failed"});
  EXPECT_FALSE(fs::exists(out / "rec_broken.json"));

  // Resume without shards: finished recordings are skipped (result files untouched), the broken
  // one is tried again and fails again.
  const auto stamp = fs::last_write_time(out / "rec22.json");
  EXPECT_EQ(teamor({"batch", (root_ / "archive").string(), "--model", (root_ / "bundle").string(),
                    "--out", out.string(), "--resume", "--no-progress"},
                   root_ / "resume.log"),
            1);
  EXPECT_EQ(fs::last_write_time(out / "rec22.json"), stamp);
  const auto summary = nlohmann::json::parse(slurp(out / "batch-summary.json"));
  EXPECT_EQ(summary["counts"]["skipped"], 4);
  EXPECT_EQ(summary["counts"]["failed"], 1);
  const std::string csv = slurp(out / "batch-summary.csv");
  EXPECT_NE(csv.find("rec_broken,"), std::string::npos);
}

TEST_F(TeamorCommandTest, DetectPrintsATablePerProtocolAndWritesTheFile) {
  const fs::path log = root_ / "detect.log";
  const fs::path eaf = root_ / "detect" / "rec23.eaf";
  fs::create_directories(eaf.parent_path());
  ASSERT_EQ(teamor({"detect", (root_ / "archive" / "rec23").string(), "--model",
                    (root_ / "bundle").string(), "--out", eaf.string(), "--no-progress"},
                   log),
            0)
      << slurp(log);
  const std::string text = slurp(log);
  EXPECT_NE(text.find("Time-out:"), std::string::npos) << text;
  EXPECT_NE(text.find("StOP?:"), std::string::npos) << text;
  EXPECT_NE(slurp(eaf).find("ANNOTATION_DOCUMENT"), std::string::npos);
  EXPECT_TRUE(fs::exists(root_ / "detect" / "rec23.report.json"));

  // A missing recording is one clear line and exit 1.
  EXPECT_EQ(
      teamor({"detect", (root_ / "nowhere").string(), "--model", (root_ / "bundle").string()}, log),
      1);
}

TEST_F(TeamorCommandTest, ExtractWritesTheReferenceLayout) {
  const fs::path features_dir = root_ / "features";
  const fs::path log = root_ / "extract.log";
  ASSERT_EQ(teamor({"extract", (root_ / "archive" / "rec24").string(), "--model",
                    (root_ / "bundle").string(), "--out", features_dir.string(), "--no-progress"},
                   log),
            0)
      << slurp(log);
  EXPECT_TRUE(fs::exists(features_dir / "videomaev2" / "rec24.npy"));
  EXPECT_TRUE(fs::exists(features_dir / "meta.json"));
  const auto sequence = features::read_features(features_dir, "rec24");
  EXPECT_GT(sequence.T, 5);
  EXPECT_EQ(sequence.backend, "classic");
}

}  // namespace
}  // namespace teamor::app
