#pragma once
// ProtocolDetector: the one call the CLI and the viewer need. A recording and a model bundle in,
// scored Time-out / StOP? intervals out.
//
//   teamor::detector::ProtocolDetector detector("models/default");
//   auto recording = teamor::io::Recording::open("OR12/");
//   auto result = detector.detect(recording, progress_callback, &cancel_token);
//   for (const auto& s : result.predictions.segments)
//     std::cout << s.label << " " << s.start_s << "-" << s.end_s << " " << *s.score << "\n";
//   // or in two steps, with features cached on disk in between:
//   auto features = detector.extract_features(recording);
//   auto predictions = detector.detect_features(features, recording.id);
//
// Inside detect(), decoding (one thread per view), feature extraction and the network overlap:
// per-view decoder threads hand sampled clips through bounded queues to the feature stage, so
// memory stays flat however long the recording is; the network runs once the sequence is complete
// (it needs the whole sequence, and costs a small fraction of the decoding). Every method is const
// and may be called from several threads at once (each call builds its own feature extractor).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "annotations/annotation_set.h"
#include "common/progress.h"
#include "features/backend_config.h"
#include "features/feature_sequence.h"
#include "io/clip_sampler.h"
#include "io/recording.h"

namespace teamor::detector {

/// @brief Settings of a ProtocolDetector; every field has a usable default.
struct ProtocolDetectorOptions {
  std::string device = "cpu";  ///< where the network (and torch feature backends) run: cpu, cuda
  std::optional<double> min_score;  ///< drop intervals scoring below this; unset = the bundle's
  std::size_t queue_clips = 4;      ///< clips buffered per view between decoder and features (>= 1)
  int decoder_threads = 0;          ///< FFmpeg threads per view; 0 = cores / views (at least 1)
};

/// @brief Where the time of one detect() / extract_features() call went.
struct DetectionStats {
  double wall_s = 0;                  ///< the whole call, seconds
  double features_s = 0;              ///< feature extraction (overlapping decoding), seconds
  double wait_for_frames_s = 0;       ///< feature stage idle, waiting for decoded clips, seconds
  double network_s = 0;               ///< network + post-processing, seconds
  double media_duration_s = 0;        ///< recording timeline length, seconds
  std::int64_t clips = 0;             ///< feature rows computed
  std::size_t max_queued_clips = 0;   ///< most clips one view's queue ever held (<= queue_clips)
  std::vector<std::string> warnings;  ///< views that could not be opened, etc.
};

/// @brief Result of detect(): predictions plus timing.
struct DetectionResult {
  annotations::AnnotationSet predictions;  ///< Source::Prediction, ReviewState::Proposed, scored
  DetectionStats stats;
};

/// @brief What feature extraction needs from a bundle: backend settings and the clip grid.
struct FeatureSetup {
  features::BackendConfig config;
  io::ClipGrid grid;
};

/// @brief Reads the feature part of a bundle's model.json (no weights are loaded), so features can
/// be extracted for a bundle that is still to be trained.
/// @throws IoError when model.json is missing, ConfigError naming the key for bad values
FeatureSetup read_feature_setup(const std::filesystem::path& bundle_dir);

/// @brief Decodes @p recording and computes its features with the overlapped decoder/feature
/// threads (what ProtocolDetector::extract_features() does, without a detector).
/// @param bundle_dir resolves relative weight files of torch backends
/// @throws IoError when no view can be opened; CancelledError; ConfigError / ModelError
features::FeatureSequence extract_recording_features(const io::Recording& recording,
                                                     const FeatureSetup& setup,
                                                     const std::filesystem::path& bundle_dir,
                                                     const ProtocolDetectorOptions& options = {},
                                                     const ProgressCallback& progress = {},
                                                     const CancelToken* cancel = nullptr,
                                                     DetectionStats* stats = nullptr);

class ProtocolDetector {
 public:
  /// @brief Loads a model bundle (model.json + detector weights).
  /// @param bundle_dir the bundle folder
  /// @throws IoError when files are missing, ModelError when the weights do not fit, ConfigError
  ///         for unknown settings or device
  explicit ProtocolDetector(const std::filesystem::path& bundle_dir,
                            ProtocolDetectorOptions options = {});
  ~ProtocolDetector();
  ProtocolDetector(ProtocolDetector&&) noexcept;
  ProtocolDetector& operator=(ProtocolDetector&&) noexcept;

  const std::filesystem::path& bundle_dir() const;
  /// Canonical protocol labels the bundle detects (e.g. "Time-out", "StOP?").
  std::vector<std::string> labels() const;
  /// Clip grid the bundle's features are computed on.
  io::ClipGrid grid() const;
  /// Feature backend and fusion settings from the bundle.
  const features::BackendConfig& feature_config() const;
  /// Feature channels the network expects.
  int input_dim() const;

  /// @brief Decodes @p recording and computes its feature sequence (decoding and features overlap).
  /// @param progress clips done / total, stage "features"
  /// @param cancel checked every clip; when set, stops the threads and throws CancelledError
  /// @param stats filled when not null
  /// @throws IoError when no view can be opened; ConfigError / ModelError from the backend
  features::FeatureSequence extract_features(const io::Recording& recording,
                                             const ProgressCallback& progress = {},
                                             const CancelToken* cancel = nullptr,
                                             DetectionStats* stats = nullptr) const;

  /// @brief Runs the network on a feature sequence.
  /// @param recording_id id written into the result
  /// @param duration_s recording length (seconds) to clip intervals to; <= 0 = the sequence's end
  /// @throws ModelError when the sequence's channel count differs from input_dim()
  annotations::AnnotationSet detect_features(const features::FeatureSequence& features,
                                             const std::string& recording_id,
                                             double duration_s = 0) const;

  /// @brief extract_features() followed by detect_features().
  /// @throws what either throws; CancelledError when cancelled
  DetectionResult detect(const io::Recording& recording, const ProgressCallback& progress = {},
                         const CancelToken* cancel = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teamor::detector
