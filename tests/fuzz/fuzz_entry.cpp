// libFuzzer entry point; TEAMOR_FUZZ_TARGET names the reader (see fuzz_targets.h).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return teamor::fuzz::run_target(TEAMOR_FUZZ_TARGET, data, size);
}
