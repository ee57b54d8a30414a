// Decoding, Soft-NMS and seconds conversion (spec 2.6 and 4).
#include "detector/postprocess.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

using namespace teamor::detector;

TEST(Trident, ZeroLogitsGiveTheMeanDistanceAndAPeakPicksItsBin) {
  auto s = torch::zeros({1, 1, 40}), e = torch::zeros({1, 1, 40}), r = torch::zeros({1, 34, 40});
  auto d = decode_trident(s, e, r, 16);  // [1, 40, 1, 2]
  EXPECT_EQ(d.sizes(), (std::vector<int64_t>{1, 40, 1, 2}));
  EXPECT_NEAR(d[0][20][0][0].item<float>(), 8.0f, 1e-5);
  EXPECT_NEAR(d[0][20][0][1].item<float>(), 8.0f, 1e-5);
  // A strong start logit 5 cells left of t=20 -> left channel j = 11 (distance 16 - 11 = 5).
  s[0][0][15] = 50.0f;
  // A strong right-bin logit at channel 17 + 3 -> right distance 3.
  r[0][20][20] = 50.0f;
  d = decode_trident(s, e, r, 16);
  EXPECT_NEAR(d[0][20][0][0].item<float>(), 5.0f, 1e-4);
  EXPECT_NEAR(d[0][20][0][1].item<float>(), 3.0f, 1e-4);
}

TEST(Trident, DecodingChosenCellsEqualsDecodingAllThenIndexing) {
  torch::manual_seed(5);
  const int64_t classes = 2, cells = 50, bins = 16;
  auto s = torch::randn({1, classes, cells}) * 3, e = torch::randn({1, classes, cells}) * 3;
  auto r = torch::randn({1, 2 * (bins + 1), cells}) * 3;
  auto all = decode_trident(s, e, r, bins)[0];  // [T, C, 2]
  // Cells at both ends (windows reaching outside the level) and in the middle, both classes.
  auto points = torch::tensor({0, 3, 25, 49, 49, 16}, torch::kInt64);
  auto cls = torch::tensor({0, 1, 1, 0, 1, 0}, torch::kInt64);
  auto some = decode_trident_at(s[0], e[0], r[0], bins, points, cls);
  ASSERT_EQ(some.sizes(), (std::vector<int64_t>{6, 2}));
  EXPECT_TRUE(torch::allclose(some, all.index({points, cls}), 1e-6, 1e-6));
}

TEST(SoftNms, DecaysOverlapsWithGaussianOfIouOverSigma) {
  std::vector<Detection> in{{0, 10, 0.9, 0}, {5, 15, 0.8, 0}, {100, 110, 0.5, 0}};
  auto out = soft_nms(in, 0.4, 0.001, 2000);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_FLOAT_EQ(static_cast<float>(out[0].score), 0.9f);
  // IoU = 5 / (10 + 1e-6 + 10 + 1e-6 - 5) = 1/3 -> 0.8 * exp(-(1/9)/0.4)
  EXPECT_NEAR(out[1].score, 0.8 * std::exp(-(1.0 / 9.0) / 0.4), 1e-6);
  EXPECT_EQ(out[1].start, 5);
  EXPECT_FLOAT_EQ(static_cast<float>(out[2].score), 0.5f);
}

TEST(SoftNms, DropsScoresBelowMinScoreAndCaps) {
  std::vector<Detection> in{
      {0, 10, 0.9, 0}, {0, 10, 0.0015, 0}, {20, 30, 0.5, 0}, {40, 50, 0.4, 0}};
  auto out = soft_nms(in, 0.4, 0.001, 2);
  ASSERT_EQ(out.size(), 2u);  // identical box decayed to 0.0015 * e^-2.5 < 0.001, cap 2
  EXPECT_FLOAT_EQ(static_cast<float>(out[1].score), 0.5f);
}

TEST(ToSeconds, UsesTheClipCentreConventionAndClipsOnlyWhenAsked) {
  DetectorConfig c;
  c.finalize();
  std::vector<Detection> d{{-1, 10, 0.5, 0}, {700, 800, 0.4, 0}};
  auto ref = to_seconds(d, c, 100.0);
  EXPECT_EQ(ref[0].start, 0.0);  // (−32 + 16)/30 < 0 -> 0
  EXPECT_NEAR(ref[0].end, (10 * 32 + 16) / 30.0, 1e-4);
  EXPECT_NEAR(ref[1].end, (800 * 32 + 16) / 30.0, 1e-3);  // reference: no upper clamp
  c.improvements.reference_compat = false;
  auto clipped = to_seconds(d, c, 100.0);
  ASSERT_EQ(clipped.size(), 1u);  // the second lies wholly past the end
  EXPECT_LE(clipped[0].end, 100.0);
}
