#include "detector/inference.h"

#include <torch/torch.h>

#include "common/error.h"
#include "detector/chunked_forward.h"
#include "detector/postprocess.h"

namespace teamor::detector {

struct BundleDetector::Impl {
  ModelBundle bundle;
  std::vector<Network> networks;
};

BundleDetector::BundleDetector(const std::filesystem::path& bundle_dir)
    : impl_(std::make_unique<Impl>()) {
  impl_->bundle = load_bundle(bundle_dir);
  for (std::size_t i = 0; i < impl_->bundle.networks.size(); ++i)
    impl_->networks.push_back(make_network(bundle_dir, impl_->bundle, i));
}

BundleDetector::~BundleDetector() = default;
BundleDetector::BundleDetector(BundleDetector&&) noexcept = default;
BundleDetector& BundleDetector::operator=(BundleDetector&&) noexcept = default;

const ModelBundle& BundleDetector::bundle() const {
  return impl_->bundle;
}
int64_t BundleDetector::input_dim() const {
  return impl_->bundle.input_dim;
}

VideoResult BundleDetector::detect(const FeatureSequence& features) const {
  const auto& b = impl_->bundle;
  if (features.length <= 0)
    throw FormatError("the feature sequence of '" + features.id + "' is empty (T = 0)");
  if (features.channels != b.input_dim)
    throw FormatError("the features of '" + features.id + "' have " +
                      std::to_string(features.channels) + " channels, the model expects " +
                      std::to_string(b.input_dim));
  torch::NoGradGuard no_grad;
  // [T, C] on disk order -> [C, T]; from_blob does not copy, pad_batch does.
  auto seq = torch::from_blob(const_cast<float*>(features.values.data()),
                              {features.length, features.channels}, torch::kFloat32)
                 .t();
  VideoResult result;
  result.id = features.id;
  result.length = features.length;
  result.duration_s = features.duration_s();
  for (std::size_t i = 0; i < impl_->networks.size(); ++i) {
    const auto& cfg = b.networks[i].config;
    PaddedBatch batch = pad_batch({seq}, cfg, /*training=*/false);
    if (i == 0) result.padded_length = batch.x.size(2);
    auto& net = *impl_->networks[i];
    const int64_t chunk = cfg.inference_chunk_steps();
    // Long recordings in chunks: the network's memory no longer grows with the length.
    NetworkOutput out;
    if (chunk > 0 && batch.x.size(2) > chunk)
      out = forward_in_chunks(net, batch.x, batch.mask, b.score_threshold, cfg.use_sparse_heads(),
                              chunk);
    else if (cfg.use_sparse_heads())
      out = net.forward_for_detection(batch.x, batch.mask, b.score_threshold);
    else
      out = net.forward(batch.x, batch.mask);
    auto dets = to_seconds(detect_on_grid(out, 0, cfg), cfg, result.duration_s);
    for (const auto& d : dets) {
      if (d.score < b.score_threshold) continue;
      result.detections.push_back({b.networks[i].labels.at(d.label), d.start, d.end, d.score});
    }
  }
  return result;
}

annotations::AnnotationSet to_annotation_set(const VideoResult& result) {
  annotations::AnnotationSet set;
  set.recording_id = result.id;
  set.duration_s = result.duration_s;
  for (const auto& d : result.detections) {
    annotations::Segment s;
    s.label = d.label;
    s.start_s = d.start_s;
    s.end_s = d.end_s;
    s.score = d.score;
    s.source = annotations::Source::Prediction;
    s.state = annotations::ReviewState::Proposed;
    set.segments.push_back(std::move(s));
  }
  return set;
}

}  // namespace teamor::detector
