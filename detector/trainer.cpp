#include "detector/trainer.h"

#include <chrono>
#include <cmath>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>
#include <spdlog/spdlog.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "detector/ema.h"
#include "detector/label_assigner.h"
#include "detector/losses.h"
#include "detector/lr_schedule.h"
#include "detector/optimizer.h"

namespace teamor::detector {

namespace {
constexpr int kCheckpointVersion = 1;

torch::Tensor string_tensor(const std::string& s) {
  auto t = torch::empty({static_cast<std::int64_t>(s.size())}, torch::kUInt8);
  std::memcpy(t.data_ptr(), s.data(), s.size());
  return t;
}
std::string tensor_string(const torch::Tensor& t) {
  auto c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), static_cast<std::size_t>(c.numel()));
}
}  // namespace

struct Trainer::State {
  DetectorConfig config;
  TrainerSettings settings;
  torch::Device device{torch::kCPU};
  Network net{nullptr};
  Network ema{nullptr};
  ModelEma ema_updater;
  LossNormalizer normalizer;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::unique_ptr<WarmupCosineSchedule> schedule;
  std::mt19937_64 rng;
  std::vector<TrainingVideo> videos;
  int total_epochs = 0;
  int warmup_epochs = 0;
  int epochs_done = 0;
  std::int64_t iters_per_epoch = 0;
};

Trainer::Trainer(const DetectorConfig& config, const TrainerSettings& settings)
    : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.config = config;
  s.settings = settings;
  if (settings.device == "cuda") {
    if (!torch::cuda::is_available()) {
      throw ConfigError(
          "--device cuda: this build of LibTorch sees no CUDA device; use --device cpu");
    }
    s.device = torch::Device(torch::kCUDA);
  } else if (settings.device != "cpu") {
    throw ConfigError("unknown device '" + settings.device + "'; expected cpu or cuda");
  }
  if (settings.total_epochs < 0) {
    throw ConfigError("the epoch count must be positive, found " +
                      std::to_string(settings.total_epochs));
  }
  if (!(settings.ema_decay >= 0.0 && settings.ema_decay < 1.0)) {
    throw ConfigError("the EMA decay must lie in [0, 1), found " +
                      std::to_string(settings.ema_decay));
  }
  const int w = config.opt.warmup ? config.opt.warmup_epochs : 0;
  const int e = config.opt.epochs;
  if (settings.total_epochs > 0) {
    // Keep the configured warm-up share (the reference's 30 of 60) for a shorter or longer run.
    s.total_epochs = settings.total_epochs;
    s.warmup_epochs = static_cast<int>(
        std::floor(static_cast<double>(settings.total_epochs) * w / static_cast<double>(w + e)));
  } else {
    s.total_epochs = w + e;
    s.warmup_epochs = w;
  }
  if (s.total_epochs <= s.warmup_epochs) {
    throw ConfigError("opt.epochs must be at least 1 after warm-up (total " +
                      std::to_string(s.total_epochs) + ", warm-up " +
                      std::to_string(s.warmup_epochs) + ")");
  }
  // The reference seeds, then builds the model at once on the CPU (spec 3.7): same calls, same
  // numbers. The EMA copy must not consume random numbers, so the generator state is restored.
  torch::manual_seed(static_cast<std::uint64_t>(settings.seed));
  s.net = Network(config);
  auto gen = at::detail::getDefaultCPUGenerator();
  const auto gen_state = gen.get_state();
  s.ema = Network(config);
  gen.set_state(gen_state);
  ModelEma::copy_state(*s.net, *s.ema);
  s.net->to(s.device);
  s.ema->to(s.device);
  s.net->train();
  s.ema->eval();
  s.ema_updater = ModelEma(settings.ema_decay, config.use_fixed_schedule());
  s.normalizer = LossNormalizer(config.train.init_loss_norm, 0.9);
  s.rng.seed(static_cast<std::uint64_t>(settings.seed));
}

Trainer::~Trainer() = default;

void Trainer::set_training_data(std::vector<TrainingVideo> videos) {
  auto& s = *state_;
  const int batch = s.config.loader.batch_size;
  if (static_cast<int>(videos.size()) < batch) {
    throw ConfigError("the training split has " + std::to_string(videos.size()) +
                      " videos, fewer than one batch of " + std::to_string(batch) +
                      " (the reference drops incomplete batches)");
  }
  for (const auto& v : videos) {
    if (v.features.dim() != 2 || v.features.size(0) != s.config.dataset.input_dim ||
        v.features.size(1) < 1) {
      throw ConfigError("video '" + v.id + "' has features of shape " +
                        std::to_string(v.features.dim() == 2 ? v.features.size(0) : -1) +
                        " x T; expected dataset.input_dim = " +
                        std::to_string(s.config.dataset.input_dim) + " channels and T >= 1");
    }
  }
  s.videos = std::move(videos);
  s.iters_per_epoch = static_cast<std::int64_t>(s.videos.size()) / batch;
  const double lr = s.config.opt.learning_rate * s.config.num_devices;
  s.schedule = std::make_unique<WarmupCosineSchedule>(lr, s.warmup_epochs * s.iters_per_epoch,
                                                      s.total_epochs * s.iters_per_epoch,
                                                      s.config.opt.eta_min, 0.0);
  s.optimizer = make_optimizer(*s.net, s.schedule->lr(), s.config.opt.weight_decay);
}

