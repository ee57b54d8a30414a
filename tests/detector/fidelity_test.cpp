// Fidelity of the LibTorch port against the reference fixture (fixture-v1, produced by the Python
// Team-OR code): raw head outputs, post-processed detections and their mAP.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "annotations/annotation_io.h"
#include "annotations/evaluation.h"
#include "annotations/labels.h"
#include "detector/config.h"
#include "detector/feature_files.h"
#include "detector/network.h"
#include "detector/postprocess.h"
#include "io/safetensors.h"

namespace fs = std::filesystem;
using namespace teamor::detector;

namespace {

fs::path fixture_dir() {
  return fs::path(TEAMOR_SHARED_DIR) / "reference/fixture-v1";
}

const std::vector<std::string> kTestIds{"or06_view1", "or07_view1", "or08_view1", "or09_view1"};

/// Network, config and outputs of every test video, computed once for the whole suite.
struct FixtureRun {
  DetectorConfig config;
  std::map<std::string, NetworkOutput> outputs;
  std::map<std::string, std::vector<Detection>> detections;  // seconds
};

const FixtureRun& run_fixture() {
  static const FixtureRun run = [] {
    FixtureRun r;
    r.config = load_config(fixture_dir() / "reference_config.yaml");
    Network net(r.config);
    load_state(net, teamor::io::read_safetensors(fixture_dir() / "model.safetensors"),
               "model.safetensors");
    net->eval();
    torch::NoGradGuard no_grad;
    for (const auto& id : kTestIds) {
      const FeatureSequence f = load_features(fixture_dir() / "features", id, 1664);
      auto seq =
          torch::from_blob(const_cast<float*>(f.values.data()), {f.length, f.channels}).t().clone();
      const PaddedBatch batch = pad_batch({seq}, r.config, false);
      r.outputs[id] = net->forward(batch.x, batch.mask);
      r.detections[id] = to_seconds(detect_on_grid(r.outputs[id], 0, r.config), r.config, 0);
    }
    return r;
  }();
  return run;
}

torch::Tensor to_tensor(const teamor::io::NpyArray& a) {
  auto v = a.to_float32();
  return torch::from_blob(v.data(), a.shape, torch::kFloat32).clone();
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

#define SKIP_WITHOUT_FIXTURE()                          \
  if (!fs::exists(fixture_dir() / "model.safetensors")) \
  GTEST_SKIP() << "fixture-v1 not present under " << TEAMOR_SHARED_DIR

}  // namespace

TEST(Fidelity, ReferenceWeightsLoadUnchanged) {
  SKIP_WITHOUT_FIXTURE();
  const auto config = load_config(fixture_dir() / "reference_config.yaml");
  EXPECT_EQ(config.dataset.max_seq_len, 2304);
  Network net(config);
  EXPECT_NO_THROW(load_state(net, teamor::io::read_safetensors(fixture_dir() / "model.safetensors"),
                             "model.safetensors"));
}

TEST(Fidelity, RawHeadOutputsMatchTheReference) {
  SKIP_WITHOUT_FIXTURE();
  const auto& run = run_fixture();
  const auto expected = teamor::io::read_safetensors(fixture_dir() / "expected_raw.safetensors");
  int compared = 0;
  double worst = 0;
  for (const auto& id : kTestIds) {
    const auto& out = run.outputs.at(id);
    const std::map<std::string, const std::vector<torch::Tensor>*> heads{
        {"cls_head", &out.cls_logits},
        {"start_head", &out.start_logits},
        {"end_head", &out.end_logits},
        {"reg_head", &out.reg_offsets}};
    for (const auto& [head, levels] : heads) {
      for (int l = 0; l < 6; ++l) {
        const std::string name = id + "/" + head + "/level" + std::to_string(l);
        ASSERT_TRUE(expected.tensors.count(name)) << name;
        const auto want = to_tensor(expected.tensors.at(name));
        const auto& got = (*levels)[l];
        ASSERT_EQ(got.sizes(), want.sizes()) << name;
        // Relative to the tensor's magnitude: elementwise |a - b| <= 1e-4 * max(|b|, 1).
        const auto err = ((got - want).abs() / want.abs().clamp_min(1.0)).max().item<double>();
        worst = std::max(worst, err);
        EXPECT_LE(err, 1e-4) << name;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 96);
  RecordProperty("worst_relative_error", std::to_string(worst));
  std::cout << "worst relative error over 96 raw tensors: " << worst << "\n";
}

TEST(Fidelity, DetectionsMatchTheReference) {
  SKIP_WITHOUT_FIXTURE();
  const auto& run = run_fixture();
  const auto expected = read_json(fixture_dir() / "expected_detections.json")["videos"];
  for (const auto& id : kTestIds) {
    const auto& want = expected.at(id);
    const auto& got = run.detections.at(id);
    ASSERT_EQ(got.size(), want.size()) << id;
    double max_dt = 0, max_ds = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      max_dt = std::max({max_dt, std::abs(got[i].start - want[i][0].get<double>()),
                         std::abs(got[i].end - want[i][1].get<double>())});
      max_ds = std::max(max_ds, std::abs(got[i].score - want[i][2].get<double>()));
    }
    EXPECT_LE(max_dt, 1e-3) << id;
    EXPECT_LE(max_ds, 1e-5) << id;
  }
}

TEST(Fidelity, MeanAveragePrecisionMatchesTheReference) {
  SKIP_WITHOUT_FIXTURE();
  using namespace teamor::annotations;
  ReadOptions read_options;
  read_options.fps = 30.0;
  const auto gt = read_annotations(fixture_dir() / "annotations.pkl", read_options);
  const auto aliases = LabelAliases::builtin();
  const std::string label = aliases.canonical("11 (Time-Out)");
  auto evaluate_detections = [&](const std::map<std::string, std::vector<Detection>>& dets) {
    AnnotationCollection pred;
    for (const auto& [id, list] : dets) {
      auto& set = pred[id];
      set.recording_id = id;
      for (const auto& d : list) {
        Segment s;
        s.label = label;
        s.start_s = d.start;
        s.end_s = d.end;
        s.score = d.score;
        s.source = Source::Prediction;
        s.state = ReviewState::Proposed;
        set.segments.push_back(s);
      }
    }
    EvalOptions opt;
    opt.label = label;
    opt.ids = {kTestIds.begin(), kTestIds.end()};
    return evaluate(gt, pred, opt);
  };
  const auto want = read_json(fixture_dir() / "expected_map.json");
  // The evaluator itself on the reference's detections (to 1e-6, per the fixture's README) ...
  std::map<std::string, std::vector<Detection>> reference;
  const auto expected_detections = read_json(fixture_dir() / "expected_detections.json");
  for (const auto& [id, list] : expected_detections["videos"].items())
    for (const auto& d : list)
      reference[id].push_back({d[0].get<double>(), d[1].get<double>(), d[2].get<double>(), 0});
  const auto ref_result = evaluate_detections(reference);
  ASSERT_EQ(ref_result.classes.size(), 1u);
  EXPECT_GT(ref_result.classes[0].ground_truth, 0);
  EXPECT_EQ(ref_result.classes[0].predictions, 182 + 166 + 118 + 196);
  EXPECT_NEAR(ref_result.average_mAP, want["average_mAP"].get<double>(), 1e-6);
  // ... and on ours.
  const auto result = evaluate_detections(run_fixture().detections);
  ASSERT_EQ(result.mAP.size(), 5u);
  for (int i = 0; i < 5; ++i)
    EXPECT_NEAR(result.mAP[i], want["mAP"][i].get<double>(), 1e-5) << i;
  EXPECT_NEAR(result.average_mAP, want["average_mAP"].get<double>(), 1e-5);
}
