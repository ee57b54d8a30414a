// The MaxAvg network: state-dict names, masking and pooling semantics, padding behaviour, config.
#include "detector/network.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "common/error.h"
#include "detector/blocks.h"
#include "detector/config.h"
#include "detector/point_generator.h"
#include "io/safetensors.h"
#include "tests/detector/narrow_config.h"

using namespace teamor::detector;
namespace fs = std::filesystem;

namespace {

DetectorConfig small_config(bool improved) {
  return test_support::narrow_config(improved);
}

void set_all_ln_bias(Network& net, double value) {
  torch::NoGradGuard g;
  for (auto& p : net->named_parameters())
    if (p.key().find("norm") != std::string::npos && p.key().ends_with(".bias"))
      p.value().fill_(value);
}

}  // namespace

TEST(Network, StateDictHasTheReferenceNamesShapesAndParameterCount) {
  DetectorConfig c;
  c.finalize();
  Network net(c);
  const auto params = net->named_parameters();
  EXPECT_EQ(params.size(), 56u);
  int64_t total = 0;
  for (const auto& p : params)
    total += p.value().numel();
  EXPECT_EQ(total, 9707051);
  EXPECT_EQ(params["backbone.embd.0.conv.weight"].sizes(), (std::vector<int64_t>{512, 1664, 3}));
  EXPECT_EQ(params["neck.fpn_norms.5.bias"].sizes(), (std::vector<int64_t>{1, 512, 1}));
  EXPECT_EQ(params["cls_head.cls_head.conv.bias"].sizes(), (std::vector<int64_t>{1}));
  EXPECT_EQ(params["reg_head.scale.0.scale"].dim(), 0);
  EXPECT_EQ(params["reg_head.offset_head.conv.weight"].sizes(), (std::vector<int64_t>{34, 512, 3}));
  EXPECT_NEAR(params["start_head.cls_head.conv.bias"].item<double>(), -4.59512, 1e-5);
  EXPECT_EQ(params["reg_head.offset_head.conv.bias"].abs().sum().item<double>(), 0.0);
  EXPECT_FALSE(params.contains("backbone.embd.0.conv.bias"));
}

TEST(Network, LoadStateListsEveryMissingExtraAndMisShapedTensor) {
  const auto c = small_config(false);
  Network net(c);
  auto st = state_to_safetensors(net);
  st.tensors.erase("cls_head.norm.0.weight");
  st.tensors.erase("neck.fpn_norms.3.bias");
  st.tensors["module.bogus.weight"] = st.tensors.at("reg_head.scale.0.scale");
  st.tensors.at("end_head.cls_head.conv.weight").shape = {1, 16, 1};
  st.tensors.at("end_head.cls_head.conv.weight").bytes.resize(16 * 4);
  try {
    load_state(net, st, "w.safetensors");
    FAIL() << "no ModelError";
  } catch (const teamor::ModelError& e) {
    const std::string m = e.what();
    EXPECT_EQ(e.file(), "w.safetensors");
    for (const char* name : {"cls_head.norm.0.weight", "neck.fpn_norms.3.bias", "bogus.weight",
                             "end_head.cls_head.conv.weight"})
      EXPECT_NE(m.find(name), std::string::npos) << name << " missing from: " << m;
    EXPECT_NE(m.find("2 missing"), std::string::npos) << m;
  }
}

TEST(Network, LoadStateRoundTripsAndStripsModulePrefix) {
  const auto c = small_config(false);
  torch::manual_seed(1);
  Network a(c);
  torch::manual_seed(2);
  Network b(c);
  auto st = state_to_safetensors(a);
  teamor::io::SafeTensors prefixed;
  for (auto& [k, v] : st.tensors)
    prefixed.tensors["module." + k] = v;
  load_state(b, prefixed, "x");
  for (const auto& p : a->named_parameters())
    EXPECT_TRUE(torch::equal(p.value(), b->named_parameters()[p.key()])) << p.key();
}

TEST(Blocks, AvgPoolDividesByThreeAtTheEdgesAndMaxPoolMasks) {
  auto x = torch::tensor({3.f, 3.f, 3.f, 3.f}).view({1, 1, 4});
  auto mask = torch::tensor({true, true, true, false}).view({1, 1, 4});
  auto avg = masked_avg_pool(x, mask, 1).x;
  EXPECT_NEAR(avg[0][0][0].item<float>(), 2.0f, 1e-6);  // (0 + 3 + 3) / 3
  EXPECT_NEAR(avg[0][0][1].item<float>(), 3.0f, 1e-6);
  EXPECT_EQ(avg[0][0][3].item<float>(), 0.0f);  // masked
  auto mx = masked_max_pool(torch::tensor({1.f, 5.f, 2.f, 7.f}).view({1, 1, 4}), mask, 2);
  EXPECT_EQ(mx.x.size(2), 2);
  EXPECT_EQ(mx.x[0][0][0].item<float>(), 5.0f);  // inputs -1, 0, 1
  EXPECT_EQ(mx.x[0][0][1].item<float>(), 7.0f);  // inputs 1, 2, 3
  EXPECT_TRUE(mx.mask[0][0][1].item<bool>());    // mask at even index 2
}

