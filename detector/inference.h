#pragma once
// Inference on feature sequences: padding, forward pass, decoding, Soft-NMS, seconds. Hides
// LibTorch behind a pimpl so that app/ needs no torch headers.
//
//   BundleDetector det("models/default");
//   FeatureSequence f = load_features("features/", "or06_view1", det.input_dim());
//   VideoResult r = det.detect(f);    // r.detections: label, start_s, end_s, score

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "annotations/annotation_set.h"
#include "detector/feature_files.h"
#include "detector/model_bundle.h"

namespace teamor::detector {

/// @brief One detected interval in seconds.
struct TimedDetection {
  std::string label;   ///< protocol label, e.g. "11 (Time-Out)"
  double start_s = 0;  ///< seconds on the recording timeline
  double end_s = 0;    ///< seconds
  double score = 0;    ///< confidence after Soft-NMS
};

/// @brief All detections of one video, sorted by score (descending) per network, networks in
/// bundle order.
struct VideoResult {
  std::string id;
  double duration_s = 0;
  int64_t length = 0;         ///< feature steps
  int64_t padded_length = 0;  ///< steps the network ran on (first network)
  std::vector<TimedDetection> detections;
};

/// @brief The detections of @p result as proposed predictions of recording result.id (labels and
/// times as the network gave them).
annotations::AnnotationSet to_annotation_set(const VideoResult& result);

/// @brief A loaded bundle, ready to run on feature sequences.
class BundleDetector {
 public:
  /// @throws IoError, ConfigError, ModelError from load_bundle / make_network
  explicit BundleDetector(const std::filesystem::path& bundle_dir);
  ~BundleDetector();
  BundleDetector(BundleDetector&&) noexcept;
  BundleDetector& operator=(BundleDetector&&) noexcept;

  const ModelBundle& bundle() const;
  int64_t input_dim() const;
  /// @brief Runs every network of the bundle on @p features (one load, one pass).
  /// @throws FormatError when the sequence's width differs from the bundle's input_dim or is empty
  VideoResult detect(const FeatureSequence& features) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teamor::detector
