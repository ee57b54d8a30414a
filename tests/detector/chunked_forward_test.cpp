// Chunked inference (improvements.chunk_steps): every output cell equals the one-pass value, and
// with sparse heads the detections above the threshold are the same.
#include "detector/chunked_forward.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "common/error.h"
#include "detector/postprocess.h"
#include "tests/detector/narrow_config.h"

using namespace teamor::detector;

namespace {

// 4 bins: Trident windows reach 4 cells (128 steps at level 5), so chunks may be that short and a
// few hundred steps give several cuts.
DetectorConfig small_config(bool improved = true) {
  return test_support::narrow_config(improved, /*num_bins=*/4);
}

void expect_same_levels(const std::vector<torch::Tensor>& got,
                        const std::vector<torch::Tensor>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t l = 0; l < got.size(); ++l) {
    ASSERT_EQ(got[l].sizes(), want[l].sizes()) << what << " level " << l;
    EXPECT_TRUE(
        torch::allclose(got[l].to(torch::kFloat32), want[l].to(torch::kFloat32), 1e-4, 1e-5))
        << what << " level " << l << ": largest difference "
        << (got[l].to(torch::kFloat32) - want[l].to(torch::kFloat32)).abs().max().item<float>();
  }
}

}  // namespace

TEST(ChunkedForward, ReceptiveRadiusOfTheReferenceArchitecture) {
  // 2 embedding convs (1 each side) + 2 stem pools + 31 from five stride-2 pools + 3 head convs
  // at the deepest level (32 steps per cell).
  EXPECT_EQ(receptive_radius_steps(small_config()), 2 + 2 + 31 + 3 * 32);
}

TEST(ChunkedForward, ChunksShorterThanATridentWindowAreWidened) {
  torch::manual_seed(13);
  auto config = small_config();
  config.model.num_bins = 16;  // windows reach 16 cells = 512 steps at level 5
  Network net(config);
  net->eval();
  auto batch = pad_batch({torch::randn({12, 1200})}, config, false);
  torch::NoGradGuard no_grad;
  const NetworkOutput full = net->forward(batch.x, batch.mask);
  const NetworkOutput chunked = forward_in_chunks(*net, batch.x, batch.mask, 0, true, 64);
  const auto a = detect_on_grid(full, 0, config), b = detect_on_grid(chunked, 0, config);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i].start, b[i].start, 1e-3) << i;
}

TEST(ChunkedForward, EveryCellEqualsTheOnePassValue) {
  torch::manual_seed(11);
  const auto config = small_config();
  Network net(config);
  net->eval();
  auto batch = pad_batch({torch::randn({12, 700})}, config, false);  // 704 steps, tail masked
  torch::NoGradGuard no_grad;
  const NetworkOutput full = net->forward(batch.x, batch.mask);
  // Chunks of 128 steps, each run with 160 steps of margin: 6 chunks, 5 cuts.
  const NetworkOutput chunked = forward_in_chunks(*net, batch.x, batch.mask, 0, false, 128);
  expect_same_levels(chunked.masks, full.masks, "masks");
  expect_same_levels(chunked.cls_logits, full.cls_logits, "cls");
  expect_same_levels(chunked.start_logits, full.start_logits, "start");
  expect_same_levels(chunked.end_logits, full.end_logits, "end");
  expect_same_levels(chunked.reg_offsets, full.reg_offsets, "reg");
}

TEST(ChunkedForward, SparseHeadsGiveTheSameDetectionsAcrossCuts) {
  torch::manual_seed(12);
  const auto config = small_config();
  Network net(config);
  net->eval();
  auto batch = pad_batch({torch::randn({12, 1000})}, config, false);
  torch::NoGradGuard no_grad;
  const NetworkOutput full = net->forward(batch.x, batch.mask);
  // About 5 % of level-0 cells are candidates: their windows cross the chunk borders.
  auto prob0 = (torch::sigmoid(full.cls_logits[0]) * full.masks[0]).flatten();
  const double min_score = std::get<0>(prob0.sort(0, true))[50].item<double>();
  const NetworkOutput chunked = forward_in_chunks(*net, batch.x, batch.mask, min_score, true, 96);
  auto keep = [&](std::vector<Detection> d) {
    std::erase_if(d, [&](const Detection& x) { return x.score < min_score; });
    return d;
  };
  const auto want = keep(detect_on_grid(full, 0, config));
  const auto got = keep(detect_on_grid(chunked, 0, config));
  ASSERT_GT(want.size(), 5u);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i].start, want[i].start, 1e-3) << i;
    EXPECT_NEAR(got[i].end, want[i].end, 1e-3) << i;
    EXPECT_NEAR(got[i].score, want[i].score, 1e-5) << i;
  }
}

TEST(ChunkedForward, RefusesTheReferencePadding) {
  const auto config = small_config(/*improved=*/false);
  Network net(config);
  auto batch = pad_batch({torch::randn({12, 100})}, config, false);
  EXPECT_THROW(forward_in_chunks(*net, batch.x, batch.mask, 0, false, 64), teamor::ConfigError);
  EXPECT_EQ(config.inference_chunk_steps(), 0);
  EXPECT_EQ(small_config().inference_chunk_steps(), 2048);
}
