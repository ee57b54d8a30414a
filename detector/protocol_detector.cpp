#include "detector/protocol_detector.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "annotations/labels.h"
#include "common/bounded_queue.h"
#include "common/error.h"
#include "detector/inference.h"
#include "features/feature_extractor.h"
#include "io/multi_view_reader.h"

namespace teamor::detector {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

nlohmann::json read_json_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in)
    throw IoError(
        "cannot open the model description (expected a model bundle folder "
        "holding model.json)",
        path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(std::string("model.json is not valid JSON: ") + e.what(), path.string(),
                      "byte " + std::to_string(e.byte));
  }
}

/// The clip grid named in model.json: "grid" {clip_frames, stride, fps}, else the detector
/// config's dataset section {num_frames, feat_stride, default_fps}, else the reference grid.
io::ClipGrid grid_from_model_json(const nlohmann::json& model, const fs::path& file) {
  io::ClipGrid grid;
  auto number = [&](const nlohmann::json& object, const char* key, auto& target) {
    if (!object.contains(key)) return;
    if (!object[key].is_number()) {
      throw ConfigError(std::string("'") + key + "' must be a number", file.string(), key);
    }
    target = object[key].get<std::decay_t<decltype(target)>>();
  };
  if (model.contains("grid") && model["grid"].is_object()) {
    number(model["grid"], "clip_frames", grid.clip_frames);
    number(model["grid"], "stride", grid.stride);
    number(model["grid"], "fps", grid.fps);
  } else {
    for (const char* section : {"config", "detector"}) {
      if (!model.contains(section) || !model[section].is_object()) continue;
      const auto& config = model[section];
      if (!config.contains("dataset") || !config["dataset"].is_object()) continue;
      number(config["dataset"], "num_frames", grid.clip_frames);
      number(config["dataset"], "feat_stride", grid.stride);
      number(config["dataset"], "default_fps", grid.fps);
    }
  }
  if (grid.clip_frames < 1 || grid.stride < 1 || !(grid.fps > 0)) {
    throw ConfigError("the clip grid must have clip_frames >= 1, stride >= 1 and fps > 0",
                      file.string(), "grid");
  }
  return grid;
}

// ---- streaming feature extraction ---------------------------------------------------------------
#ifdef TEAMOR_HAVE_MEDIA

/// The sampled frames of one clip of one view, handed from a decoder thread to the feature stage.
struct ViewClipFrames {
  std::int64_t g = 0;
  std::vector<std::optional<io::Frame>> frames;  ///< frames_per_clip() entries
};

/// One decoder thread: reads one view and pushes the frames the backend uses, clip after clip.
/// Each view gets its own single-view MultiViewReader, so the views decode in parallel and the
/// reader still applies the view's offset and the grid's sampling rule.
class ViewDecoder {
 public:
  ViewDecoder(std::unique_ptr<io::MultiViewReader> reader, const io::ClipSampler& sampler,
              std::vector<int> indices, std::int64_t clip_count, std::size_t queue_clips)
      : reader_(std::move(reader)),
        sampler_(sampler),
        indices_(std::move(indices)),
        clip_count_(clip_count),
        queue_(queue_clips) {}

  void start() {
    thread_ = std::thread([this] { run(); });
  }
  BoundedQueue<ViewClipFrames>& queue() { return queue_; }
  /// Stops the thread (drops queued clips) and waits for it.
  void stop() {
    queue_.abort();
    if (thread_.joinable()) thread_.join();
  }
  std::exception_ptr error() const { return error_; }

 private:
  void run() {
    try {
      // A frame is sampled at t_k + half a nominal frame: ClipSampler's rule (see clip_sampler.h).
      const double half_frame = 0.5 / sampler_.grid().fps;
      for (std::int64_t g = 0; g < clip_count_; ++g) {
        ViewClipFrames item;
        item.g = g;
        item.frames.reserve(indices_.size());
        for (int k : indices_) {
          auto frames = reader_->frames_at(sampler_.frame_time(g, k) + half_frame);
          item.frames.push_back(std::move(frames[0]));
        }
        if (!queue_.push(std::move(item))) return;  // aborted: the consumer stopped
      }
      queue_.close();
    } catch (...) {
      error_ = std::current_exception();
      queue_.abort();
    }
  }

