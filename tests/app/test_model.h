#pragma once
// Test fixtures for the pipeline: a small rendered recording and a model bundle with random
// weights (the pipeline's mechanics do not depend on what the weights learned).

#include <filesystem>
#include <string>
#include <vector>

#include "detector/config.h"
#include "detector/model_bundle.h"
#include "detector/network.h"
#include "features/feature_extractor.h"
#include "io/recording.h"
#include "io/safetensors.h"

#ifdef TEAMOR_HAVE_MEDIA
#include "app/synth/synth.h"
#endif

namespace teamor::app::testing {

/// @brief Writes a two-protocol bundle with the classic backend and a small random network.
inline std::filesystem::path make_random_bundle(const std::filesystem::path& dir,
                                                const std::vector<io::View>& views) {
  features::BackendConfig features_config;  // classic, mean fusion of ceiling views
  const int input_dim = features::FeatureExtractor::create(features_config, {})->dimension(views);
  detector::DetectorConfig config;
  config.dataset.input_dim = input_dim;
  config.dataset.num_classes = 2;
  config.model.embd_dim = 16;
  config.model.fpn_dim = 16;
  config.model.head_dim = 16;
  config.improvements.reference_compat = false;
  config.finalize();
  detector::Network network(config);
  detector::ModelBundle bundle;
  bundle.feature_backend = "classic";
  bundle.feature_settings = features_config.to_json().dump();
  bundle.input_dim = input_dim;
  bundle.networks = {{config, {"Time-out", "StOP?"}, "detector.safetensors"}};
  bundle.provenance.source = "test (random weights)";
  detector::save_bundle(dir, bundle, {detector::state_to_safetensors(network)});
  return dir;
}

#ifdef TEAMOR_HAVE_MEDIA
/// @brief Renders a short, small recording (3 views, 160x90) once per @p dir.
inline std::filesystem::path render_small_recording(const std::filesystem::path& dir,
                                                    std::uint64_t seed, double minutes = 0.4) {
  if (std::filesystem::exists(dir / "recording.json")) return dir / "recording.json";
  synth::SynthOptions options;
  options.minutes = minutes;
  options.views = 3;
  options.width = 160;
  options.height = 90;
  options.seed = seed;
  options.timeouts = 0;
  options.stops = 0;
  options.id = "rec" + std::to_string(seed);
  options.threads = 1;
  return synth::render_recording(options, dir).manifest;
}
#endif

}  // namespace teamor::app::testing