EpochStats Trainer::run_epoch(const CancelToken* cancel, const ProgressCallback& progress) {
  auto& s = *state_;
  TEAMOR_ASSERT(s.optimizer != nullptr);
  TEAMOR_ASSERT(!finished());
  const auto t0 = std::chrono::steady_clock::now();
  const int batch = s.config.loader.batch_size;
  // Shuffle with our own Fisher-Yates (std::shuffle's draws are implementation-defined).
  std::vector<std::size_t> order(s.videos.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(
        order[i - 1],
        order[static_cast<std::size_t>(uniform_int(s.rng, 0, static_cast<std::int64_t>(i) - 1))]);
  }
  CropOptions crop;
  crop.max_seq_len = s.config.dataset.max_seq_len;
  crop.trunc_thresh = s.config.dataset.trunc_thresh;
  crop.crop_ratio_lo = s.config.dataset.crop_ratio[0];
  crop.crop_ratio_hi = s.config.dataset.crop_ratio[1];
  LabelAssignerOptions assign;
  assign.num_classes = s.config.dataset.num_classes;
  assign.center_sample = s.config.train.center_sample == "radius";
  assign.center_sample_radius = s.config.train.center_sample_radius;
  LossOptions loss_opts;
  loss_opts.num_bins = s.config.model.num_bins;
  loss_opts.iou_weight_power = s.config.model.iou_weight_power;
  loss_opts.loss_weight = s.config.train.loss_weight;
  loss_opts.label_smoothing = s.config.train.label_smoothing;

  EpochStats st;
  st.epoch = s.epochs_done + 1;
  st.total_epochs = s.total_epochs;
  s.net->train();
  for (std::int64_t it = 0; it < s.iters_per_epoch; ++it) {
    if (cancel != nullptr) cancel->throw_if_cancelled();
    std::vector<TrainingVideo> items;
    std::vector<torch::Tensor> feats;
    for (int b = 0; b < batch; ++b) {
      items.push_back(
          random_crop(s.videos[order[static_cast<std::size_t>(it * batch + b)]], crop, s.rng));
      feats.push_back(items.back().features);
    }
    const PaddedBatch padded = pad_batch(feats, s.config, /*training=*/true);
    s.optimizer->zero_grad();
    const NetworkOutput out = s.net->forward(padded.x.to(s.device), padded.mask.to(s.device));
    std::vector<std::int64_t> lengths;
    for (const auto& c : out.cls_logits)
      lengths.push_back(c.size(2));
    const auto points = make_points(lengths, s.config.model.regression_range).to(s.device);
    std::vector<torch::Tensor> gt_cls, gt_reg;
    for (const auto& item : items) {
      auto t = assign_labels(points, item.segments.to(s.device), item.labels.to(s.device), assign);
      gt_cls.push_back(t.cls);
      gt_reg.push_back(t.reg);
    }
    HeadOutputs heads{out.cls_logits, out.reg_offsets, out.start_logits, out.end_logits, out.masks};
    const LossResult r =
        compute_losses(heads, torch::stack(gt_cls), torch::stack(gt_reg), s.normalizer, loss_opts);
    r.final_loss.backward();
    double grad_norm;
    if (s.config.train.clip_grad_l2norm > 0) {
      grad_norm =
          torch::nn::utils::clip_grad_norm_(s.net->parameters(), s.config.train.clip_grad_l2norm);
    } else {
      std::vector<torch::Tensor> norms;
      for (const auto& p : s.net->parameters())
        if (p.grad().defined()) norms.push_back(p.grad().norm());
      grad_norm = torch::stack(norms).norm().item<double>();
    }
    st.last_lr = s.schedule->lr();
    set_learning_rate(*s.optimizer, s.schedule->lr());
    s.optimizer->step();
    s.schedule->step();
    s.ema_updater.update(*s.net, *s.ema);

    st.mean_loss += r.final_loss.item<double>();
    st.mean_cls_loss += r.cls_loss.item<double>();
    st.mean_reg_loss += r.reg_loss.item<double>();
    st.last_grad_norm = grad_norm;
    ++st.iterations;
    if (progress) {
      progress({static_cast<double>(it + 1), static_cast<double>(s.iters_per_epoch),
                "epoch " + std::to_string(st.epoch)});
    }
  }
  if (st.iterations > 0) {
    st.mean_loss /= static_cast<double>(st.iterations);
    st.mean_cls_loss /= static_cast<double>(st.iterations);
    st.mean_reg_loss /= static_cast<double>(st.iterations);
  }
  st.normalizer = s.normalizer.value();
  ++s.epochs_done;
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return st;
}

