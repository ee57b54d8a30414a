// Schedule, EMA, optimiser groups, data split and random crop (spec 1.2, 1.6, 3.3-3.5).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"
#include "detector/data_split.h"
#include "detector/ema.h"
#include "detector/lr_schedule.h"
#include "detector/optimizer.h"
#include "detector/training_data.h"

using namespace teamor::detector;

TEST(WarmupCosineSchedule, ZeroFirstThenLinearToBaseOneStepEarlyThenCosine) {
  WarmupCosineSchedule s(1e-4, 4, 10, 1e-8);
  std::vector<double> lr;
  for (int k = 0; k < 10; ++k, s.step())
    lr.push_back(s.lr());
  EXPECT_EQ(lr[0], 0.0);
  EXPECT_NEAR(lr[1], 1e-4 / 3, 1e-18);
  EXPECT_NEAR(lr[3], 1e-4, 1e-18);  // base at W - 1
  EXPECT_EQ(lr[4], 1e-4);           // k = W: cosine start
  for (int k = 5; k < 10; ++k) {
    const double expected = 1e-8 + 0.5 * (1e-4 - 1e-8) * (1 + std::cos(M_PI * (k - 4) / 6.0));
    EXPECT_NEAR(lr[k], expected, 1e-18) << k;
  }
  WarmupCosineSchedule c(1e-4, 4, 10, 1e-8);
  for (int k = 0; k < 10; ++k)
    EXPECT_NEAR(c.closed_form(k), lr[k], 1e-18);
}

TEST(WarmupCosineSchedule, RestoreContinuesIdentically) {
  WarmupCosineSchedule a(1e-4, 30, 60), b(1e-4, 30, 60);
  for (int k = 0; k < 37; ++k)
    a.step();
  b.restore(a.iteration(), a.lr());
  for (int k = 0; k < 20; ++k) {
    a.step();
    b.step();
    EXPECT_EQ(a.lr(), b.lr());
  }
}

TEST(ModelEma, FixedDecayBlendsStateAndWarmupRampsTheDecay) {
  torch::nn::Linear model(2, 1), ema(2, 1);
  ModelEma::copy_state(*model, *ema);
  EXPECT_TRUE(torch::equal(model->weight, ema->weight));
  {
    torch::NoGradGuard g;
    model->weight.fill_(1.0);
    ema->weight.fill_(0.0);
  }
  ModelEma fixed(0.9);
  fixed.update(*model, *ema);
  EXPECT_NEAR(ema->weight[0][0].item<double>(), 0.1, 1e-7);
  fixed.update(*model, *ema);
  EXPECT_NEAR(ema->weight[0][0].item<double>(), 0.19, 1e-7);
  ModelEma ramp(0.999, true);
  EXPECT_DOUBLE_EQ(ramp.current_decay(), 0.1);  // (1 + 0) / (10 + 0)
  {
    torch::NoGradGuard g;
    ema->weight.fill_(0.0);
  }
  ramp.update(*model, *ema);
  EXPECT_NEAR(ema->weight[0][0].item<double>(), 0.9, 1e-7);
  ramp.set_updates(100000);
  EXPECT_DOUBLE_EQ(ramp.current_decay(), 0.999);
}

