#pragma once
// One fuzz entry point per annotation reader. The libFuzzer binaries (fuzz_entry.cpp, built with
// the `fuzz` preset and clang) call one of them; the replay tool (replay_main.cpp, built in every
// configuration) runs a committed seed corpus through them so CI checks the corpora on every build.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace teamor::fuzz {

/// Names of the targets: "activitynet", "elan", "csv", "boris", "boris_tabular", "thumos14",
/// "label_studio", "team_or_pickle".
const std::vector<std::string_view>& target_names();

/// @brief Parses @p data with the named reader; teamor errors are expected and swallowed, anything
/// else (another exception, a crash, a sanitizer report) is a finding. When parsing succeeds the
/// result is also written back in the same format (when writable), to exercise the writers.
/// @return 0 (libFuzzer's convention); -1 for an unknown target name.
int run_target(std::string_view target, const std::uint8_t* data, std::size_t size);

}  // namespace teamor::fuzz
