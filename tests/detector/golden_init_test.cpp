// Golden values of MAXAVG_SPEC section 7: the reference seed gives the reference's initial weights,
// so the first training step's losses, normaliser and gradient norm, and the eval outputs (with and
// without LayerNorm bias 0.1) must match PyTorch 1.13.1 to ~1e-5 relative.
//
// Padding: the golden values were made with padding to 23040. At initialisation every LayerNorm
// bias is 0, so padded cells stay exactly 0 and padding to 32 * (ceil(L / 32) + 1) gives the same
// numbers (spec 1.7) at a tenth of the cost; with bias 0.1 the spec measured that rule equivalent
// to 23040 as well, and padding only to the next multiple of 32 (2304) is the documented wrong
// variant.
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "detector/config.h"
#include "detector/label_assigner.h"
#include "detector/losses.h"
#include "detector/network.h"
#include "detector/postprocess.h"

using namespace teamor::detector;

namespace {

constexpr std::int64_t kSeed = 1234567891;

/// 0.5 * f(a * c + b * t) computed in float64, cast to float32: [1664, T].
torch::Tensor feature(bool cosine, double a, double b, std::int64_t T) {
  auto c = torch::arange(0, 1664, torch::kFloat64).unsqueeze(1);
  auto t = torch::arange(0, T, torch::kFloat64).unsqueeze(0);
  auto arg = c * a + t * b;
  return (0.5 * (cosine ? torch::cos(arg) : torch::sin(arg))).to(torch::kFloat32);
}
torch::Tensor feature_a() {
  return feature(false, 0.37, 0.011, 2000);
}
torch::Tensor feature_b() {
  return feature(true, 0.23, -0.007, 2301);
}

DetectorConfig reference_config() {
  DetectorConfig c;
  c.finalize();
  return c;
}

/// Pads [C, T_i] sequences with zeros to @p t_pad; mask true on real steps.
std::pair<torch::Tensor, torch::Tensor> pad(const std::vector<torch::Tensor>& seqs, int64_t t_pad) {
  auto x = torch::zeros({static_cast<int64_t>(seqs.size()), 1664, t_pad});
  auto m = torch::zeros({static_cast<int64_t>(seqs.size()), 1, t_pad}, torch::kBool);
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    x[i].slice(1, 0, seqs[i].size(1)).copy_(seqs[i]);
    m[i].slice(1, 0, seqs[i].size(1)).fill_(true);
  }
  return {x, m};
}

int64_t padded_plus_one(int64_t len) {
  return 32 * ((len + 31) / 32 + 1);
}

Network seeded_network(const DetectorConfig& cfg) {
  torch::manual_seed(kSeed);
  return Network(cfg);
}

void set_layer_norm_bias(Network& net, float value) {
  torch::NoGradGuard g;
  int n = 0;
  for (auto& p : net->named_parameters()) {
    const auto& k = p.key();
    if (k.find("norm") != std::string::npos && k.size() > 5 && k.substr(k.size() - 5) == ".bias") {
      p.value().fill_(value);
      ++n;
    }
  }
  ASSERT_EQ(n, 16);
}

#define EXPECT_REL(actual, expected, rel) \
  EXPECT_NEAR((actual), (expected), (rel)*std::fabs(expected) + 1e-6)

double value_at(const torch::Tensor& t, int64_t a, int64_t b, int64_t c) {
  return t[a][b][c].item<double>();
}

}  // namespace

TEST(GoldenInit, FirstTrainingStepLossesNormaliserAndGradientNorm) {
  const auto cfg = reference_config();
  Network net = seeded_network(cfg);
  net->train();
  const auto a = feature_a(), b = feature_b();
  auto [x, mask] = pad({a, b}, padded_plus_one(2301));
  const auto out = net->forward(x, mask);
  std::vector<int64_t> lengths;
  for (const auto& c : out.cls_logits)
    lengths.push_back(c.size(2));
  const auto points = make_points(lengths, cfg.model.regression_range);
  const auto seg_a = torch::tensor({300.25f, 420.75f, 1500.0f, 1560.5f}).reshape({2, 2});
  const auto seg_b = torch::tensor({100.0f, 180.0f}).reshape({1, 2});
  auto ta = assign_labels(points, seg_a, torch::zeros({2}, torch::kInt64), {});
  auto tb = assign_labels(points, seg_b, torch::zeros({1}, torch::kInt64), {});
  LossNormalizer norm(250.0);
  HeadOutputs heads{out.cls_logits, out.reg_offsets, out.start_logits, out.end_logits, out.masks};
  const auto r = compute_losses(heads, torch::stack({ta.cls, tb.cls}),
                                torch::stack({ta.reg, tb.reg}), norm, {});
  EXPECT_EQ(r.num_pos, 13);
  EXPECT_NEAR(r.normalizer, 226.3, 1e-9);
  EXPECT_REL(r.cls_loss.item<double>(), 0.04133021, 1e-5);
  EXPECT_REL(r.reg_loss.item<double>(), 0.04766554, 1e-5);
  EXPECT_REL(r.final_loss.item<double>(), 0.08899575, 1e-5);
  r.final_loss.backward();
  std::vector<torch::Tensor> norms;
  for (const auto& p : net->parameters())
    norms.push_back(p.grad().norm());
  EXPECT_REL(torch::stack(norms).norm().item<double>(), 0.5907189, 1e-5);
}

