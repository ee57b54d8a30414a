#pragma once
// BatchRunner: runs one piece of work (detection) over many recordings, the way an archive needs
// it: one result file per recording, written atomically so that its existence means "finished";
// --resume skips those; a recording that fails is recorded and the others go on; several run at
// once (--jobs); a summary (JSON + CSV) is written at the end, also after Ctrl-C.
//
//   BatchOptions options{.out_dir = "results", .jobs = 2, .resume = true};
//   auto summary = run_batch(select_shard(inputs, shard), options,
//       [&](const BatchInput& in, const fs::path& out, const CancelToken& cancel,
//           const ProgressCallback& progress) { return detect_and_write(in, out, cancel, progress);
//           },
//       cancel_token());
//   write_batch_summary(summary, options);
//
// The work function must write @p out through the atomic writer (or not at all) and may throw any
// exception; teamor::Error messages are kept as they are, others are prefixed "unexpected error".

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "app/pipeline/batch_inputs.h"
#include "common/progress.h"

namespace teamor::app::pipeline {

struct BatchOptions {
  std::filesystem::path out_dir;               ///< result folder (created when missing)
  int jobs = 1;                                ///< recordings processed at once (>= 1)
  Shard shard;                                 ///< which share this process does (for the summary)
  bool resume = false;                         ///< skip recordings whose result file exists
  std::string result_extension = ".json";      ///< result file: <out_dir>/<id><result_extension>
  std::string summary_stem = "batch-summary";  ///< summary files: <stem>[.shard-I-of-N].json/.csv
};

/// @brief What the work function tells about one finished recording.
struct ItemOutcome {
  std::size_t segments = 0;     ///< intervals found
  double media_duration_s = 0;  ///< length of the recording, seconds (for the real-time factor)
};

enum class ItemStatus { Done, Skipped, Failed, Cancelled };

std::string_view to_string(ItemStatus status);

/// @brief What happened to one recording.
struct ItemResult {
  BatchInput input;
  std::filesystem::path output;  ///< the result file (exists for Done and Skipped)
  ItemStatus status = ItemStatus::Cancelled;
  std::string error;  ///< why it failed, for Failed
  double wall_s = 0;  ///< seconds spent on it
  ItemOutcome outcome;
};

struct BatchSummary {
  Shard shard;
  std::size_t total_inputs = 0;   ///< recordings in this shard
  std::vector<ItemResult> items;  ///< in input order
  double wall_s = 0;
  bool cancelled = false;
  std::size_t count(ItemStatus status) const;
};

/// @param input the recording, @param output the result file to write (atomically)
/// @param cancel stop at the next check (throw CancelledError) when set
/// @param progress per-recording progress (done/total of any unit)
using BatchWorkFn =
    std::function<ItemOutcome(const BatchInput& input, const std::filesystem::path& output,
                              const CancelToken& cancel, const ProgressCallback& progress)>;

/// @brief Called after each recording (Done, Skipped or Failed), from worker threads, one at a
/// time.
using ItemFinishedFn =
    std::function<void(const ItemResult& result, std::size_t finished, std::size_t total)>;

/// @brief The result file of @p input under @p options.
std::filesystem::path result_path(const BatchOptions& options, const BatchInput& input);

/// @brief Runs @p work over @p inputs with options.jobs threads.
/// @param progress overall progress in recordings (fractions of running ones included)
/// @param on_finished notified after each recording
/// @return the summary; when @p cancel was set, unfinished items are Cancelled and
///         summary.cancelled is true (nothing is thrown, so the caller can still save the summary)
/// @throws IoError when the output folder cannot be created
BatchSummary run_batch(const std::vector<BatchInput>& inputs, const BatchOptions& options,
                       const BatchWorkFn& work, const CancelToken& cancel,
                       const ProgressCallback& progress = {},
                       const ItemFinishedFn& on_finished = {});

/// @brief Writes <out_dir>/<summary_stem>[.shard-I-of-N].json and .csv atomically.
/// @return the paths written (JSON, CSV)
std::pair<std::filesystem::path, std::filesystem::path> write_batch_summary(
    const BatchSummary& summary, const BatchOptions& options, const std::string& model = {});

}  // namespace teamor::app::pipeline
