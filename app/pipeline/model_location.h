#pragma once
// Where the default model bundle is, so `teamor detect`, `batch` and `demo` work without --model
// from any working directory.

#include <filesystem>

namespace teamor::app::pipeline {

/// @brief The default model bundle: $TEAMOR_MODEL_DIR when set, else the first folder holding a
/// model.json among ./models/default, <teamor executable>/../share/teamor/models/default and the
/// source tree's models/default (for a build tree); else "models/default" (whose absence the
/// detector then reports).
std::filesystem::path default_model_dir();

}  // namespace teamor::app::pipeline
