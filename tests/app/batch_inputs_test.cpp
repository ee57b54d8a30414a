#include "app/pipeline/batch_inputs.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "tests/app/test_dirs.h"

namespace teamor::app::pipeline {
namespace {

using teamor::app::testing::make_test_dir;
using teamor::app::testing::touch;
namespace fs = std::filesystem;

std::vector<std::string> ids(const std::vector<BatchInput>& inputs) {
  std::vector<std::string> out;
  for (const auto& input : inputs)
    out.push_back(input.id);
  return out;
}

TEST(BatchInputs, ParsesShards) {
  EXPECT_EQ(parse_shard("0/1"), (Shard{0, 1}));
  EXPECT_EQ(parse_shard("3/16"), (Shard{3, 16}));
  EXPECT_EQ(to_string(Shard{3, 16}), "3/16");
  for (const char* bad : {"", "1", "1/1", "-1/2", "2/2", "a/3", "1/0", "1/2x", "1 /2"}) {
    EXPECT_THROW(parse_shard(bad), ConfigError) << bad;
  }
}

TEST(BatchInputs, FolderOfRecordingsIsSortedAndSkipsOtherThings) {
  const auto dir = make_test_dir();
  touch(dir / "OR2" / "recording.json");
  touch(dir / "OR10" / "cam1.mp4");
  touch(dir / "OR1" / "cam1.MKV");
  touch(dir / "OR3.json");               // a manifest lying in the folder
  touch(dir / "notes" / "readme.txt");   // no manifest, no video: not a recording
  touch(dir / ".cache" / "x.mp4");       // hidden
  touch(dir / "out" / "a" / "cam.mp4");  // the output folder, excluded below
  const auto inputs = discover_batch_inputs(dir, dir / "out");
  EXPECT_EQ(ids(inputs), (std::vector<std::string>{"OR1", "OR10", "OR2", "OR3"}));
  EXPECT_EQ(inputs[3].path, (dir / "OR3.json").lexically_normal());
}

TEST(BatchInputs, FolderThatIsARecordingIsABatchOfOne) {
  const auto dir = make_test_dir();
  touch(dir / "OR7" / "recording.json");
  touch(dir / "OR7" / "sub" / "recording.json");
  const auto inputs = discover_batch_inputs(dir / "OR7");
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].id, "OR7");
}

TEST(BatchInputs, ListFileResolvesRelativePathsAndSkipsComments) {
  const auto dir = make_test_dir();
  touch(dir / "data" / "A" / "recording.json");
  touch(dir / "data" / "B" / "recording.json");
  touch(dir / "other" / "C.json");
  touch(dir / "lists" / "all.txt", "# my recordings\n\n../data/B/recording.json\n  ../data/A  \n" +
                                       (dir / "other" / "C.json").string() + "\n");
  const auto inputs = discover_batch_inputs(dir / "lists" / "all.txt");
  EXPECT_EQ(ids(inputs), (std::vector<std::string>{"A", "B", "C"}));
}

TEST(BatchInputs, MissingListedPathNamesTheLine) {
  const auto dir = make_test_dir();
  touch(dir / "list.txt", "# header\nnowhere/recording.json\n");
  try {
    discover_batch_inputs(dir / "list.txt");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(e.position(), "line 2");
    EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos);
  }
}

TEST(BatchInputs, DuplicateIdsAndEmptyInputsAreRefused) {
  const auto dir = make_test_dir();
  touch(dir / "x" / "OR1" / "recording.json");
  touch(dir / "y" / "OR1" / "recording.json");
  touch(dir / "list.txt", "x/OR1\ny/OR1\n");
  EXPECT_THROW(discover_batch_inputs(dir / "list.txt"), ConfigError);
  fs::create_directories(dir / "empty");
  EXPECT_THROW(discover_batch_inputs(dir / "empty"), ConfigError);
  EXPECT_THROW(discover_batch_inputs(dir / "missing"), IoError);
}

TEST(BatchInputs, ShardsPartitionTheListExactly) {
  std::vector<BatchInput> inputs;
  for (int i = 0; i < 23; ++i)
    inputs.push_back({"r" + std::to_string(100 + i), "p"});
  for (int n : {1, 2, 3, 5, 23, 40}) {
    std::multiset<std::string> seen;
    for (int i = 0; i < n; ++i) {
      const auto mine = select_shard(inputs, {i, n});
      // Balanced: shard sizes differ by at most one.
      EXPECT_LE(mine.size(), (inputs.size() + n - 1) / n);
      EXPECT_GE(mine.size(), inputs.size() / n);
      for (const auto& input : mine)
        seen.insert(input.id);
    }
    EXPECT_EQ(seen.size(), inputs.size()) << n;
    for (const auto& input : inputs)
      EXPECT_EQ(seen.count(input.id), 1u) << n;
  }
}

}  // namespace
}  // namespace teamor::app::pipeline
