#pragma once
// BackendConfig: which feature backend a model bundle uses and how its per-view vectors are fused.
// It is the "features" object of a bundle's model.json:
//
//   "features": {"backend": "classic", "device": "cpu", "batch_clips": 8,
//                "fusion": {"ceiling": "mean", "ceiling_slots": 0, "endoscope": true},
//                "settings": { ...backend specific, see features/README.md... }}

#include <nlohmann/json.hpp>
#include <string>

namespace teamor::features {

/// How the ceiling (room) views of a clip are combined into one block of the fused vector.
enum class CeilingFusion {
  Mean,    ///< element-wise mean over the present ceiling views (any number of views)
  Max,     ///< element-wise maximum over the present ceiling views (any number of views)
  Concat,  ///< one block per ceiling view in recording order, `ceiling_slots` blocks
};

/// @brief Fusion of per-view vectors into the one vector per clip that the detector sees.
struct FusionConfig {
  CeilingFusion ceiling =
      CeilingFusion::Mean;  ///< how ceiling views (role Ceiling or Other) combine
  int ceiling_slots =
      0;  ///< Concat only: number of ceiling blocks (>= 1); missing views give zeros
  bool endoscope = true;  ///< append an endoscope block (zeros and flag 0 when there is none)
};

/// @brief A feature backend chosen by name plus its settings (see features/README.md).
struct BackendConfig {
  std::string backend = "classic";  ///< registry name: classic, torchscript, skeleton, detector
  std::string device = "cpu";       ///< cpu or cuda (torch backends; others run on the CPU)
  int batch_clips = 8;              ///< torch backends: clips per forward pass (>= 1)
  FusionConfig fusion;              ///< view fusion
  nlohmann::json settings = nlohmann::json::object();  ///< backend-specific keys

  /// @brief Reads the "features" object of model.json; missing keys keep their defaults.
  /// @throws ConfigError naming the key for unknown keys or impossible values
  static BackendConfig from_json(const nlohmann::json& json);
  /// @brief The inverse of from_json (all keys written).
  nlohmann::json to_json() const;
};

}  // namespace teamor::features
