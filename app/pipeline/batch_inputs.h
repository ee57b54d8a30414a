#pragma once
// What a batch works on: the recordings named by INPUT (a folder of recordings or a list file), in
// a fixed order, and the share of them one shard (one Slurm array task) does.
//
//   auto all = discover_batch_inputs("archive/");          // sorted by id, ids unique
//   auto mine = select_shard(all, parse_shard("3/16"));     // items 3, 19, 35, ...
//
// Sharding is a pure function of the sorted list, so N processes started with --shard 0/N .. N-1/N
// on the same INPUT do every recording exactly once, without talking to each other.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace teamor::app::pipeline {

/// One recording of a batch.
struct BatchInput {
  std::string id;              ///< name of its result files: folder name or manifest stem
  std::filesystem::path path;  ///< what Recording::open() is given (folder or manifest)
  friend bool operator==(const BatchInput&, const BatchInput&) = default;
};

/// Shard @p index of @p count: takes the items whose position in the sorted list is index mod
/// count.
struct Shard {
  int index = 0;
  int count = 1;
  friend bool operator==(const Shard&, const Shard&) = default;
};

/// @brief Parses "I/N" (0 <= I < N).
/// @throws ConfigError naming the value when it is not of that form
Shard parse_shard(std::string_view text);

/// @brief "I/N".
std::string to_string(const Shard& shard);

/// @brief True for file names that look like videos (.mp4, .mkv, .avi, .mov, .m4v, .webm, .mpg,
/// .ts).
bool is_video_file(const std::filesystem::path& path);

/// @brief The recordings named by @p input, sorted by id.
///
/// - A folder that is itself a recording (holds recording.json or video files) is a batch of one.
/// - Another folder: each sub-folder holding recording.json or video files, and each `*.json`
///   manifest directly in it, is one recording; hidden entries and @p exclude are skipped.
/// - A file: a list, one folder or manifest per line, relative paths resolved against the list's
///   folder; blank lines and lines starting with '#' are ignored.
/// @param exclude a folder to leave out (the output folder when it lies inside @p input)
/// @throws IoError when @p input does not exist or a listed path is missing (with its line)
/// @throws ConfigError when two recordings would get the same id, or there are none
std::vector<BatchInput> discover_batch_inputs(const std::filesystem::path& input,
                                              const std::filesystem::path& exclude = {});

/// @brief The items of @p shard: those at positions p with p % count == index.
std::vector<BatchInput> select_shard(const std::vector<BatchInput>& inputs, const Shard& shard);

}  // namespace teamor::app::pipeline
