// The training loop: exact resume from checkpoints, the lr-0 first step, EMA, bad input.
#include "detector/trainer.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"
#include "detector/optimizer.h"

using namespace teamor::detector;
namespace fs = std::filesystem;

namespace {

/// A tiny network (8 input channels, 16 wide) padded to 64 steps, so a full run takes a second.
DetectorConfig tiny_config(bool reference_compat = true) {
  DetectorConfig c;
  c.dataset.input_dim = 8;
  c.dataset.max_seq_len = 64;
  c.model.embd_dim = c.model.fpn_dim = c.model.head_dim = 16;
  c.model.num_bins = 4;
  c.opt.warmup_epochs = 2;
  c.opt.epochs = 2;
  c.improvements.reference_compat = reference_compat;
  c.finalize();
  return c;
}

std::vector<TrainingVideo> tiny_videos(int n) {
  torch::manual_seed(99);
  std::vector<TrainingVideo> v;
  for (int i = 0; i < n; ++i) {
    TrainingVideo t;
    t.id = "v" + std::to_string(i);
    const int64_t len = 40 + 5 * i;
    t.features = torch::randn({8, len}) * 0.5;
    const float s = 5.0f + 3 * i, e = s + 6.0f + i;
    t.features.slice(1, static_cast<int64_t>(s), static_cast<int64_t>(e)).slice(0, 0, 2) += 2.0;
    t.segments = torch::tensor({s, e}).reshape({1, 2});
    t.labels = torch::zeros({1}, torch::kInt64);
    t.has_events = true;
    if (i == n - 1) {  // one pure negative, as the reference allows
      t.segments = torch::zeros({0, 2});
      t.labels = torch::zeros({0}, torch::kInt64);
      t.has_events = false;
    }
    v.push_back(t);
  }
  return v;
}

void expect_same_weights(Network& a, Network& b) {
  auto pa = a->named_parameters();
  auto pb = b->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(torch::equal(pa[i].value(), pb[i].value())) << pa[i].key();
  }
}

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("teamor_trainer_test_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST(Trainer, ResumedRunEqualsUninterruptedRunBitForBit) {
  for (bool compat : {true, false}) {
    const auto cfg = tiny_config(compat);
    const auto dir = temp_dir(compat ? "resume_ref" : "resume_new");
    Trainer straight(cfg, {.seed = 7});
    straight.set_training_data(tiny_videos(5));
    while (!straight.finished())
      straight.run_epoch();

    {
      Trainer first(cfg, {.seed = 7});
      first.set_training_data(tiny_videos(5));
      first.run_epoch();
      first.run_epoch();
      first.save_checkpoint(dir / "half.ckpt");
    }
    Trainer second(cfg, {.seed = 7});
    second.set_training_data(tiny_videos(5));
    second.load_checkpoint(dir / "half.ckpt");
    EXPECT_EQ(second.epochs_done(), 2);
    while (!second.finished())
      second.run_epoch();

    EXPECT_EQ(straight.loss_normalizer(), second.loss_normalizer());
    expect_same_weights(straight.network(), second.network());
    expect_same_weights(straight.ema_network(), second.ema_network());
    // Training did something, and the EMA is not the trained network.
    auto p0 = straight.network()->named_parameters()[0].value();
    auto e0 = straight.ema_network()->named_parameters()[0].value();
    EXPECT_FALSE(torch::equal(p0, e0));
    fs::remove_all(dir);
  }
}

