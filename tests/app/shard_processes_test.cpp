// N shard processes started at once over the same input must do every recording exactly once:
// the property a Slurm job array relies on.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

#include "tests/app/process_runner.h"
#include "tests/app/test_dirs.h"

namespace teamor::app::pipeline {
namespace {

using namespace teamor::app::testing;
namespace fs = std::filesystem;

/// Count of log lines per id ("<id> <pid>" lines).
std::map<std::string, int> count_ids(const fs::path& log) {
  std::map<std::string, int> counts;
  std::istringstream in(slurp(log));
  std::string id, pid;
  while (in >> id >> pid)
    ++counts[id];
  return counts;
}

TEST(ShardProcesses, ConcurrentShardsDoEveryRecordingExactlyOnce) {
  const auto dir = make_test_dir();
  std::vector<std::string> ids;
  std::string list;
  for (int i = 0; i < 17; ++i) {
    ids.push_back("OR" + std::to_string(100 + i));
    touch(dir / "data" / ids.back() / "recording.json", "{}");
    list += "data/" + ids.back() + "\n";
  }
  touch(dir / "data" / "OR_broken" / "recording.json", "{}");
  list += "data/OR_broken\n";
  touch(dir / "list.txt", list);
  const fs::path out = dir / "out";
  const fs::path log = dir / "work.log";

  constexpr int kShards = 4;
  std::vector<pid_t> pids;
  for (int i = 0; i < kShards; ++i) {
    pids.push_back(spawn_process({TEAMOR_BATCH_PROBE, (dir / "list.txt").string(), out.string(),
                                  std::to_string(i) + "/" + std::to_string(kShards), log.string(),
                                  "--jobs", "2"}));
    ASSERT_GT(pids.back(), 0);
  }
  int failed_shards = 0;
  for (pid_t pid : pids)
    failed_shards += wait_process(pid) == 1 ? 1 : 0;
  EXPECT_EQ(failed_shards, 1);  // only the shard holding OR_broken reports a failure

  const auto counts = count_ids(log);
  EXPECT_EQ(counts.size(), ids.size() + 1);
  for (const auto& [id, n] : counts)
    EXPECT_EQ(n, 1) << id << " was done " << n << " times";
  for (const auto& id : ids)
    EXPECT_TRUE(fs::exists(out / (id + ".json"))) << id;
  EXPECT_FALSE(fs::exists(out / "OR_broken.json"));

  // Each shard wrote its own summary; together they cover every recording once.
  std::map<std::string, std::string> status;
  for (int i = 0; i < kShards; ++i) {
    const fs::path summary = out / ("batch-summary.shard-" + std::to_string(i) + "-of-" +
                                    std::to_string(kShards) + ".json");
    ASSERT_TRUE(fs::exists(summary)) << summary;
    const auto doc = nlohmann::json::parse(slurp(summary));
    for (const auto& item : doc["recordings"]) {
      EXPECT_TRUE(status.emplace(item["id"], item["status"]).second) << item["id"];
    }
  }
  EXPECT_EQ(status.size(), ids.size() + 1);
  EXPECT_EQ(status["OR_broken"], "failed");

  // A resumed array only retries what failed.
  fs::remove(log);
  pids.clear();
  for (int i = 0; i < kShards; ++i) {
    pids.push_back(spawn_process({TEAMOR_BATCH_PROBE, (dir / "list.txt").string(), out.string(),
                                  std::to_string(i) + "/" + std::to_string(kShards), log.string(),
                                  "--resume"}));
  }
  for (pid_t pid : pids)
    wait_process(pid);
  EXPECT_EQ(count_ids(log), (std::map<std::string, int>{{"OR_broken", 1}}));
}

}  // namespace
}  // namespace teamor::app::pipeline