bool Trainer::finished() const {
  return state_->epochs_done >= state_->total_epochs;
}
int Trainer::epochs_done() const {
  return state_->epochs_done;
}
int Trainer::total_epochs() const {
  return state_->total_epochs;
}
std::int64_t Trainer::iterations_per_epoch() const {
  return state_->iters_per_epoch;
}
Network& Trainer::network() {
  return state_->net;
}
Network& Trainer::ema_network() {
  return state_->ema;
}
double Trainer::loss_normalizer() const {
  return state_->normalizer.value();
}
const DetectorConfig& Trainer::config() const {
  return state_->config;
}

void Trainer::save_checkpoint(const std::filesystem::path& path) const {
  const auto& s = *state_;
  TEAMOR_ASSERT(s.optimizer != nullptr);
  torch::serialize::OutputArchive ar;
  ar.write("version", torch::tensor(static_cast<std::int64_t>(kCheckpointVersion)));
  ar.write("config", string_tensor(to_json(s.config)));
  ar.write("seed", torch::tensor(static_cast<std::int64_t>(s.settings.seed)));
  ar.write("total_epochs", torch::tensor(static_cast<std::int64_t>(s.total_epochs)));
  ar.write("num_videos", torch::tensor(static_cast<std::int64_t>(s.videos.size())));
  ar.write("epochs_done", torch::tensor(static_cast<std::int64_t>(s.epochs_done)));
  ar.write("iteration", torch::tensor(s.schedule->iteration()));
  ar.write("lr", torch::tensor(s.schedule->lr(), torch::kFloat64));
  ar.write("loss_normalizer", torch::tensor(s.normalizer.value(), torch::kFloat64));
  ar.write("ema_updates", torch::tensor(s.ema_updater.updates()));
  std::ostringstream rng;
  rng << s.rng;
  ar.write("rng", string_tensor(rng.str()));
  ar.write("torch_rng", at::detail::getDefaultCPUGenerator().get_state());
  for (const auto& p : s.net->named_parameters())
    ar.write("model." + p.key(), p.value().cpu());
  for (const auto& p : s.ema->named_parameters())
    ar.write("ema." + p.key(), p.value().cpu());
  torch::serialize::OutputArchive opt;
  s.optimizer->save(opt);
  ar.write("optimizer", opt);
  std::filesystem::create_directories(path.parent_path().empty() ? "." : path.parent_path());
  AtomicFileWriter out(path);
  ar.save_to(out.stream());
  out.commit();
}

void Trainer::load_checkpoint(const std::filesystem::path& path) {
  auto& s = *state_;
  TEAMOR_ASSERT(s.optimizer != nullptr);
  if (!std::filesystem::exists(path)) throw IoError("checkpoint not found", path.string());
  torch::serialize::InputArchive ar;
  auto read = [&](const std::string& key) {
    torch::Tensor t;
    try {
      ar.read(key, t);
    } catch (const c10::Error&) {
      throw FormatError("checkpoint has no entry '" + key + "'", path.string(),
                        "entry '" + key + "'");
    }
    return t;
  };
  try {
    ar.load_from(path.string());
  } catch (const c10::Error& e) {
    throw FormatError("not a teamor training checkpoint (the archive cannot be read)",
                      path.string());
  }
  if (read("version").item<std::int64_t>() != kCheckpointVersion) {
    throw FormatError("unsupported checkpoint version", path.string(), "entry 'version'");
  }
  if (tensor_string(read("config")) != to_json(s.config)) {
    throw ConfigError(
        "the checkpoint was written with another configuration; resume with the same "
        "--config, or start a fresh run",
        path.string());
  }
  if (read("seed").item<std::int64_t>() != s.settings.seed ||
      read("total_epochs").item<std::int64_t>() != s.total_epochs ||
      read("num_videos").item<std::int64_t>() != static_cast<std::int64_t>(s.videos.size())) {
    throw ConfigError(
        "the checkpoint belongs to a run with another seed, epoch count or training "
        "set; resume with the same options",
        path.string());
  }
  torch::NoGradGuard no_grad;
  for (auto& p : s.net->named_parameters())
    p.value().copy_(read("model." + p.key()));
  for (auto& p : s.ema->named_parameters())
    p.value().copy_(read("ema." + p.key()));
  torch::serialize::InputArchive opt;
  ar.read("optimizer", opt);
  s.optimizer->load(opt);
  s.epochs_done = static_cast<int>(read("epochs_done").item<std::int64_t>());
  s.schedule->restore(read("iteration").item<std::int64_t>(), read("lr").item<double>());
  s.normalizer.set_value(read("loss_normalizer").item<double>());
  s.ema_updater.set_updates(read("ema_updates").item<std::int64_t>());
  std::istringstream rng(tensor_string(read("rng")));
  rng >> s.rng;
  auto gen = at::detail::getDefaultCPUGenerator();
  gen.set_state(read("torch_rng"));
}

}  // namespace teamor::detector