  std::unique_ptr<io::MultiViewReader> reader_;
  io::ClipSampler sampler_;
  std::vector<int> indices_;
  std::int64_t clip_count_;
  BoundedQueue<ViewClipFrames> queue_;
  std::exception_ptr error_;
  std::thread thread_;
};

/// Stops every decoder on scope exit, so an exception or a cancel in the feature stage never
/// leaves threads running.
struct DecoderGuard {
  std::vector<std::unique_ptr<ViewDecoder>>& decoders;
  ~DecoderGuard() {
    for (auto& d : decoders)
      if (d) d->stop();
  }
};

features::FeatureSequence stream_features(const io::Recording& recording,
                                          features::FeatureExtractor& extractor,
                                          const io::ClipGrid& grid,
                                          const ProtocolDetectorOptions& options,
                                          const ProgressCallback& progress,
                                          const CancelToken* cancel, DetectionStats& stats) {
  const auto start = Clock::now();
  if (recording.views.empty()) {
    throw IoError("recording '" + recording.id + "' has no views", recording.manifest.string());
  }
  const io::ClipSampler sampler(grid);
  const std::size_t view_count = recording.views.size();
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int threads = options.decoder_threads > 0
                          ? options.decoder_threads
                          : std::max(1, static_cast<int>(cores / view_count));

  // Open every view first: a view that cannot be opened degrades the features (its block is
  // zeros) instead of failing the recording; the recording fails only when no view opens.
  std::vector<std::unique_ptr<io::MultiViewReader>> readers(view_count);
  double duration_s = 0;
  std::size_t opened = 0;
  for (std::size_t v = 0; v < view_count; ++v) {
    io::Recording single = recording;
    single.views = {recording.views[v]};
    auto reader = std::make_unique<io::MultiViewReader>(
        single,
        io::MultiViewOptions{.format = extractor.input_format(), .threads_per_view = threads});
    if (!reader->view_error(0).empty()) {
      stats.warnings.push_back(reader->view_error(0));
      continue;
    }
    duration_s = std::max(duration_s, reader->duration_s());
    readers[v] = std::move(reader);
    ++opened;
  }
  if (opened == 0) {
    std::string why;
    for (const auto& w : stats.warnings)
      why += (why.empty() ? "" : "; ") + w;
    throw IoError(
        "no view of recording '" + recording.id + "' could be opened: " + why,
        recording.manifest.empty() ? recording.root.string() : recording.manifest.string());
  }
  const std::int64_t clip_count = sampler.clip_count(duration_s);
  stats.media_duration_s = duration_s;

  extractor.begin(recording.views, grid);
  features::FeatureSequence sequence = extractor.make_sequence(recording.views, grid);
  const std::vector<int> indices = extractor.frame_indices(grid);
  const std::size_t queue_clips = std::max<std::size_t>(1, options.queue_clips);

  std::vector<std::unique_ptr<ViewDecoder>> decoders(view_count);
  DecoderGuard guard{decoders};
  for (std::size_t v = 0; v < view_count; ++v) {
    if (!readers[v]) continue;
    decoders[v] = std::make_unique<ViewDecoder>(std::move(readers[v]), sampler, indices, clip_count,
                                                queue_clips);
    decoders[v]->start();
  }

  // Clips go to the backend in small batches so that batching backends (torchscript) can use them;
  // per-view state (background models) only needs them in time order, which batches keep.
  const std::size_t batch = static_cast<std::size_t>(std::max(1, extractor.config().batch_clips));
  std::vector<features::ClipFrames> pending;
  auto flush = [&] {
    const auto t0 = Clock::now();
    for (auto& row : extractor.extract_clips(pending))
      sequence.append(row);
    stats.features_s += seconds_since(t0);
    pending.clear();
  };
  for (std::int64_t g = 0; g < clip_count; ++g) {
    if (cancel && cancel->cancelled()) throw CancelledError();
    features::ClipFrames clip(view_count);
    const auto wait_start = Clock::now();
    for (std::size_t v = 0; v < view_count; ++v) {
      if (!decoders[v]) {
        clip[v].assign(indices.size(), std::nullopt);
        continue;
      }
      auto item = decoders[v]->queue().pop();
      if (!item) {
        decoders[v]->stop();
        if (auto error = decoders[v]->error()) std::rethrow_exception(error);
        throw IoError("view '" + recording.views[v].name + "' stopped delivering clips at clip " +
                          std::to_string(g) + " of " + std::to_string(clip_count),
                      recording.views[v].path.string());
      }
      TEAMOR_ASSERT(item->g == g);
      clip[v] = std::move(item->frames);
    }
    stats.wait_for_frames_s += seconds_since(wait_start);
    pending.push_back(std::move(clip));
    if (pending.size() >= batch) flush();
    if (progress)
      progress({static_cast<double>(g + 1), static_cast<double>(clip_count), "features"});
  }
  if (!pending.empty()) flush();
  for (auto& d : decoders) {
    if (!d) continue;
    stats.max_queued_clips = std::max(stats.max_queued_clips, d->queue().high_water());
    d->stop();
    if (auto error = d->error()) std::rethrow_exception(error);
  }
  stats.clips = sequence.T;
  stats.wall_s += seconds_since(start);
  return sequence;
}
#endif  // TEAMOR_HAVE_MEDIA

}  // namespace

