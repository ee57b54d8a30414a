#pragma once
// Model bundles (ARCHITECTURE.md "Model bundle"): a folder with
//   model.json            "config" (detector configuration), "labels" (class i), "features"
//                         (backend + settings), "input_dim", "grid" {clip_frames, stride, fps},
//                         "score_threshold", "weights", "provenance", optional "extra_networks"
//                         [{config, labels, weights}]
//   detector.safetensors  weights of the first network (reference state-dict names, spec 6.3)
//   detector_<n>.safetensors  weights of further networks (n = 1, 2, ...), when a bundle holds
//                         one network per protocol
// A network may also detect several protocols at once (num_classes > 1, label i = class i). Either
// way every network of a bundle reads the same features, so one pass over them serves all
// protocols.
//
//   ModelBundle b = load_bundle("models/default");          // checks everything it reads
//   Network net = make_network("models/default", b, 0);     // weights loaded, eval mode

#include <filesystem>
#include <string>
#include <vector>

#include "detector/config.h"
#include "detector/feature_files.h"
#include "detector/network.h"

namespace teamor::detector {

/// @brief One network of a bundle and what its classes mean.
struct BundleNetwork {
  DetectorConfig config;            ///< architecture + post-processing (+ training settings)
  std::vector<std::string> labels;  ///< label of class i, e.g. "11 (Time-Out)"; size num_classes
  std::string weights_file;         ///< relative to the bundle folder
};

/// @brief Where a bundle came from.
struct Provenance {
  std::string source;  ///< "reference-import", "teamor-train", ...
  std::string data;    ///< training data description
  std::string commit;  ///< code commit
  std::string date;    ///< ISO 8601 date
  std::string notes;   ///< free text
};

/// @brief Everything in model.json.
struct ModelBundle {
  int format_version = 1;
  std::string feature_backend =
      "reference";                      ///< features.backend; "reference" = VideoMAEv2 + ST-GCN++
  std::string feature_settings = "{}";  ///< the "features" object as JSON text (files relative)
  int64_t input_dim = 1664;             ///< feature channels every network expects
  GridConvention grid;                  ///< feature grid <-> seconds
  double score_threshold = 0.0;         ///< detections below are dropped (0 = keep all)
  std::vector<BundleNetwork> networks;  ///< at least one
  Provenance provenance;
};

/// @brief Reads and checks model.json (weights are read by make_network).
/// @throws IoError when the folder or model.json is missing, ConfigError naming the key for
///         unknown keys and impossible values (e.g. label count != num_classes)
ModelBundle load_bundle(const std::filesystem::path& dir);

/// @brief Writes model.json and one weights file per network (atomically), creating @p dir.
/// @param weights one SafeTensors per network, same order as bundle.networks
/// @throws ConfigError when counts differ, IoError on write failure
void save_bundle(const std::filesystem::path& dir, const ModelBundle& bundle,
                 const std::vector<io::SafeTensors>& weights);

/// @brief Builds network @p index of the bundle in @p dir and loads its weights (eval mode).
/// @throws ModelError listing every missing/extra/mis-shaped tensor
Network make_network(const std::filesystem::path& dir, const ModelBundle& bundle,
                     std::size_t index);

}  // namespace teamor::detector
