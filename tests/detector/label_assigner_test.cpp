// Label assignment (spec 3.1) against hand-computed targets.
#include "detector/label_assigner.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace teamor::detector;

namespace {
torch::Tensor segs(std::initializer_list<float> v) {
  std::vector<float> d(v);
  return torch::tensor(d).reshape({-1, 2});
}
std::vector<int> positives(const LabelTargets& t) {
  std::vector<int> idx;
  auto any = t.cls.sum(1);
  for (int i = 0; i < any.size(0); ++i)
    if (any[i].item<float>() > 0) idx.push_back(i);
  return idx;
}
}  // namespace

TEST(LabelAssigner, PointsFollowLevelStridesAndRanges) {
  auto p = make_points({4, 2}, {{0, 4}, {2, 8}});
  ASSERT_EQ(p.size(0), 6);
  EXPECT_FLOAT_EQ(p[3][0].item<float>(), 3.f);
  EXPECT_FLOAT_EQ(p[5][0].item<float>(), 2.f);  // level 1, i = 1 -> t = 2
  EXPECT_FLOAT_EQ(p[5][1].item<float>(), 2.f);
  EXPECT_FLOAT_EQ(p[5][2].item<float>(), 8.f);
  EXPECT_FLOAT_EQ(p[5][3].item<float>(), 2.f);
}

TEST(LabelAssigner, CentreSamplingGivesThreeCellsPerLevelAndTargetsInCells) {
  // Truth [3, 7] (centre 5, half-lengths up to 3). Level 0 (stride 1): centre region (3.5, 6.5)
  // -> t = 4, 5, 6. Level 1 (stride 2): region (max(2, 3), min(8, 7)) = (3, 7) -> t = 4, 6.
  auto p = make_points({16, 8}, {{0, 4}, {2, 8}});
  auto t = assign_labels(p, segs({3, 7}), torch::zeros({1}, torch::kInt64), {});
  EXPECT_EQ(positives(t), (std::vector<int>{4, 5, 6, 16 + 2, 16 + 3}));
  EXPECT_FLOAT_EQ(t.reg[4][0].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(t.reg[4][1].item<float>(), 3.f);
  EXPECT_FLOAT_EQ(t.reg[18][0].item<float>(), 0.5f);  // (4 - 3) / 2
  EXPECT_FLOAT_EQ(t.reg[18][1].item<float>(), 1.5f);  // (7 - 4) / 2
  EXPECT_FLOAT_EQ(t.reg[19][0].item<float>(), 1.5f);
  EXPECT_FLOAT_EQ(t.reg[19][1].item<float>(), 0.5f);
}

TEST(LabelAssigner, CentreTestIsStrictAndRangeIsInclusive) {
  auto p = make_points({16}, {{0, 4}});
  // [4, 6]: t = 4 and 6 sit exactly on the truth's ends -> not inside (strict).
  auto t1 = assign_labels(p, segs({4, 6}), torch::zeros({1}, torch::kInt64), {});
  EXPECT_EQ(positives(t1), (std::vector<int>{5}));
  // [0, 8]: t = 4 has max(left, right) = 4 = range end -> positive (inclusive); t = 3, 5 reach 5.
  auto t2 = assign_labels(p, segs({0, 8}), torch::zeros({1}, torch::kInt64), {});
  EXPECT_EQ(positives(t2), (std::vector<int>{4}));
}

TEST(LabelAssigner, ShortestTruthWinsAndClassesAreOneHot) {
  auto p = make_points({16}, {{0, 100}});
  auto labels = torch::tensor(std::vector<int64_t>{0, 1});
  auto t = assign_labels(p, segs({0, 10, 4, 6}), labels, {.num_classes = 2});
  EXPECT_FLOAT_EQ(t.cls[5][0].item<float>(), 0.f);
  EXPECT_FLOAT_EQ(t.cls[5][1].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(t.reg[5][0].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(t.reg[5][1].item<float>(), 1.f);
  // t = 4 is inside only the long truth (centre region (3.5, 6.5)).
  EXPECT_FLOAT_EQ(t.cls[4][0].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(t.cls[4][1].item<float>(), 0.f);
  EXPECT_FLOAT_EQ(t.reg[4][0].item<float>(), 4.f);
  EXPECT_FLOAT_EQ(t.reg[4][1].item<float>(), 6.f);
}

TEST(LabelAssigner, EqualLengthTruthsOfTwoClassesBothCount) {
  auto p = make_points({16}, {{0, 100}});
  auto labels = torch::tensor(std::vector<int64_t>{0, 1});
  auto t = assign_labels(p, segs({3, 7, 3, 7}), labels, {.num_classes = 2});
  EXPECT_FLOAT_EQ(t.cls[5][0].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(t.cls[5][1].item<float>(), 1.f);
}

TEST(LabelAssigner, NoTruthGivesAllZeroTargets) {
  auto p = make_points({8, 4}, {{0, 4}, {2, 8}});
  auto t = assign_labels(p, torch::Tensor(), torch::Tensor(), {});
  EXPECT_EQ(t.cls.size(0), 12);
  EXPECT_EQ(t.cls.sum().item<float>(), 0.f);
  EXPECT_EQ(t.reg.abs().sum().item<float>(), 0.f);
  auto t0 = assign_labels(p, torch::zeros({0, 2}), torch::zeros({0}, torch::kInt64), {});
  EXPECT_EQ(t0.cls.sum().item<float>(), 0.f);
}

TEST(LabelAssigner, WithoutCentreSamplingEveryInsidePointInRangeIsPositive) {
  auto p = make_points({16}, {{0, 100}});
  auto t =
      assign_labels(p, segs({3, 7}), torch::zeros({1}, torch::kInt64), {.center_sample = false});
  EXPECT_EQ(positives(t), (std::vector<int>{4, 5, 6}));
  auto t2 =
      assign_labels(p, segs({2.5, 9}), torch::zeros({1}, torch::kInt64), {.center_sample = false});
  EXPECT_EQ(positives(t2), (std::vector<int>{3, 4, 5, 6, 7, 8}));
}