TEST(Trainer, FirstIterationHasLearningRateZeroAndLeavesWeightsUnchanged) {
  auto cfg = tiny_config();
  cfg.opt.warmup_epochs = 1;
  cfg.opt.epochs = 1;
  cfg.finalize();
  Trainer t(cfg, {.seed = 3});
  t.set_training_data(tiny_videos(2));  // one iteration per epoch
  std::vector<torch::Tensor> before;
  for (const auto& p : t.network()->parameters())
    before.push_back(p.detach().clone());
  const EpochStats s = t.run_epoch();
  EXPECT_EQ(s.iterations, 1);
  EXPECT_EQ(s.last_lr, 0.0);
  EXPECT_GT(s.last_grad_norm, 0.0);
  // eta = 0.9 * 250 + 0.1 * max(N_pos, 1) after one update.
  EXPECT_GT(s.normalizer, 0.9 * 250.0);
  EXPECT_LT(s.normalizer, 250.0);
  auto params = t.network()->parameters();
  for (std::size_t i = 0; i < params.size(); ++i)
    EXPECT_TRUE(torch::equal(params[i], before[i]));
}

TEST(Trainer, SameSeedSameInitialWeightsAndEmaStartsThere) {
  const auto cfg = tiny_config();
  Trainer a(cfg, {.seed = 11}), b(cfg, {.seed = 11}), c(cfg, {.seed = 12});
  expect_same_weights(a.network(), b.network());
  expect_same_weights(a.network(), a.ema_network());
  EXPECT_FALSE(torch::equal(a.network()->parameters()[0], c.network()->parameters()[0]));
}

TEST(Trainer, RejectsBadInputWithClearErrors) {
  const auto cfg = tiny_config();
  Trainer t(cfg, {.seed = 1});
  EXPECT_THROW(t.set_training_data(tiny_videos(1)), teamor::ConfigError);  // < one batch
  auto wrong = tiny_videos(2);
  wrong[0].features = torch::zeros({5, 40});
  EXPECT_THROW(t.set_training_data(wrong), teamor::ConfigError);
  EXPECT_THROW(Trainer(cfg, {.seed = 1, .device = "tpu"}), teamor::ConfigError);
  EXPECT_THROW(Trainer(cfg, {.seed = 1, .total_epochs = -3}), teamor::ConfigError);

  const auto dir = temp_dir("bad_ckpt");
  t.set_training_data(tiny_videos(2));
  t.save_checkpoint(dir / "ok.ckpt");
  auto other = tiny_config();
  other.opt.learning_rate = 5e-4;
  other.finalize();
  Trainer u(other, {.seed = 1});
  u.set_training_data(tiny_videos(2));
  EXPECT_THROW(u.load_checkpoint(dir / "ok.ckpt"), teamor::ConfigError);
  Trainer w(cfg, {.seed = 2});
  w.set_training_data(tiny_videos(2));
  EXPECT_THROW(w.load_checkpoint(dir / "ok.ckpt"), teamor::ConfigError);  // other seed
  std::ofstream(dir / "junk.ckpt") << "not a checkpoint";
  EXPECT_THROW(t.load_checkpoint(dir / "junk.ckpt"), teamor::FormatError);
  EXPECT_THROW(t.load_checkpoint(dir / "missing.ckpt"), teamor::IoError);
  fs::remove_all(dir);
}

TEST(Trainer, ReferenceParameterGroupsOfTheFullNetwork) {
  // Spec 3.3: 14 conv weights (9,690,624 elements) decay; 42 tensors (16,427 elements) do not.
  DetectorConfig cfg;
  cfg.finalize();
  Network net(cfg);
  const auto g = make_parameter_groups(*net);
  int64_t decay = 0, no_decay = 0;
  for (const auto& t : g.decay)
    decay += t.numel();
  for (const auto& t : g.no_decay)
    no_decay += t.numel();
  EXPECT_EQ(g.decay.size(), 14u);
  EXPECT_EQ(g.no_decay.size(), 42u);
  EXPECT_EQ(decay, 9690624);
  EXPECT_EQ(no_decay, 16427);
  EXPECT_TRUE(std::is_sorted(g.decay_names.begin(), g.decay_names.end()));
  EXPECT_TRUE(std::is_sorted(g.no_decay_names.begin(), g.no_decay_names.end()));
}
