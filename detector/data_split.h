#pragma once
// Which videos train and which are held out (MAXAVG_SPEC section 1.2). The reference rule: list the
// VideoMAEv2 feature files, sort the names as plain strings, keep stems ending in the character '1'
// (meant as camera view 1), first floor(ratio * N) train, the rest test. An explicit split file
// overrides it: JSON {"training": [ids...], "test": [ids...]} ("train"/"validation" also accepted).

#include <filesystem>
#include <string>
#include <vector>

namespace teamor::detector {

/// @brief Video ids for training and for the held-out evaluation.
struct DataSplit {
  std::vector<std::string> training;  ///< ids used to train, in split order
  std::vector<std::string> test;      ///< held-out ids, in split order
};

/// @brief The reference split over feature file names.
/// @param file_names names of the files in the feature folder (e.g. "or01_view1.npy"); any order
/// @param train_ratio fraction of the kept ids that train (0.6 in the reference)
/// @return the split; ids are stems (name before the last '.')
/// @throws ConfigError when train_ratio is outside [0, 1]
DataSplit reference_split(std::vector<std::string> file_names, double train_ratio);

/// @brief Reads an explicit split file.
/// @throws IoError when unreadable, FormatError naming the file and key when it is not a JSON
/// object
///         with string lists under "training"/"train" and "test"/"validation", or an id appears
///         twice
DataSplit load_split_file(const std::filesystem::path& path);

/// @brief Checks that both parts are non-empty and disjoint.
/// @param source where the split came from (for the message)
/// @throws ConfigError naming the empty part or the shared id
void check_split(const DataSplit& split, const std::string& source);

}  // namespace teamor::detector
