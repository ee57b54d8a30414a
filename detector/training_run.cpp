#include "detector/training_run.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "annotations/annotation_io.h"
#include "annotations/evaluation.h"
#include "annotations/segment.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "detector/config.h"
#include "detector/data_split.h"
#include "detector/feature_files.h"
#include "detector/inference.h"
#include "detector/model_bundle.h"
#include "detector/trainer.h"
#include "detector/training_data.h"
#include "io/safetensors.h"

namespace teamor::detector {

namespace fs = std::filesystem;

namespace {

struct Protocol {
  std::string canonical;  ///< label in our annotations
  std::string reference;  ///< the reference's seg_name
};

Protocol protocol_of(const std::string& name) {
  if (name == "timeout") return {std::string(annotations::kTimeOut), "11 (Time-Out)"};
  if (name == "stop") return {std::string(annotations::kStop), "(10) STOP"};
  throw ConfigError("--protocol must be 'timeout' or 'stop', found '" + name + "'");
}

std::string today_iso() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

/// What a feature folder says about how it was made: the backend's name, and the whole "features"
/// entry of the bundle `teamor extract` used (as a JSON object, "{}" when absent). A bundle trained
/// on these features must extract recordings the same way.
struct FeatureOrigin {
  std::string backend = "unknown";
  std::string settings = "{}";
};

FeatureOrigin feature_origin(const fs::path& dir) {
  FeatureOrigin origin;
  if (detect_layout(dir) == FeatureLayout::Reference) {
    origin.backend = "reference";
    return origin;
  }
  std::ifstream in(dir / "meta.json");
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.contains("backend") && j["backend"].is_string())
      origin.backend = j["backend"].get<std::string>();
    if (j.contains("features") && j["features"].is_object()) origin.settings = j["features"].dump();
  } catch (const nlohmann::json::exception&) {
  }
  return origin;
}

TrainingVideo load_video(const fs::path& dir, const std::string& id, const DetectorConfig& cfg,
                         const annotations::AnnotationSet* truth, const std::string& label) {
  FeatureSequence f = load_features(dir, id, cfg.dataset.input_dim);
  TrainingVideo v;
  v.id = id;
  // [T, C] on disk -> [C, T] for the network.
  v.features =
      torch::from_blob(f.values.data(), {f.length, f.channels}, torch::kFloat32).t().contiguous();
  v.duration_s = f.duration_s();
  set_ground_truth(v, truth, label, cfg.dataset.default_fps, cfg.dataset.feat_stride,
                   cfg.dataset.num_frames);
  return v;
}

std::string stem_of_key(const std::string& key, const std::set<std::string>& feature_ids) {
  if (feature_ids.count(key)) return key;
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(0, dot);
}

}  // namespace

