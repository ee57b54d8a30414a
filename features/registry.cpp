#include "features/registry.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>

#include "common/error.h"

namespace teamor::features {

// Defined in builtin_backends.cpp: the backends shipped with teamor.
std::map<std::string, BackendFactory> builtin_backends();

namespace {

// Built-ins are listed explicitly (not registered by static initialisers), so linking the static
// library cannot drop them.
struct Registry {
  std::mutex mutex;
  std::map<std::string, BackendFactory> factories = builtin_backends();
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void register_backend(const std::string& name, BackendFactory factory) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.factories[name] = std::move(factory);
}

std::unique_ptr<ViewBackend> make_backend(const BackendConfig& config,
                                          const std::filesystem::path& bundle_dir) {
  BackendFactory factory;
  {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.factories.find(config.backend);
    if (it == r.factories.end()) {
      std::string known;
      for (const auto& [name, f] : r.factories)
        known += (known.empty() ? "" : ", ") + name;
      throw ConfigError("unknown feature backend '" + config.backend + "': known are " + known, {},
                        "features.backend");
    }
    factory = it->second;
  }
  auto backend = factory(config, bundle_dir);
  TEAMOR_ASSERT(backend != nullptr);
  return backend;
}

std::vector<std::string> backend_names() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, f] : r.factories)
    names.push_back(name);
  return names;
}

std::vector<int> ViewBackend::frame_indices(int clip_frames) const {
  const int n = std::min(frames_per_clip(), clip_frames);
  std::vector<int> indices;
  for (int j = 0; j < n; ++j)
    indices.push_back(static_cast<int>(std::int64_t{j} * clip_frames / n));
  return indices;
}

}  // namespace teamor::features
