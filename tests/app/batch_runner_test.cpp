#include "app/pipeline/batch_runner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "tests/app/test_dirs.h"

namespace teamor::app::pipeline {
namespace {

using teamor::app::testing::make_test_dir;
using teamor::app::testing::slurp;
namespace fs = std::filesystem;

std::vector<BatchInput> make_inputs(int n) {
  std::vector<BatchInput> inputs;
  for (int i = 0; i < n; ++i)
    inputs.push_back({"rec" + std::to_string(i), "in/rec" + std::to_string(i)});
  return inputs;
}

/// Work that writes "<id>" into the result file and records who it saw.
struct RecordingWork {
  std::mutex mutex;
  std::multiset<std::string> seen;
  std::set<std::string> fail;

  BatchWorkFn fn() {
    return [this](const BatchInput& in, const fs::path& out, const CancelToken& cancel,
                  const ProgressCallback& progress) {
      {
        std::lock_guard lock(mutex);
        seen.insert(in.id);
      }
      cancel.throw_if_cancelled();
      progress({0.5, 1.0, "half"});
      if (fail.count(in.id)) throw FormatError("bad frame", in.path.string(), "frame 12");
      if (in.id == "rec_std") throw std::runtime_error("boom");
      write_file_atomically(out, in.id);
      return ItemOutcome{2, 60.0};
    };
  }
};

TEST(BatchRunner, WritesOneResultPerRecordingAndASummary) {
  const auto dir = make_test_dir();
  BatchOptions options{.out_dir = dir / "out", .jobs = 3};
  RecordingWork work;
  CancelToken cancel;
  std::atomic<int> finished_calls{0};
  double last_progress = -1;
  const auto summary = run_batch(
      make_inputs(7), options, work.fn(), cancel,
      [&](const Progress& p) { last_progress = p.done; },
      [&](const ItemResult&, std::size_t, std::size_t total) {
        EXPECT_EQ(total, 7u);
        ++finished_calls;
      });
  EXPECT_EQ(summary.count(ItemStatus::Done), 7u);
  EXPECT_EQ(finished_calls, 7);
  EXPECT_DOUBLE_EQ(last_progress, 7.0);
  EXPECT_EQ(work.seen.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(slurp(dir / "out" / ("rec" + std::to_string(i) + ".json")),
              "rec" + std::to_string(i));
    EXPECT_EQ(work.seen.count("rec" + std::to_string(i)), 1u);
  }
  const auto [json_path, csv_path] = write_batch_summary(summary, options, "models/default");
  const auto doc = nlohmann::json::parse(slurp(json_path));
  EXPECT_EQ(json_path.filename(), "batch-summary.json");
  EXPECT_EQ(doc["counts"]["done"], 7);
  EXPECT_EQ(doc["model"], "models/default");
  EXPECT_EQ(doc["recordings"].size(), 7u);
  EXPECT_EQ(doc["recordings"][0]["segments"], 2);
  const std::string csv = slurp(csv_path);
  EXPECT_EQ(csv.rfind("id,input,status", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 8);
}

TEST(BatchRunner, FailedRecordingIsReportedAndTheOthersGoOn) {
  const auto dir = make_test_dir();
  BatchOptions options{.out_dir = dir, .jobs = 2};
  RecordingWork work;
  work.fail = {"rec1"};
  auto inputs = make_inputs(4);
  inputs.push_back({"rec_std", "in/x"});
  CancelToken cancel;
  const auto summary = run_batch(inputs, options, work.fn(), cancel);
  EXPECT_EQ(summary.count(ItemStatus::Done), 3u);
  EXPECT_EQ(summary.count(ItemStatus::Failed), 2u);
  EXPECT_EQ(summary.items[1].status, ItemStatus::Failed);
  EXPECT_NE(summary.items[1].error.find("bad frame"), std::string::npos);
  EXPECT_NE(summary.items[1].error.find("frame 12"), std::string::npos);
  EXPECT_NE(summary.items[4].error.find("unexpected error: boom"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "rec1.json"));
  EXPECT_TRUE(fs::exists(dir / "rec3.json"));
  const auto [json_path, csv_path] = write_batch_summary(summary, options);
  const std::string csv = slurp(csv_path);
  EXPECT_NE(csv.find("rec1,in/rec1,failed"), std::string::npos) << csv;
}

TEST(BatchRunner, ResumeSkipsFinishedAndRetriesFailed) {
  const auto dir = make_test_dir();
  BatchOptions options{.out_dir = dir, .jobs = 2};
  RecordingWork first;
  first.fail = {"rec2"};
  CancelToken cancel;
  run_batch(make_inputs(5), options, first.fn(), cancel);
  ASSERT_FALSE(fs::exists(dir / "rec2.json"));

  options.resume = true;
  RecordingWork second;
  const auto summary = run_batch(make_inputs(5), options, second.fn(), cancel);
  EXPECT_EQ(second.seen, (std::multiset<std::string>{"rec2"}));
  EXPECT_EQ(summary.count(ItemStatus::Skipped), 4u);
  EXPECT_EQ(summary.count(ItemStatus::Done), 1u);
  EXPECT_TRUE(fs::exists(dir / "rec2.json"));

  // Without --resume everything runs again.
  options.resume = false;
  RecordingWork third;
  run_batch(make_inputs(5), options, third.fn(), cancel);
  EXPECT_EQ(third.seen.size(), 5u);
}

TEST(BatchRunner, CancelStopsTakingRecordingsAndKeepsTheSummary) {
  const auto dir = make_test_dir();
  BatchOptions options{.out_dir = dir, .jobs = 1};
  CancelToken cancel;
  int calls = 0;
  auto work = [&](const BatchInput& in, const fs::path& out, const CancelToken& token,
                  const ProgressCallback&) {
    ++calls;
    if (calls == 2) {
      cancel.cancel();  // Ctrl-C while the second recording runs
      token.throw_if_cancelled();
    }
    write_file_atomically(out, in.id);
    return ItemOutcome{};
  };
  const auto summary = run_batch(make_inputs(6), options, work, cancel);
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(summary.cancelled);
  EXPECT_EQ(summary.count(ItemStatus::Done), 1u);
  EXPECT_EQ(summary.count(ItemStatus::Cancelled), 5u);
  EXPECT_FALSE(fs::exists(dir / "rec1.json"));  // the cancelled one left no partial result
  const auto [json_path, csv_path] = write_batch_summary(summary, options);
  EXPECT_EQ(nlohmann::json::parse(slurp(json_path))["cancelled"], true);
}

TEST(BatchRunner, ShardSummaryHasItsOwnName) {
  const auto dir = make_test_dir();
  BatchOptions options{.out_dir = dir, .shard = {2, 4}};
  RecordingWork work;
  CancelToken cancel;
  const auto summary = run_batch(make_inputs(1), options, work.fn(), cancel);
  const auto [json_path, csv_path] = write_batch_summary(summary, options);
  EXPECT_EQ(json_path.filename(), "batch-summary.shard-2-of-4.json");
  EXPECT_EQ(csv_path.filename(), "batch-summary.shard-2-of-4.csv");
  EXPECT_EQ(nlohmann::json::parse(slurp(json_path))["shard"], "2/4");
}

}  // namespace
}  // namespace teamor::app::pipeline
