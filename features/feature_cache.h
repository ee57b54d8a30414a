#pragma once
// Feature files on disk, in two layouts that both read back as a FeatureSequence:
//
//   own:       DIR/<id>.npy  float32 [T, C]  +  DIR/meta.json (grid, backend, channel names,
//   versions) reference: DIR/videomaev2/<id>.npy [T, 1408]  +  DIR/stgcnpp/<id>.npy [T', 256]
//   (Team-OR's
//              load_feature: rows aligned at the end by repeating the shorter stream's first row)
//
//   features::write_features(dir, "or01_view1", seq);                 // own layout
//   features::write_reference_features(dir, "or01_view1", seq, 1408);  // split at channel 1408
//   FeatureSequence s = features::read_features(dir, "or01_view1");    // finds either layout
//
// meta.json is shared by every recording of a folder; writing a sequence whose backend, grid or
// channels differ from an existing meta.json throws instead of mixing incompatible features.

#include <filesystem>
#include <string>

#include "features/feature_sequence.h"

namespace teamor::features {

/// Channels of the VideoMAEv2 stream in the reference layout.
inline constexpr int kReferenceSceneChannels = 1408;
/// Channels of the ST-GCN++ stream in the reference layout.
inline constexpr int kReferenceSkeletonChannels = 256;

/// @brief Writes @p seq as DIR/<id>.npy and creates or checks DIR/meta.json (atomic writes).
/// @throws ConfigError when DIR/meta.json describes different features; IoError on write failure
void write_features(const std::filesystem::path& dir, const std::string& id,
                    const FeatureSequence& seq);

/// @brief Writes @p seq in the reference layout: channels [0, split) to DIR/videomaev2/<id>.npy,
/// [split, C) to DIR/stgcnpp/<id>.npy (skipped when split == C), plus DIR/meta.json.
/// @param split channel where the skeleton stream starts (1408 for Team-OR features)
/// @throws ConfigError when split is outside [1, C]; IoError on write failure
void write_reference_features(const std::filesystem::path& dir, const std::string& id,
                              const FeatureSequence& seq, int split = kReferenceSceneChannels);

/// @brief Reads DIR/<id>.npy (own layout) or else DIR/videomaev2/<id>.npy and, when present,
/// DIR/stgcnpp/<id>.npy (reference layout, concatenated as Team-OR does). Grid and names come
/// from DIR/meta.json when present, else the reference grid (32/32/30 fps) and no names.
/// @throws IoError when no feature file exists for @p id; FormatError for a file that is not a
/// 2-D array or a meta.json that does not match it
FeatureSequence read_features(const std::filesystem::path& dir, const std::string& id);

/// True when read_features(dir, id) would find a file.
bool has_features(const std::filesystem::path& dir, const std::string& id);

}  // namespace teamor::features