namespace {
struct ToyImpl : torch::nn::Module {
  ToyImpl() {
    conv = register_module("conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(2, 3, 3)));
    norm = register_parameter("norm_weight", torch::ones({1, 3, 1}));
    scale = register_parameter("scale", torch::ones({}));
  }
  torch::nn::Conv1d conv{nullptr};
  torch::Tensor norm, scale;
};
}  // namespace

TEST(Optimizer, ConvWeightsDecayEverythingElseDoesNot) {
  auto toy_ptr = std::make_shared<ToyImpl>();  // named_modules() needs a shared_ptr-owned module
  auto& toy = *toy_ptr;
  auto g = make_parameter_groups(toy);
  EXPECT_EQ(g.decay_names, (std::vector<std::string>{"conv.weight"}));
  EXPECT_EQ(g.no_decay_names, (std::vector<std::string>{"conv.bias", "norm_weight", "scale"}));
  auto opt = make_optimizer(toy, 1e-3, 0.5);
  ASSERT_EQ(opt->param_groups().size(), 2u);
  auto& o0 = static_cast<torch::optim::AdamWOptions&>(opt->param_groups()[0].options());
  auto& o1 = static_cast<torch::optim::AdamWOptions&>(opt->param_groups()[1].options());
  EXPECT_EQ(o0.weight_decay(), 0.5);
  EXPECT_EQ(o1.weight_decay(), 0.0);
  set_learning_rate(*opt, 0.0);
  EXPECT_EQ(o0.lr(), 0.0);
  EXPECT_EQ(o1.lr(), 0.0);
}

TEST(Optimizer, AdamWStepWithZeroLrChangesNothingButAdvancesState) {
  auto toy_ptr = std::make_shared<ToyImpl>();
  auto& toy = *toy_ptr;
  auto opt = make_optimizer(toy, 1e-3, 0.5);
  set_learning_rate(*opt, 0.0);
  auto before = toy.conv->weight.clone();
  toy.conv->weight.mutable_grad() = torch::ones_like(toy.conv->weight);
  opt->step();
  EXPECT_TRUE(torch::equal(before, toy.conv->weight));
  // Then lr 1e-3: decoupled decay p *= 1 - lr * wd, then Adam's step of size lr / (1 - 0.9^2) *
  // m / (sqrt(v / (1 - 0.999^2)) + eps) with m, v after two unit gradients.
  set_learning_rate(*opt, 1e-3);
  opt->step();
  const double m = 0.1 * 0.9 + 0.1, v = 0.001 * 0.999 + 0.001;
  const double step = 1e-3 / (1 - 0.81) * m / (std::sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
  const double w0 = before[0][0][0].item<double>();
  EXPECT_NEAR(toy.conv->weight[0][0][0].item<double>(), w0 * (1 - 1e-3 * 0.5) - step, 1e-7);
}

TEST(DataSplit, ReferenceRuleKeepsStemsEndingInOneSortedFirstSixtyPercentTrain) {
  auto s = reference_split({"b1.npy", "a1.npy", "c2.npy", "x_11.npy", "d1.txt", "f1.npy", "e1.npy"},
                           0.6);
  EXPECT_EQ(s.training, (std::vector<std::string>{"a1", "b1", "e1"}));
  EXPECT_EQ(s.test, (std::vector<std::string>{"f1", "x_11"}));
  EXPECT_THROW(reference_split({}, 1.5), teamor::ConfigError);
}

TEST(DataSplit, SplitFileAndItsErrors) {
  const auto dir = std::filesystem::temp_directory_path() / "teamor_split_test";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  auto s = load_split_file(write("ok.json", R"({"training": ["a", "b"], "test": ["c"]})"));
  EXPECT_EQ(s.training, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.test, (std::vector<std::string>{"c"}));
  EXPECT_NO_THROW(check_split(s, "ok.json"));
  EXPECT_THROW(load_split_file(write("bad1.json", R"({"training": ["a"], "tests": ["c"]})")),
               teamor::FormatError);
  EXPECT_THROW(load_split_file(write("bad2.json", R"({"training": ["a"], "test": ["a"]})")),
               teamor::FormatError);
  EXPECT_THROW(load_split_file(write("bad3.json", R"([1, 2])")), teamor::FormatError);
  EXPECT_THROW(load_split_file(write("bad4.json", R"({"training": [1], "test": []})")),
               teamor::FormatError);
  EXPECT_THROW(load_split_file(dir / "missing.json"), teamor::IoError);
  EXPECT_THROW(check_split({{"a"}, {}}, "x"), teamor::ConfigError);
  EXPECT_THROW(check_split({{}, {"a"}}, "x"), teamor::ConfigError);
  std::filesystem::remove_all(dir);
}

TEST(TrainingData, SecondsToGridUsesClipCentres) {
  // Frame 16 at 30 fps is the centre of clip 0 -> grid 0; frame 48 -> grid 1.
  EXPECT_FLOAT_EQ(seconds_to_grid(16.0 / 30.0, 30, 32, 32), 0.0f);
  EXPECT_FLOAT_EQ(seconds_to_grid(48.0 / 30.0, 30, 32, 32), 1.0f);
  EXPECT_LT(seconds_to_grid(0.0, 30, 32, 32), 0.0f);
}

TEST(TrainingData, UniformIntCoversTheInclusiveRange) {
  std::mt19937_64 rng(5);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i)
    seen.insert(uniform_int(rng, -2, 3));
  EXPECT_EQ(seen, (std::set<int64_t>{-2, -1, 0, 1, 2, 3}));
}

TEST(TrainingData, CropKeepsLengthRatioClipsAndShiftsSegments) {
  TrainingVideo v;
  v.id = "x";
  v.features = torch::arange(0, 100, torch::kFloat32).reshape({1, 100}).repeat({2, 1});
  v.segments = torch::tensor({10.f, 20.f, 85.f, 99.f}).reshape({2, 2});
  v.labels = torch::zeros({2}, torch::kInt64);
  v.has_events = true;
  std::mt19937_64 rng(11);
  std::set<int64_t> lengths;
  for (int i = 0; i < 300; ++i) {
    auto c = random_crop(v, {}, rng);
    lengths.insert(c.length());
    ASSERT_GE(c.length(), 90);
    ASSERT_LE(c.length(), 100);
    const auto st = static_cast<float>(c.features[0][0].item<float>());
    const auto ed = st + static_cast<float>(c.length());
    ASSERT_GE(c.segments.size(0), 1);
    for (int k = 0; k < c.segments.size(0); ++k) {
      const float s = c.segments[k][0].item<float>() + st, e = c.segments[k][1].item<float>() + st;
      // Each kept segment is one original clipped to [st, ed] with >= 30 % inside.
      const bool first = std::fabs(s - std::max(10.f, st)) < 1e-5f;
      const float os = first ? 10.f : 85.f, oe = first ? 20.f : 99.f;
      EXPECT_FLOAT_EQ(s, std::max(os, st));
      EXPECT_FLOAT_EQ(e, std::min(oe, ed));
      EXPECT_GE((e - s) / (oe - os), 0.3f);
    }
  }
  EXPECT_EQ(lengths.size(), 11u);  // 90..100 all drawn
  // Python's round: 0.9 * 25 = 22.5 rounds to 22 (half to even), so 22 is a possible length.
  v.features = v.features.slice(1, 0, 25);
  v.segments = torch::tensor({2.f, 20.f}).reshape({1, 2});
  v.labels = torch::zeros({1}, torch::kInt64);
  std::set<int64_t> short_lengths;
  for (int i = 0; i < 300; ++i)
    short_lengths.insert(random_crop(v, {}, rng).length());
  EXPECT_EQ(short_lengths, (std::set<int64_t>{22, 23, 24, 25}));
}

TEST(TrainingData, VideosWithoutEventsAreNeverCropped) {
  TrainingVideo v;
  v.features = torch::zeros({2, 50});
  v.segments = torch::zeros({0, 2});
  v.labels = torch::zeros({0}, torch::kInt64);
  v.has_events = false;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(random_crop(v, {}, rng).length(), 50);
}