TrainingRunSummary run_training(const TrainingRunOptions& options, const CancelToken* cancel,
                                const std::function<void(const std::string&)>& log) {
  auto say = [&](const std::string& s) {
    if (log) log(s);
  };
  const Protocol protocol = protocol_of(options.protocol);
  DetectorConfig cfg =
      options.config_file.empty() ? DetectorConfig{} : load_config(options.config_file);
  cfg.dataset.seg_name = protocol.reference;
  if (options.seed) cfg.init_rand_seed = *options.seed;
  cfg.finalize();
  if (options.epochs < 0)
    throw ConfigError("--epochs must be positive, found " + std::to_string(options.epochs));
  if (cfg.dataset.num_classes != 1) {
    throw ConfigError("dataset.num_classes must be 1 for a one-protocol training run, found " +
                          std::to_string(cfg.dataset.num_classes),
                      options.config_file.string(), "dataset.num_classes");
  }
  if (options.out_bundle.empty()) throw ConfigError("--out: a bundle folder is required");

  // Annotations, keyed by feature id.
  annotations::ReadOptions ro;
  ro.fps = cfg.dataset.default_fps;
  const annotations::AnnotationCollection all =
      annotations::read_annotations(options.annotations, ro);
  const auto ids = list_feature_ids(options.features_dir);
  const std::set<std::string> feature_ids(ids.begin(), ids.end());

  DataSplit split;
  std::string split_source;
  if (!options.split_file.empty()) {
    split = load_split_file(options.split_file);
    split_source = options.split_file.string();
    std::vector<std::string> missing;
    for (const auto* part : {&split.training, &split.test})
      for (const auto& id : *part)
        if (!feature_ids.count(id)) missing.push_back(id);
    if (!missing.empty()) {
      throw ConfigError("the split file names ids without feature files in " +
                            options.features_dir.string() + ": " +
                            fmt::format("{}", fmt::join(missing, ", ")),
                        options.split_file.string());
    }
  } else {
    std::vector<std::string> names;
    for (const auto& id : ids)
      names.push_back(id + ".npy");
    split = reference_split(names, cfg.dataset.train_set_ratio);
    split_source = "reference rule: ids ending in '1', sorted, first " +
                   fmt::format("{:g}", cfg.dataset.train_set_ratio * 100) + " % train";
  }
  // Annotated ids that the split wants but that have no features are an error, not a silent drop.
  {
    std::set<std::string> in_split(split.training.begin(), split.training.end());
    in_split.insert(split.test.begin(), split.test.end());
    std::vector<std::string> missing;
    for (const auto& [key, set] : all) {
      const std::string id = stem_of_key(key, feature_ids);
      if (feature_ids.count(id)) continue;
      const bool wanted =
          options.split_file.empty() ? (!id.empty() && id.back() == '1') : in_split.count(id) > 0;
      if (wanted) missing.push_back(key);
    }
    if (!missing.empty()) {
      throw ConfigError("annotation ids without feature files in " + options.features_dir.string() +
                            ": " + fmt::format("{}", fmt::join(missing, ", ")) +
                            " (expected <id>.npy for each)",
                        options.annotations.string());
    }
  }
  // As in the reference, videos without an annotation entry take no part (warned, not silent).
  annotations::AnnotationCollection truth_by_id;
  for (auto* part : {&split.training, &split.test}) {
    std::vector<std::string> kept;
    for (const auto& id : *part) {
      const auto* set = find_annotation(all, id);
      if (set == nullptr) {
        say("warning: '" + id +
            "' has features but no annotation entry; skipped (as the reference does)");
        continue;
      }
      kept.push_back(id);
      annotations::AnnotationSet copy = *set;
      copy.recording_id = id;
      truth_by_id[id] = copy;
    }
    *part = kept;
  }
  check_split(split, split_source);
  say(fmt::format("split ({}): {} training, {} test videos", split_source, split.training.size(),
                  split.test.size()));

  std::vector<TrainingVideo> videos;
  for (const auto& id : split.training) {
    if (cancel) cancel->throw_if_cancelled();
    videos.push_back(
        load_video(options.features_dir, id, cfg, &truth_by_id.at(id), protocol.canonical));
  }

  TrainerSettings ts;
  ts.seed = cfg.init_rand_seed;
  ts.total_epochs = options.epochs;
  ts.device = options.device;
  Trainer trainer(cfg, ts);
  trainer.set_training_data(std::move(videos));
  const fs::path ckpt = options.out_bundle / "checkpoints" / "last.ckpt";
  if (options.resume && fs::exists(ckpt)) {
    trainer.load_checkpoint(ckpt);
    say(fmt::format("resumed from {} after epoch {}", ckpt.string(), trainer.epochs_done()));
  }
  TrainingRunSummary summary;
  summary.training_ids = split.training;
  summary.test_ids = split.test;
  summary.epochs = trainer.total_epochs();
  const auto t0 = std::chrono::steady_clock::now();
  while (!trainer.finished()) {
    const EpochStats s = trainer.run_epoch(cancel);
    summary.final_loss = s.mean_loss;
    say(fmt::format(
        "epoch {:>3}/{}: loss {:.5f} (cls {:.5f}, reg {:.5f}), lr {:.3e}, grad norm {:.4f}, "
        "normaliser {:.2f}, {:.1f} s",
        s.epoch, s.total_epochs, s.mean_loss, s.mean_cls_loss, s.mean_reg_loss, s.last_lr,
        s.last_grad_norm, s.normalizer, s.seconds));
    if (trainer.finished() ||
        (options.checkpoint_every > 0 && s.epoch % options.checkpoint_every == 0)) {
      trainer.save_checkpoint(ckpt);
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // The EMA network is what gets shipped and evaluated (spec 3.5).
  ModelBundle bundle;
  const FeatureOrigin origin = feature_origin(options.features_dir);
  bundle.feature_backend = origin.backend;
  bundle.feature_settings = origin.settings;
  bundle.input_dim = cfg.dataset.input_dim;
  bundle.grid.feat_stride = cfg.dataset.feat_stride;
  bundle.grid.num_frames = cfg.dataset.num_frames;
  bundle.grid.fps = cfg.dataset.default_fps;
  bundle.networks.push_back({cfg, {protocol.canonical}, "detector.safetensors"});
  bundle.provenance.source = "teamor-train";
  bundle.provenance.data = fmt::format("features {}, annotations {}, {} training ids: {}",
                                       options.features_dir.string(), options.annotations.string(),
                                       split.training.size(), fmt::join(split.training, ","));
  bundle.provenance.date = today_iso();
  bundle.provenance.notes =
      fmt::format("{} epochs, seed {}, reference_compat {}", trainer.total_epochs(),
                  cfg.init_rand_seed, cfg.improvements.reference_compat);
  {
    Network ema = trainer.ema_network();
    ema->to(torch::kCPU);
    save_bundle(options.out_bundle, bundle, {state_to_safetensors(ema)});
  }
  say("model bundle written to " + options.out_bundle.string());

  if (options.evaluate) {
    BundleDetector detector(options.out_bundle);
    annotations::AnnotationCollection pred, gt;
    for (const auto& id : split.test) {
      if (cancel) cancel->throw_if_cancelled();
      const FeatureSequence f = load_features(options.features_dir, id, cfg.dataset.input_dim);
      const VideoResult r = detector.detect(f);
      pred[id] = to_annotation_set(r);
      gt[id] = truth_by_id.at(id);
    }
    annotations::EvalOptions eo;
    eo.label = protocol.canonical;
    eo.ids = std::set<std::string>(split.test.begin(), split.test.end());
    const auto result = annotations::evaluate(gt, pred, eo);
    summary.map = result.mAP;
    summary.average_map = result.average_mAP;
    summary.evaluation_table = annotations::evaluation_table(result);
    write_file_atomically(options.out_bundle / "evaluation.json",
                          annotations::evaluation_to_json(result));
    say(fmt::format("held-out evaluation ({} videos): average mAP {:.4f}", split.test.size(),
                    summary.average_map));
  }
  return summary;
}

std::vector<TrainingRunSummary> run_training_for(
    const TrainingRunOptions& options, const std::vector<std::string>& protocols,
    const CancelToken* cancel, const std::function<void(const std::string&)>& log) {
  if (protocols.empty()) throw ConfigError("no protocol to train");
  if (std::set<std::string>(protocols.begin(), protocols.end()).size() != protocols.size())
    throw ConfigError("a protocol is named twice");
  std::vector<TrainingRunSummary> summaries;
  std::vector<fs::path> parts;
  for (const auto& protocol : protocols) {
    TrainingRunOptions o = options;
    o.protocol = protocol;
    o.out_bundle = options.out_bundle / "parts" / protocol;
    if (log) log("training " + protocol + " into " + o.out_bundle.string());
    summaries.push_back(run_training(o, cancel, log));
    parts.push_back(o.out_bundle);
  }
  // One bundle: the first part's description, every part's network and weights.
  ModelBundle combined = load_bundle(parts.front());
  combined.networks.clear();
  std::vector<io::SafeTensors> weights;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const ModelBundle part = load_bundle(parts[i]);
    BundleNetwork network = part.networks.front();
    weights.push_back(io::read_safetensors(parts[i] / network.weights_file));
    network.weights_file =
        i == 0 ? "detector.safetensors" : fmt::format("detector_{}.safetensors", i);
    combined.networks.push_back(std::move(network));
  }
  combined.provenance.notes +=
      fmt::format("; one network per protocol: {}", fmt::join(protocols, ", "));
  save_bundle(options.out_bundle, combined, weights);
  if (log)
    log("model bundle with " + std::to_string(parts.size()) + " protocols written to " +
        options.out_bundle.string());
  return summaries;
}

}  // namespace teamor::detector
