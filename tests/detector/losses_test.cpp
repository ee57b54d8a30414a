// Losses (spec 3.2) against hand-computed values, and the gradient paths the reference has.
#include "detector/losses.h"

#include <cmath>

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace teamor::detector;

TEST(Losses, FocalLossMatchesHandValues) {
  auto l = sigmoid_focal_loss(torch::zeros({2}), torch::tensor({1.f, 0.f}));
  const double ln2 = std::log(2.0);
  EXPECT_NEAR(l[0].item<double>(), 0.25 * ln2 * 0.25, 1e-7);
  EXPECT_NEAR(l[1].item<double>(), 0.75 * ln2 * 0.25, 1e-7);
  // x = 2, y = 1: p = sigmoid(2), ce = -log p, (1 - p)^2 weight.
  auto l2 = sigmoid_focal_loss(torch::tensor({2.f}), torch::tensor({1.f}));
  const double p = 1 / (1 + std::exp(-2.0));
  EXPECT_NEAR(l2[0].item<double>(), 0.25 * -std::log(p) * (1 - p) * (1 - p), 1e-7);
}

TEST(Losses, IouAndDiouOfOffsets) {
  auto pred = torch::tensor({1.f, 3.f}).reshape({1, 2});
  auto target = torch::tensor({2.f, 2.f}).reshape({1, 2});
  // inter = 1 + 2 = 3, union = 4 + 4 - 3 = 5 -> IoU 0.6; enclosing 2 + 3 = 5, rho = 0.5 * 2 = 1.
  EXPECT_NEAR(offset_iou_loss(pred, target)[0].item<double>(), 0.4, 1e-7);
  EXPECT_NEAR(offset_diou_loss(pred, target)[0].item<double>(), 0.4 + 0.04, 1e-7);
  EXPECT_NEAR(offset_diou_loss(target, target)[0].item<double>(), 0.0, 1e-7);
  // Degenerate: all zero -> union clamped at eps, IoU 0, no NaN.
  auto z = torch::zeros({1, 2});
  EXPECT_NEAR(offset_iou_loss(z, z)[0].item<double>(), 1.0, 1e-7);
}

TEST(Losses, NormalizerIsEmaOfPositiveCountUpdatedBeforeUse) {
  LossNormalizer n(250.0, 0.9);
  EXPECT_DOUBLE_EQ(n.update(13), 0.9 * 250.0 + (1.0 - 0.9) * 13.0);
  EXPECT_NEAR(n.value(), 226.3, 1e-9);  // the golden run's eta after one step (spec 7)
  const double before = n.value();
  EXPECT_DOUBLE_EQ(n.update(0), 0.9 * before + (1.0 - 0.9) * 1.0);  // max(N_pos, 1)
}

namespace {
/// One level, B = 1, C = 1, T = 4, 1 bin (windows of 2), the last cell padded.
HeadOutputs tiny_heads(bool requires_grad) {
  HeadOutputs h;
  auto o = torch::TensorOptions().requires_grad(requires_grad);
  h.cls.push_back(torch::zeros({1, 1, 4}, o));
  h.start.push_back(torch::zeros({1, 1, 4}, o));
  h.end.push_back(torch::zeros({1, 1, 4}, o));
  h.offsets.push_back(torch::zeros({1, 4, 4}, o));
  h.masks.push_back(torch::tensor({true, true, true, false}).reshape({1, 1, 4}));
  return h;
}
}  // namespace

TEST(Losses, BatchLossesByHand) {
  auto h = tiny_heads(false);
  auto gt_cls = torch::zeros({1, 4, 1});
  gt_cls[0][1][0] = 1;
  gt_cls[0][3][0] = 1;  // on a padded cell: must be ignored
  auto gt_reg = torch::full({1, 4, 2}, 0.5f);
  LossNormalizer norm(250.0);
  auto r = compute_losses(h, gt_cls, gt_reg, norm, {.num_bins = 1});
  // Zero logits decode to 0.5 / 0.5 cells (uniform over 2 bins) -> IoU 1, DIoU 0.
  EXPECT_EQ(r.num_pos, 1);
  EXPECT_DOUBLE_EQ(r.normalizer, 0.9 * 250.0 + (1.0 - 0.9) * 1.0);
  const double ln2 = std::log(2.0);
  const double focal = 0.25 * ln2 * 0.25 + 2 * 0.75 * ln2 * 0.25;
  EXPECT_NEAR(r.cls_loss.item<double>(), focal / r.normalizer, 1e-8);
  EXPECT_NEAR(r.reg_loss.item<double>(), 0.0, 1e-8);
  EXPECT_NEAR(r.final_loss.item<double>(), focal / r.normalizer, 1e-8);
}

