// The backends shipped with teamor, listed for the registry (registry.cpp).
#include <map>
#include <string>

#include "features/registry.h"

namespace teamor::features {

std::unique_ptr<ViewBackend> make_torchscript_backend(const BackendConfig&,
                                                      const std::filesystem::path&);
#ifdef TEAMOR_FEATURES_HAVE_OPENCV
std::unique_ptr<ViewBackend> make_classic_backend(const BackendConfig&,
                                                  const std::filesystem::path&);
std::unique_ptr<ViewBackend> make_skeleton_backend(const BackendConfig&,
                                                   const std::filesystem::path&);
std::unique_ptr<ViewBackend> make_detector_backend(const BackendConfig&,
                                                   const std::filesystem::path&);
#endif

std::map<std::string, BackendFactory> builtin_backends() {
  std::map<std::string, BackendFactory> backends;
  backends["torchscript"] = make_torchscript_backend;
#ifdef TEAMOR_FEATURES_HAVE_OPENCV
  backends["classic"] = make_classic_backend;
  backends["skeleton"] = make_skeleton_backend;
  backends["detector"] = make_detector_backend;
#endif
  return backends;
}

}  // namespace teamor::features
