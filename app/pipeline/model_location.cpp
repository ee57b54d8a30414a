#include "app/pipeline/model_location.h"

#include <unistd.h>

#include <cstdlib>
#include <system_error>
#include <vector>

namespace teamor::app::pipeline {
namespace fs = std::filesystem;

namespace {
fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path{} : exe.parent_path();
}
}  // namespace

fs::path default_model_dir() {
  if (const char* env = std::getenv("TEAMOR_MODEL_DIR"); env && *env) return env;
  std::vector<fs::path> candidates = {"models/default"};
  if (const fs::path exe = executable_dir(); !exe.empty()) {
    candidates.push_back(exe / ".." / "share" / "teamor" / "models" / "default");
  }
#ifdef TEAMOR_SOURCE_TREE
  candidates.push_back(fs::path(TEAMOR_SOURCE_TREE) / "models" / "default");
#endif
  std::error_code ec;
  for (const auto& dir : candidates) {
    if (fs::is_regular_file(dir / "model.json", ec)) return dir.lexically_normal();
  }
  return "models/default";
}

}  // namespace teamor::app::pipeline