FeatureSetup read_feature_setup(const fs::path& bundle_dir) {
  const fs::path file = bundle_dir / "model.json";
  const nlohmann::json model = read_json_file(file);
  FeatureSetup setup;
  try {
    if (model.contains("features"))
      setup.config = features::BackendConfig::from_json(model["features"]);
  } catch (const ConfigError& e) {
    throw ConfigError(e.message(), file.string(), e.position());
  }
  setup.grid = grid_from_model_json(model, file);
  return setup;
}

features::FeatureSequence extract_recording_features(
    const io::Recording& recording, const FeatureSetup& setup, const fs::path& bundle_dir,
    const ProtocolDetectorOptions& options, const ProgressCallback& progress,
    const CancelToken* cancel, DetectionStats* stats) {
  DetectionStats local;
  DetectionStats& s = stats ? *stats : local;
  features::BackendConfig config = setup.config;
  if (config.device == "cpu" && options.device != "cpu") config.device = options.device;
#ifdef TEAMOR_HAVE_MEDIA
  const auto extractor = features::FeatureExtractor::create(config, bundle_dir);
  return stream_features(recording, *extractor, setup.grid, options, progress, cancel, s);
#else
  (void)recording, (void)bundle_dir, (void)options, (void)progress, (void)cancel, (void)s;
  throw ConfigError(
      "this teamor was built without FFmpeg (TEAMOR_WITH_MEDIA=OFF), so it cannot "
      "decode recordings; extract features on a media build or use --features");
#endif
}

// ---- the facade ---------------------------------------------------------------------------------

struct ProtocolDetector::Impl {
  fs::path bundle_dir;
  ProtocolDetectorOptions options;
  FeatureSetup setup;
  std::unique_ptr<BundleDetector> network;
  double min_score = 0;
  std::mutex network_mutex;  // forward passes one at a time: batch --jobs shares one network
};

ProtocolDetector::ProtocolDetector(const fs::path& bundle_dir, ProtocolDetectorOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->bundle_dir = bundle_dir;
  impl_->options = options;
  if (options.device != "cpu" && options.device != "cuda") {
    throw ConfigError("--device '" + options.device + "' is unknown (expected cpu or cuda)");
  }
  impl_->setup = read_feature_setup(bundle_dir);
  impl_->network = std::make_unique<BundleDetector>(bundle_dir);
  // The bundle's own threshold is applied inside BundleDetector; --min-score only raises it.
  impl_->min_score = options.min_score.value_or(0.0);
  if (impl_->network->input_dim() <= 0) {
    throw ModelError("the model's input dimension is " +
                         std::to_string(impl_->network->input_dim()) + ", expected > 0",
                     (bundle_dir / "model.json").string(), "input_dim");
  }
}

ProtocolDetector::~ProtocolDetector() = default;
ProtocolDetector::ProtocolDetector(ProtocolDetector&&) noexcept = default;
ProtocolDetector& ProtocolDetector::operator=(ProtocolDetector&&) noexcept = default;

