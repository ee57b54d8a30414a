// `teamor train` end to end (detector/training_run.h): feature files and ground truth on disk in,
// a model bundle, checkpoints and the held-out evaluation out; both protocols in one bundle.
#include "detector/training_run.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "common/error.h"
#include "detector/feature_files.h"
#include "detector/inference.h"
#include "detector/model_bundle.h"

using namespace teamor::detector;
namespace fs = std::filesystem;

namespace {

/// 8 videos of 8 channels: a Time-out raises channels 0-1, a StOP? channels 2-3.
fs::path make_dataset(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("teamor_training_run_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir / "features");
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.0f, 0.5f);
  std::string gt = R"({"version": "VERSION 1.3", "database": {)";
  std::string training, test;
  for (int i = 0; i < 8; ++i) {
    FeatureSequence s;
    s.id = "v" + std::to_string(i) + "_view1";
    s.length = 48 + 4 * i;
    s.channels = 8;
    s.grid = {32, 32, 30.0};
    s.values.resize(s.length * s.channels);
    for (auto& v : s.values)
      v = noise(rng);
    const int t0 = 5 + i, t1 = t0 + 8, s0 = 30 + i / 2, s1 = s0 + 6;
    for (int t = t0; t < t1; ++t)
      s.values[t * 8 + 0] += 2, s.values[t * 8 + 1] += 2;
    for (int t = s0; t < s1; ++t)
      s.values[t * 8 + 2] += 2, s.values[t * 8 + 3] += 2;
    save_features(dir / "features", s, "synthetic");
    auto sec = [](int g) { return std::to_string((g * 32 + 16) / 30.0); };
    gt += std::string(i ? "," : "") + "\"" + s.id + R"(": {"subset": "training", "duration": )" +
          std::to_string(s.duration_s()) +
          R"(, "annotations": [{"label": "Time-out", "segment": [)" + sec(t0) + "," + sec(t1) +
          R"(]}, {"label": "StOP?", "segment": [)" + sec(s0) + "," + sec(s1) + "]}]}";
    (i < 6 ? training : test) +=
        std::string((i < 6 ? training : test).empty() ? "" : ",") + "\"" + s.id + "\"";
  }
  std::ofstream(dir / "gt.json") << gt << "}}";
  std::ofstream(dir / "split.json")
      << R"({"training": [)" << training << R"(], "test": [)" << test << "]}";
  std::ofstream(dir / "config.json") << R"({"dataset": {"input_dim": 8, "max_seq_len": 64},
             "model": {"embd_dim": 16, "fpn_dim": 16, "head_dim": 16, "num_bins": 4},
             "opt": {"warmup_epochs": 1, "epochs": 2},
             "improvements": {"reference_compat": false}})";
  return dir;
}

TrainingRunOptions options_for(const fs::path& dir) {
  TrainingRunOptions o;
  o.features_dir = dir / "features";
  o.annotations = dir / "gt.json";
  o.config_file = dir / "config.json";
  o.split_file = dir / "split.json";
  o.out_bundle = dir / "bundle";
  o.seed = 3;
  return o;
}

}  // namespace

TEST(TrainingRun, WritesBundleCheckpointAndHeldOutEvaluation) {
  const auto dir = make_dataset("one");
  {
    // As `teamor extract` records them: the bundle must extract recordings the same way.
    const auto meta = dir / "features" / "meta.json";
    std::ifstream in(meta);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    text.insert(text.find('{') + 1,
                R"("features": {"backend": "synthetic", "settings": {"width": 96}}, )");
    std::ofstream(meta) << text;
  }
  std::vector<std::string> lines;
  const auto s =
      run_training(options_for(dir), nullptr, [&](const std::string& l) { lines.push_back(l); });
  EXPECT_EQ(s.epochs, 3);
  EXPECT_EQ(s.training_ids.size(), 6u);
  EXPECT_EQ(s.test_ids.size(), 2u);
  ASSERT_EQ(s.map.size(), 5u);
  EXPECT_TRUE(std::isfinite(s.average_map));
  EXPECT_NE(s.evaluation_table.find("mAP"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "bundle" / "checkpoints" / "last.ckpt"));
  EXPECT_TRUE(fs::exists(dir / "bundle" / "evaluation.json"));
  const auto bundle = load_bundle(dir / "bundle");
  ASSERT_EQ(bundle.networks.size(), 1u);
  EXPECT_EQ(bundle.networks[0].labels, std::vector<std::string>{"Time-out"});
  EXPECT_NE(bundle.feature_settings.find(R"("width":96)"), std::string::npos)
      << bundle.feature_settings;
  int epoch_lines = 0;
  for (const auto& l : lines)
    epoch_lines += l.rfind("epoch ", 0) == 0;
  EXPECT_EQ(epoch_lines, 3);  // progress once per epoch
  fs::remove_all(dir);
}

TEST(TrainingRun, BothProtocolsGoIntoOneBundleRunInOnePass) {
  const auto dir = make_dataset("both");
  const auto summaries = run_training_for(options_for(dir), {"timeout", "stop"}, nullptr, {});
  ASSERT_EQ(summaries.size(), 2u);
  for (const char* part : {"timeout", "stop"}) {
    EXPECT_TRUE(fs::exists(dir / "bundle" / "parts" / part / "checkpoints" / "last.ckpt")) << part;
    EXPECT_TRUE(fs::exists(dir / "bundle" / "parts" / part / "evaluation.json")) << part;
  }
  const auto bundle = load_bundle(dir / "bundle");
  ASSERT_EQ(bundle.networks.size(), 2u);
  EXPECT_EQ(bundle.networks[0].labels, std::vector<std::string>{"Time-out"});
  EXPECT_EQ(bundle.networks[1].labels, std::vector<std::string>{"StOP?"});
  EXPECT_TRUE(fs::exists(dir / "bundle" / "detector_1.safetensors"));
  // The combined bundle loads and runs both networks on one sequence.
  BundleDetector detector(dir / "bundle");
  const auto result = detector.detect(load_features(dir / "features", "v7_view1", 8));
  bool timeout = false, stop = false;
  for (const auto& d : result.detections) {
    timeout = timeout || d.label == "Time-out";
    stop = stop || d.label == "StOP?";
  }
  EXPECT_TRUE(timeout && stop);
  EXPECT_THROW(run_training_for(options_for(dir), {}, nullptr, {}), teamor::ConfigError);
  EXPECT_THROW(run_training_for(options_for(dir), {"stop", "stop"}, nullptr, {}),
               teamor::ConfigError);
  fs::remove_all(dir);
}
