// teamor_fuzz_replay TARGET DIR...: runs every file of the corpus folders through one fuzz target
// once (what `fuzzer -runs=0 DIR` does, without needing clang). A crash or an unexpected exception
// fails the ctest test that calls it.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_targets.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TARGET CORPUS_DIR...\n", argv[0]);
    return 2;
  }
  std::size_t files = 0;
  for (int i = 2; i < argc; ++i) {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(argv[i]))
      if (e.is_regular_file()) paths.push_back(e.path());
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      const std::string data((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      if (teamor::fuzz::run_target(argv[1], reinterpret_cast<const std::uint8_t*>(data.data()),
                                   data.size()) != 0) {
        std::fprintf(stderr, "unknown fuzz target '%s'\n", argv[1]);
        return 2;
      }
      ++files;
    }
  }
  std::printf("%s: %zu corpus files ran cleanly\n", argv[1], files);
  return files > 0 ? 0 : 1;
}