const fs::path& ProtocolDetector::bundle_dir() const {
  return impl_->bundle_dir;
}
std::vector<std::string> ProtocolDetector::labels() const {
  std::vector<std::string> labels;
  for (const auto& network : impl_->network->bundle().networks) {
    for (const auto& label : network.labels) {
      const std::string canonical = annotations::canonical_label(label);
      if (std::find(labels.begin(), labels.end(), canonical) == labels.end()) {
        labels.push_back(canonical);
      }
    }
  }
  return labels;
}
io::ClipGrid ProtocolDetector::grid() const {
  return impl_->setup.grid;
}
const features::BackendConfig& ProtocolDetector::feature_config() const {
  return impl_->setup.config;
}
int ProtocolDetector::input_dim() const {
  return static_cast<int>(impl_->network->input_dim());
}

features::FeatureSequence ProtocolDetector::extract_features(const io::Recording& recording,
                                                             const ProgressCallback& progress,
                                                             const CancelToken* cancel,
                                                             DetectionStats* stats) const {
  return extract_recording_features(recording, impl_->setup, impl_->bundle_dir, impl_->options,
                                    progress, cancel, stats);
}

annotations::AnnotationSet ProtocolDetector::detect_features(const features::FeatureSequence& seq,
                                                             const std::string& recording_id,
                                                             double duration_s) const {
  if (seq.C != input_dim()) {
    throw ModelError("the features have " + std::to_string(seq.C) + " channels but the model in " +
                         impl_->bundle_dir.string() + " expects " + std::to_string(input_dim()) +
                         " (were they extracted with this bundle's backend '" +
                         impl_->setup.config.backend + "'?)",
                     recording_id);
  }
  if (!(seq.grid == impl_->setup.grid)) {
    throw ModelError("the features' clip grid differs from the model's (" +
                         std::to_string(seq.grid.clip_frames) + "/" +
                         std::to_string(seq.grid.stride) + " frames at " +
                         std::to_string(seq.grid.fps) + " fps vs " +
                         std::to_string(impl_->setup.grid.clip_frames) + "/" +
                         std::to_string(impl_->setup.grid.stride) + " at " +
                         std::to_string(impl_->setup.grid.fps) + ")",
                     recording_id);
  }
  annotations::AnnotationSet result;
  result.recording_id = recording_id;
  result.fps = seq.grid.fps;
  const double end_of_features =
      seq.T > 0 ? ((seq.T - 1) * seq.grid.stride + seq.grid.clip_frames) / seq.grid.fps : 0;
  result.duration_s = duration_s > 0 ? duration_s : end_of_features;
  if (seq.T == 0) return result;  // shorter than one clip: nothing to find
  FeatureSequence input;  // the detector's own sequence type: same rows, its grid convention
  input.id = recording_id;
  input.length = seq.T;
  input.channels = seq.C;
  input.values = seq.values;
  input.grid = {seq.grid.stride, seq.grid.clip_frames, seq.grid.fps};
  VideoResult video;
  {
    std::lock_guard lock(impl_->network_mutex);
    video = impl_->network->detect(input);
  }
  const double clip_end = *result.duration_s;
  for (const auto& d : video.detections) {
    if (d.score < impl_->min_score) continue;
    annotations::Segment segment;
    segment.label = annotations::canonical_label(d.label);
    // Intervals never reach past the recording (the network's grid may round up to a clip).
    segment.start_s = std::clamp(d.start_s, 0.0, clip_end);
    segment.end_s = std::clamp(d.end_s, 0.0, clip_end);
    segment.score = d.score;
    segment.source = annotations::Source::Prediction;
    segment.state = annotations::ReviewState::Proposed;
    if (segment.end_s > segment.start_s) result.segments.push_back(std::move(segment));
  }
  result.sort();
  return result;
}

DetectionResult ProtocolDetector::detect(const io::Recording& recording,
                                         const ProgressCallback& progress,
                                         const CancelToken* cancel) const {
  const auto start = Clock::now();
  DetectionResult result;
  const auto seq = extract_features(recording, progress, cancel, &result.stats);
  if (cancel) cancel->throw_if_cancelled();
  const auto network_start = Clock::now();
  if (progress) progress({static_cast<double>(seq.T), static_cast<double>(seq.T), "network"});
  result.predictions = detect_features(seq, recording.id, result.stats.media_duration_s);
  result.stats.network_s = seconds_since(network_start);
  for (const auto& view : recording.views) {
    result.predictions.media.push_back({view.name, view.path.string(), view.offset_s});
  }
  result.stats.wall_s = seconds_since(start);
  return result;
}

}  // namespace teamor::detector