TEST(Losses, PositiveFocalLossIsWeightedByIouPower) {
  auto h = tiny_heads(false);
  auto gt_cls = torch::zeros({1, 4, 1});
  gt_cls[0][1][0] = 1;
  auto gt_reg = torch::zeros({1, 4, 2});
  gt_reg[0][1][0] = 1.0;  // pred (0.5, 0.5) vs target (1, 0.5): IoU = 1 / 1.5
  gt_reg[0][1][1] = 0.5;
  LossNormalizer norm(1.0, 0.0);  // eta = max(N_pos, 1) = 1
  auto r = compute_losses(h, gt_cls, gt_reg, norm, {.num_bins = 1, .iou_weight_power = 0.25});
  const double ln2 = std::log(2.0);
  const double iou = 1.0 / 1.5;
  const double expected = 0.25 * ln2 * 0.25 * std::pow(iou, 0.25) + 2 * 0.75 * ln2 * 0.25;
  EXPECT_NEAR(r.cls_loss.item<double>(), expected, 1e-7);
  // DIoU: enclosing 1 + 0.5, rho = 0.5 * ((0.5 - 0.5) - (0.5 - 1)) = 0.25.
  const double diou = 1 - iou + std::pow(0.25 / 1.5, 2);
  EXPECT_NEAR(r.reg_loss.item<double>(), diou, 1e-7);
}

TEST(Losses, IouWeightIsNotDetachedSoClassificationTrainsTheBoundaryHeads) {
  auto h = tiny_heads(true);
  // Non-uniform boundary logits so the IoU depends on them.
  {
    torch::NoGradGuard g;
    h.start[0].copy_(torch::tensor({0.3f, -0.2f, 0.1f, 0.f}).reshape({1, 1, 4}));
  }
  auto gt_cls = torch::zeros({1, 4, 1});
  gt_cls[0][1][0] = 1;
  auto gt_reg = torch::zeros({1, 4, 2});
  gt_reg[0][1][0] = 1.0;
  gt_reg[0][1][1] = 0.5;
  LossNormalizer norm(1.0, 0.0);
  auto r = compute_losses(h, gt_cls, gt_reg, norm, {.num_bins = 1});
  r.cls_loss.backward();  // the classification loss alone
  EXPECT_GT(h.start[0].grad().abs().sum().item<double>(), 0.0);
  EXPECT_GT(h.offsets[0].grad().abs().sum().item<double>(), 0.0);
}

TEST(Losses, NoPositivesGivesZeroRegressionLossThatKeepsTheGraph) {
  auto h = tiny_heads(true);
  auto gt_cls = torch::zeros({1, 4, 1});
  auto gt_reg = torch::zeros({1, 4, 2});
  LossNormalizer norm(250.0);
  auto r = compute_losses(h, gt_cls, gt_reg, norm, {.num_bins = 1});
  EXPECT_EQ(r.num_pos, 0);
  EXPECT_EQ(r.reg_loss.item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(r.normalizer, 0.9 * 250.0 + (1.0 - 0.9) * 1.0);
  r.final_loss.backward();
  EXPECT_GT(h.cls[0].grad().abs().sum().item<double>(), 0.0);
}

TEST(Losses, TridentDecodingMatchesExplicitSums) {
  torch::manual_seed(3);
  const int bins = 4, w = bins + 1;
  HeadOutputs h;
  for (int64_t T : {7, 4}) {
    h.cls.push_back(torch::randn({2, 1, T}));
    h.start.push_back(torch::randn({2, 1, T}));
    h.end.push_back(torch::randn({2, 1, T}));
    h.offsets.push_back(torch::randn({2, 2 * w, T}).relu());
    h.masks.push_back(torch::ones({2, 1, T}, torch::kBool));
  }
  auto bi = torch::tensor(std::vector<int64_t>{0, 1, 1, 0});
  auto pi = torch::tensor(std::vector<int64_t>{0, 3, 7 + 1, 7 + 3});  // level 1 rows start at 7
  auto d = decode_trident_offsets(h, bi, pi, bins);
  ASSERT_EQ(d.sizes(), (std::vector<int64_t>{4, 1, 2}));
  for (int k = 0; k < 4; ++k) {
    const int b = bi[k].item<int>();
    int p = pi[k].item<int>();
    const int l = p >= 7 ? 1 : 0;
    const int t = l == 1 ? p - 7 : p;
    const int T = static_cast<int>(h.cls[l].size(2));
    auto S = [&](int i) { return i < 0 || i >= T ? 0.0 : h.start[l][b][0][i].item<double>(); };
    auto E = [&](int i) { return i < 0 || i >= T ? 0.0 : h.end[l][b][0][i].item<double>(); };
    double zl = 0, zr = 0, dl = 0, dr = 0;
    for (int j = 0; j < w; ++j) {
      const double a = std::exp(S(t - bins + j) + h.offsets[l][b][j][t].item<double>());
      const double c = std::exp(E(t + j) + h.offsets[l][b][w + j][t].item<double>());
      zl += a;
      zr += c;
      dl += a * (bins - j);
      dr += c * j;
    }
    EXPECT_NEAR(d[k][0][0].item<double>(), dl / zl, 1e-5) << k;
    EXPECT_NEAR(d[k][0][1].item<double>(), dr / zr, 1e-5) << k;
  }
}
