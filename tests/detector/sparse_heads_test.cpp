// Sparse heads (improvements.sparse_heads): the start, end and regression heads run only around
// candidate cells, and the detections that pass the score threshold stay the same.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <vector>

#include "detector/candidate_windows.h"
#include "detector/config.h"
#include "detector/network.h"
#include "detector/postprocess.h"
#include "tests/detector/narrow_config.h"

using namespace teamor::detector;

namespace {

DetectorConfig small_config() {
  return test_support::narrow_config(/*improved=*/true);
}

std::vector<Detection> at_least(std::vector<Detection> d, double min_score) {
  std::erase_if(d, [&](const Detection& x) { return x.score < min_score; });
  return d;
}

}  // namespace

TEST(CandidateWindows, HaloClipsJoinsAndSorts) {
  // Halo 2 around 10 and 3 (unsorted, duplicated), clipped at 0 and at the length 12.
  EXPECT_EQ(candidate_windows({10, 3, 3}, 2, 12, 0), (std::vector<CellRange>{{1, 6}, {8, 12}}));
  // A gap of 2 cells (6, 7) is joined when join_gap >= 2.
  EXPECT_EQ(candidate_windows({10, 3}, 2, 12, 2), (std::vector<CellRange>{{1, 12}}));
  EXPECT_EQ(candidate_windows({0}, 5, 3, 0), (std::vector<CellRange>{{0, 3}}));
  EXPECT_TRUE(candidate_windows({}, 2, 12, 4).empty());
  EXPECT_EQ(covered_cells({{1, 6}, {8, 12}}), 9);
}

TEST(SparseHeads, SameDetectionsAboveTheThresholdWithLessWork) {
  torch::manual_seed(7);
  const auto config = small_config();
  Network net(config);
  net->eval();
  const int64_t length = 900;  // padded to 928 (adaptive): the tail is masked
  auto batch = pad_batch({torch::randn({12, length})}, config, false);
  torch::NoGradGuard no_grad;
  const NetworkOutput full = net->forward(batch.x, batch.mask);
  // A threshold that about 1 % of level-0 cells pass, as with a trained model on a long video.
  // (Masked cells have logit 0, probability 0.5: the mask keeps them out, as in detect_on_grid.)
  auto prob0 = (torch::sigmoid(full.cls_logits[0]) * full.masks[0]).flatten();
  const double min_score = std::get<0>(prob0.sort(0, true))[length / 100].item<double>();
  const NetworkOutput sparse = net->forward_for_detection(batch.x, batch.mask, min_score);

  const auto expected = at_least(detect_on_grid(full, 0, config), min_score);
  const auto got = at_least(detect_on_grid(sparse, 0, config), min_score);
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i].start, expected[i].start, 1e-4) << i;
    EXPECT_NEAR(got[i].end, expected[i].end, 1e-4) << i;
    EXPECT_NEAR(got[i].score, expected[i].score, 1e-6) << i;
    EXPECT_EQ(got[i].label, expected[i].label);
  }
  // Class scores are computed everywhere; the other heads only on a small part of level 0, and
  // where they are computed they equal the full pass.
  EXPECT_TRUE(torch::equal(sparse.cls_logits[0], full.cls_logits[0]));
  auto computed = sparse.start_logits[0].abs().sum(1)[0] > 0;  // [T_0]
  const int64_t cells = computed.sum().item<int64_t>();
  EXPECT_GT(cells, 0);
  EXPECT_LT(cells, length / 3);
  auto idx = computed.nonzero().select(1, 0);
  EXPECT_TRUE(torch::allclose(sparse.start_logits[0].index_select(2, idx),
                              full.start_logits[0].index_select(2, idx), 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(sparse.reg_offsets[0].index_select(2, idx),
                              full.reg_offsets[0].index_select(2, idx), 1e-5, 1e-6));
  for (std::size_t l = 0; l < full.cls_logits.size(); ++l) {
    EXPECT_EQ(sparse.start_logits[l].sizes(), full.start_logits[l].sizes()) << l;
    EXPECT_EQ(sparse.end_logits[l].sizes(), full.end_logits[l].sizes()) << l;
    EXPECT_EQ(sparse.reg_offsets[l].sizes(), full.reg_offsets[l].sizes()) << l;
  }
}

TEST(SparseHeads, NoCandidateGivesNoDetectionAndZeroOutputs) {
  torch::manual_seed(3);
  const auto config = small_config();
  Network net(config);
  net->eval();
  auto batch = pad_batch({torch::randn({12, 300})}, config, false);
  const NetworkOutput sparse = net->forward_for_detection(batch.x, batch.mask, 1.01);
  EXPECT_TRUE(at_least(detect_on_grid(sparse, 0, config), 1.01).empty());
  for (const auto& t : sparse.reg_offsets)
    EXPECT_EQ(t.abs().sum().item<double>(), 0.0);
}

TEST(SparseHeads, SwitchIsOffInReferenceCompatMode) {
  DetectorConfig c;
  EXPECT_TRUE(c.improvements.reference_compat);
  EXPECT_FALSE(c.use_sparse_heads());
  c.improvements.reference_compat = false;
  EXPECT_TRUE(c.use_sparse_heads());
  c.improvements.sparse_heads = false;
  EXPECT_FALSE(c.use_sparse_heads());
  EXPECT_FALSE(
      parse_config(R"({"improvements": {"reference_compat": false, "sparse_heads": false}})")
          .use_sparse_heads());
}
