#pragma once
// Registry of feature backends: name -> factory, so a model bundle picks its backend by name.
// Built-in backends (classic, torchscript, skeleton, detector) are registered on first use.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "features/backend_config.h"
#include "features/view_backend.h"

namespace teamor::features {

/// Builds a backend from its config; @p bundle_dir resolves relative weight file names.
using BackendFactory = std::function<std::unique_ptr<ViewBackend>(
    const BackendConfig& config, const std::filesystem::path& bundle_dir)>;

/// @brief Registers @p factory under @p name (replacing an earlier one of that name).
void register_backend(const std::string& name, BackendFactory factory);

/// @brief Builds the backend named config.backend.
/// @throws ConfigError listing the known names when the name is unknown; whatever the factory
/// throws (ModelError / IoError for missing or broken weight files, ConfigError for bad settings)
std::unique_ptr<ViewBackend> make_backend(const BackendConfig& config,
                                          const std::filesystem::path& bundle_dir);

/// Names of all registered backends, sorted.
std::vector<std::string> backend_names();

}  // namespace teamor::features