TEST(GoldenInit, EvalOutputsAndDetectionsOnB) {
  const auto cfg = reference_config();
  Network net = seeded_network(cfg);
  net->eval();
  torch::NoGradGuard g;
  auto [x, mask] = pad({feature_b()}, padded_plus_one(2301));
  const auto out = net->forward(x, mask);
  const auto& n0 = out.neck_features[0];
  EXPECT_REL(value_at(n0, 0, 0, 0), 1.51379, 1e-5);
  EXPECT_REL(value_at(n0, 0, 1, 0), -0.857715, 1e-5);
  EXPECT_REL(value_at(n0, 0, 2, 0), -0.857715, 1e-5);
  const auto& n5 = out.neck_features[5];
  EXPECT_REL(value_at(n5, 0, 0, 71), -0.782775, 1e-5);
  EXPECT_REL(value_at(n5, 0, 1, 71), 0.322746, 1e-5);
  EXPECT_REL(value_at(n5, 0, 2, 71), -0.590796, 1e-5);
  const auto& c0 = out.cls_logits[0];
  EXPECT_REL(value_at(c0, 0, 0, 0), -4.130369, 1e-5);
  EXPECT_REL(value_at(c0, 0, 0, 1), -4.471680, 1e-5);
  EXPECT_REL(value_at(c0, 0, 0, 2), -4.392317, 1e-5);
  EXPECT_REL(value_at(c0, 0, 0, 2300), -4.714535, 1e-5);
  EXPECT_REL(value_at(out.cls_logits[5], 0, 0, 0), -4.110368, 1e-5);
  EXPECT_REL(value_at(out.cls_logits[5], 0, 0, 71), -4.597118, 1e-5);
  const double start[] = {-5.289990, -5.285799, -5.242865};
  const double end[] = {-4.788921, -4.936779, -4.486117};
  for (int t = 0; t < 3; ++t) {
    EXPECT_REL(value_at(out.start_logits[0], 0, 0, t), start[t], 1e-5);
    EXPECT_REL(value_at(out.end_logits[0], 0, 0, t), end[t], 1e-5);
  }
  const auto& r3 = out.reg_offsets[3];
  const double reg_lo[] = {0.619760, 0, 0.460488, 0};
  const double reg_hi[] = {0, 0.982015, 0, 0};
  for (int c = 0; c < 4; ++c) {
    EXPECT_REL(value_at(r3, 0, c, 10), reg_lo[c], 1e-5);
    EXPECT_REL(value_at(r3, 0, 17 + c, 10), reg_hi[c], 1e-5);
  }
  const auto dets = to_seconds(detect_on_grid(out, 0, cfg), cfg, 0.0);
  ASSERT_EQ(dets.size(), 553u);
  double sum = 0, max_score = 0;
  for (const auto& d : dets) {
    sum += d.score;
    max_score = std::max(max_score, d.score);
  }
  EXPECT_REL(sum, 3.892013, 1e-5);
  EXPECT_REL(max_score, 0.019277, 1e-4);
  const double top[3][3] = {{236.7549, 486.8836, 0.019277},
                            {1192.6609, 1442.6628, 0.019234},
                            {2148.563, 2500.6992, 0.019171}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(dets[i].start, top[i][0], 2e-3) << i;
    EXPECT_NEAR(dets[i].end, top[i][1], 2e-3) << i;
    EXPECT_REL(dets[i].score, top[i][2], 1e-4);
  }
}

TEST(GoldenInit, LayerNormBiasPointOneShowsThePaddingEffect) {
  const auto cfg = reference_config();
  Network net = seeded_network(cfg);
  set_layer_norm_bias(net, 0.1f);
  net->eval();
  torch::NoGradGuard g;
  {
    auto [x, mask] = pad({feature_b()}, padded_plus_one(2301));  // equivalent to 23040
    const auto out = net->forward(x, mask);
    const auto& c0 = out.cls_logits[0];
    const double tail[] = {-4.366725, -4.321652, -4.160565, -4.765084};
    for (int i = 0; i < 4; ++i)
      EXPECT_REL(value_at(c0, 0, 0, 2297 + i), tail[i], 1e-5);
    EXPECT_REL(value_at(c0, 0, 0, 0), -4.169033, 1e-5);
    EXPECT_REL(value_at(out.cls_logits[5], 0, 0, 71), -4.681774, 1e-5);
    const auto dets = to_seconds(detect_on_grid(out, 0, cfg), cfg, 0.0);
    EXPECT_EQ(dets.size(), 547u);
    double sum = 0;
    for (const auto& d : dets)
      sum += d.score;
    EXPECT_REL(sum, 3.790710, 1e-5);
  }
  {
    auto [x, mask] = pad({feature_b()}, 2304);  // the wrong, too-short padding
    const auto out = net->forward(x, mask);
    EXPECT_REL(value_at(out.cls_logits[0], 0, 0, 2300), -4.765084, 1e-5);  // level 0 unchanged
    EXPECT_REL(value_at(out.cls_logits[5], 0, 0, 71), -4.669994, 1e-5);
    const auto dets = to_seconds(detect_on_grid(out, 0, cfg), cfg, 0.0);
    double sum = 0;
    for (const auto& d : dets)
      sum += d.score;
    EXPECT_REL(sum, 3.790324, 1e-5);
  }
}