TEST(Network, OutputsAreZeroPastTheValidLengthAndShapesHalvePerLevel) {
  const auto c = small_config(false);
  torch::manual_seed(3);
  Network net(c);
  net->eval();
  torch::NoGradGuard g;
  auto batch = pad_batch({torch::randn({12, 100})}, c, false);
  EXPECT_EQ(batch.x.size(2), 256);
  auto out = net->forward(batch.x, batch.mask);
  ASSERT_EQ(out.cls_logits.size(), 6u);
  for (int l = 0; l < 6; ++l) {
    const int64_t t = 256 >> l, valid = (100 + (1 << l) - 1) >> l;
    EXPECT_EQ(out.reg_offsets[l].sizes(), (std::vector<int64_t>{1, 34, t}));
    EXPECT_EQ(out.masks[l].sum().item<int64_t>(), valid);
    EXPECT_EQ(out.cls_logits[l].slice(2, valid).abs().sum().item<float>(), 0.0f);
    EXPECT_GE(out.reg_offsets[l].min().item<float>(), 0.0f);  // ReLU
  }
}

TEST(Network, ImprovedPaddingGivesResultsIndependentOfPaddingLength) {
  // With LN bias != 0 the reference leaks padding into the last valid cells (spec 8.1); the
  // improved mode must give identical valid outputs however much padding there is.
  auto x = torch::randn({12, 70});
  for (bool improved : {false, true}) {
    auto c = small_config(improved);
    torch::manual_seed(4);
    Network net(c);
    set_all_ln_bias(net, 0.3);
    net->eval();
    torch::NoGradGuard g;
    auto run = [&](int64_t pad) {
      auto xp = torch::zeros({1, 12, pad});
      xp.slice(2, 0, 70).copy_(x.unsqueeze(0));
      auto m = torch::zeros({1, 1, pad}, torch::kBool);
      m.slice(2, 0, 70).fill_(true);
      return net->forward(xp, m);
    };
    auto a = run(96), b = run(256);
    double diff = 0;
    for (int l = 0; l < 6; ++l) {
      const int64_t valid = (70 + (1 << l) - 1) >> l;
      diff =
          std::max(diff, (a.cls_logits[l].slice(2, 0, valid) - b.cls_logits[l].slice(2, 0, valid))
                             .abs()
                             .max()
                             .item<double>());
    }
    if (improved) {
      EXPECT_LT(diff, 1e-5);
      EXPECT_EQ(padded_length(70, c, false), 96);  // compute grows with the real length
    } else {
      EXPECT_GT(diff, 1e-4) << "the reference's padding dependence should show with LN bias 0.3";
      EXPECT_EQ(padded_length(70, c, false), 256);
    }
  }
}

TEST(PointGenerator, PointsSitAtIndexTimesStrideWithTheirRanges) {
  DetectorConfig c;
  c.finalize();
  auto pts = generate_points({8, 4, 2, 1, 1, 1}, c);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[1].sizes(), (std::vector<int64_t>{4, 4}));
  EXPECT_EQ(pts[1][3][0].item<float>(), 6.0f);
  EXPECT_EQ(pts[1][3][1].item<float>(), 2.0f);
  EXPECT_EQ(pts[1][3][2].item<float>(), 8.0f);
  EXPECT_EQ(pts[1][3][3].item<float>(), 2.0f);
  EXPECT_EQ(pts[5][0][2].item<float>(), 10000.0f);
}

TEST(Config, ReadsTheReferenceYaml) {
  const fs::path yaml = fs::path(TEAMOR_SHARED_DIR) / "reference/fixture-v1/reference_config.yaml";
  if (!fs::exists(yaml)) GTEST_SKIP();
  const auto c = load_config(yaml);
  EXPECT_EQ(c.dataset.max_seq_len, 2304);
  EXPECT_EQ(c.opt.warmup_epochs, 6);
  EXPECT_EQ(c.opt.epochs, 8);
  EXPECT_EQ(c.dataset.seg_name, "11 (Time-Out)");
  EXPECT_EQ(c.model.max_div_factor, 32);
  EXPECT_EQ(c.num_devices, 1);
  EXPECT_DOUBLE_EQ(c.test.nms_sigma, 0.4);
  EXPECT_TRUE(c.improvements.reference_compat);
  // JSON round trip.
  const auto back = parse_config(to_json(c));
  EXPECT_EQ(to_json(back), to_json(c));
}

TEST(Config, UnknownKeysAndImpossibleValuesNameTheKey) {
  auto expect_key = [](const std::string& text, const std::string& key) {
    try {
      parse_config(text, {}, "cfg.yaml");
      ADD_FAILURE() << "no ConfigError for " << text;
    } catch (const teamor::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
      EXPECT_EQ(e.file(), "cfg.yaml");
    }
  };
  expect_key("model: {num_binz: 16}", "model.num_binz");
  expect_key("colour: red", "colour");
  expect_key("model: {num_bins: 0}", "model.num_bins");
  expect_key("dataset: {max_seq_len: 1000}", "dataset.max_seq_len");
  expect_key("dataset: {crop_ratio: [1.0, 0.5]}", "dataset.crop_ratio");
  expect_key("test_cfg: {nms_sigma: -1}", "test_cfg.nms_sigma");
  expect_key("model: {regression_range: [[0, 4]]}", "model.regression_range");
  expect_key("opt: {learning_rate: fast}", "opt.learning_rate");
  expect_key("{\"improvements\": {\"reference_compat\": 3}}", "improvements.reference_compat");
  EXPECT_FALSE(parse_config("{\"reference_compat\": false}").improvements.reference_compat);
}
