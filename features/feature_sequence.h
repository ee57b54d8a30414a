#pragma once
// FeatureSequence: the [T x C] features of one recording on the clip grid, with their metadata.

#include <cstdint>
#include <string>
#include <vector>

#include "io/clip_sampler.h"

namespace teamor::features {

/// @brief Row t holds clip t's fused vector; row t is centred on grid time
/// (t * grid.stride + grid.clip_frames / 2) / grid.fps seconds.
struct FeatureSequence {
  std::vector<float> values;               ///< T * C floats, row-major [T, C]
  std::int64_t T = 0;                      ///< rows (clips)
  int C = 0;                               ///< channels
  io::ClipGrid grid;                       ///< grid convention of the rows
  std::string backend;                     ///< backend name ("classic", "reference", ...)
  std::vector<std::string> channel_names;  ///< C names, or empty when unknown
  std::string config_json;  ///< the BackendConfig that made it (JSON text), empty when unknown

  const float* row(std::int64_t t) const { return values.data() + t * C; }
  float* row(std::int64_t t) { return values.data() + t * C; }
  /// Centre of row @p t in seconds on the recording timeline.
  double time_s(std::int64_t t) const {
    return (static_cast<double>(t) * grid.stride + grid.clip_frames / 2.0) / grid.fps;
  }
  /// Index of channel @p name, or -1.
  int channel(const std::string& name) const;
  /// @brief Appends one row of C values (sets C on the first row).
  /// @throws ConfigError when the row length differs from C
  void append(const std::vector<float>& row_values);
};

}  // namespace teamor::features
