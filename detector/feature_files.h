#pragma once
// Feature files on disk. Two layouts:
//  * reference: DIR/videomaev2/<id>.npy [T_v, 1408] + DIR/stgcnpp/<id>.npy [T_s, 256]; the shorter
//    stream is padded at the FRONT by repeating its first row (spec 1.4), then concatenated
//    (VideoMAE channels first).
//  * teamor:    DIR/meta.json {"format": "teamor-features", "version": 1, "channels": C,
//    "feat_stride": 32, "num_frames": 32, "fps": 30, "backend": "..."} + DIR/<id>.npy [T, C].
// Files are float16 or float32; values are float32 in memory.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace teamor::detector {

/// @brief Grid convention: grid index g <-> seconds t = (g * feat_stride + num_frames / 2) / fps.
struct GridConvention {
  int feat_stride = 32;  ///< video frames between rows
  int num_frames = 32;   ///< frames per clip
  double fps = 30.0;     ///< frames per second
  /// @brief Seconds of grid position @p g (may be fractional).
  double to_seconds(double g) const { return (g * feat_stride + 0.5 * num_frames) / fps; }
};

/// @brief One video's features, time-major.
struct FeatureSequence {
  std::string id;             ///< video id (file stem)
  int64_t length = 0;         ///< T, feature steps
  int64_t channels = 0;       ///< C
  std::vector<float> values;  ///< T * C floats, row t at [t * C, (t + 1) * C)
  GridConvention grid;        ///< how rows map to seconds
  /// @brief Real duration covered, in seconds: the end of the last clip.
  double duration_s() const {
    return length <= 0 ? 0.0 : ((length - 1) * grid.feat_stride + grid.num_frames) / grid.fps;
  }
};

enum class FeatureLayout { Reference, Teamor };

/// @brief Detects the layout of @p dir (meta.json -> Teamor; videomaev2/ -> Reference).
/// @throws IoError when neither is present
FeatureLayout detect_layout(const std::filesystem::path& dir);

/// @brief Sorted ids available in @p dir (reference: stems in videomaev2/).
std::vector<std::string> list_feature_ids(const std::filesystem::path& dir);

/// @brief Maximum stream-length difference the reference alignment tolerates silently (rows);
/// real data differs by 0-2 rows. A bigger difference is an error.
inline constexpr int64_t kMaxStreamLengthDifference = 8;

/// @brief Loads one video's features in either layout and checks them.
/// @param expected_channels required C (e.g. 1664), or 0 for any
/// @throws IoError (missing/unreadable), FormatError naming the file and position for wrong width,
///         zero length, NaN/Inf (row, channel) or streams whose lengths differ by more than
///         kMaxStreamLengthDifference rows
FeatureSequence load_features(const std::filesystem::path& dir, const std::string& id,
                              int64_t expected_channels);

/// @brief Writes a sequence in the teamor layout (meta.json + <id>.npy float32, atomically).
void save_features(const std::filesystem::path& dir, const FeatureSequence& sequence,
                   const std::string& backend);

}  // namespace teamor::detector
