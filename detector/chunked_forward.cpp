#include "detector/chunked_forward.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <torch/torch.h>

#include "common/error.h"
#include "detector/sparse_heads.h"

namespace teamor::detector {
namespace {

/// One chunk: the cells it answers for [begin, end) and the stretch it runs on [lo, hi), in steps.
struct Chunk {
  int64_t begin = 0, end = 0, lo = 0, hi = 0;
};

/// Copies the cells of @p chunk at level @p level from the chunk-local @p part into @p whole.
void copy_level(torch::Tensor& whole, const torch::Tensor& part, const Chunk& chunk, int level) {
  const int64_t b = chunk.begin >> level, e = chunk.end >> level, lo = chunk.lo >> level;
  whole.slice(2, b, e).copy_(part.slice(2, b - lo, e - lo));
}

torch::Tensor zeros_like_level(const torch::Tensor& part, int64_t length) {
  return torch::zeros({part.size(0), part.size(1), length}, part.options());
}

}  // namespace

int64_t receptive_radius_steps(const DetectorConfig& c) {
  const auto& m = c.model;
  const int64_t deepest = int64_t{1} << (c.num_levels() - 1);
  const int64_t head_kernel = std::max(m.head_kernel_size, m.boundary_kernel_size);
  return m.backbone_arch[0] * (m.embd_kernel_size / 2)  // embedding convolutions
         + m.backbone_arch[1]                           // stem pools (kernel 3, stride 1)
         + (deepest - 1)                                // one kernel-3 pool per level
         + m.head_num_layers * (head_kernel / 2) * deepest;
}

NetworkOutput forward_in_chunks(NetworkImpl& net, const torch::Tensor& x, const torch::Tensor& mask,
                                double min_score, bool sparse, int64_t chunk_steps) {
  const auto& c = net.config();
  if (!c.use_adaptive_padding())
    throw ConfigError(
        "chunked inference needs improvements.adaptive_padding (with the reference's "
        "padding the results depend on where a sequence is cut)");
  const int64_t div = c.model.max_div_factor;
  const int64_t length = x.size(2);
  TEAMOR_ASSERT(x.size(0) == 1 && length % div == 0);
  TEAMOR_ASSERT(chunk_steps > 0 && chunk_steps % div == 0);
  TEAMOR_ASSERT(div % (int64_t{1} << (c.num_levels() - 1)) == 0);
  const int64_t margin = (receptive_radius_steps(c) + div - 1) / div * div;
  // A chunk must be at least as long as a Trident window reaches (see finish() below).
  const int64_t half_window = int64_t{c.model.num_bins} << (c.num_levels() - 1);
  chunk_steps = std::max(chunk_steps, (half_window + div - 1) / div * div);
  std::vector<Chunk> chunks;
  for (int64_t begin = 0; begin < length; begin += chunk_steps) {
    const int64_t end = std::min(length, begin + chunk_steps);
    chunks.push_back(
        {begin, end, std::max<int64_t>(0, begin - margin), std::min(length, end + margin)});
  }
  const int levels = c.num_levels();
  auto pyramid_of = [&](const Chunk& k) {
    return net.neck->forward(
        net.backbone->forward(x.slice(2, k.lo, k.hi), mask.slice(2, k.lo, k.hi)));
  };

  torch::NoGradGuard no_grad;
  NetworkOutput out;
  out.cls_logits.resize(levels);
  out.masks.resize(levels);
  out.start_logits.resize(levels);
  out.end_logits.resize(levels);
  out.reg_offsets.resize(levels);
  auto copy = [](torch::Tensor& whole, const torch::Tensor& part, const Chunk& chunk, int l,
                 int64_t cells) {
    if (!whole.defined()) whole = zeros_like_level(part, cells);
    copy_level(whole, part, chunk, l);
  };
  // The start, end and regression heads of one chunk, on the candidate windows that reach into
  // it. Windows reach num_bins cells from their candidate, at most half_window steps, which is
  // no more than a chunk: once the next chunk's class scores are in, every candidate whose window
  // reaches this chunk is known (cells not computed yet have mask 0, so they are no candidates).
  const int64_t join_gap = 2 * head_margin(net);
  auto finish = [&](const Chunk& chunk, const Pyramid& pyramid) {
    for (int l = 0; l < levels; ++l) {
      const int64_t cells = length >> l;
      const int64_t b = chunk.begin >> l, e = chunk.end >> l, lo = chunk.lo >> l;
      std::vector<CellRange> local;
      if (sparse) {
        for (const auto& w :
             head_windows(out.cls_logits[l], out.masks[l], c, min_score, join_gap)) {
          const int64_t from = std::max(w.begin, b), to = std::min(w.end, e);
          if (from < to) local.push_back({from - lo, to - lo});
        }
      } else {
        local.push_back({b - lo, e - lo});  // everything this chunk answers for
      }
      auto [start, end, reg] =
          heads_on_windows(net, pyramid.features[l], pyramid.masks[l], l, local);
      copy(out.start_logits[l], start, chunk, l, cells);
      copy(out.end_logits[l], end, chunk, l, cells);
      copy(out.reg_offsets[l], reg, chunk, l, cells);
    }
  };
  std::optional<Pyramid> previous;
  const Chunk* previous_chunk = nullptr;
  for (const auto& chunk : chunks) {
    Pyramid pyramid = pyramid_of(chunk);
    for (int l = 0; l < levels; ++l) {
      const int64_t cells = length >> l;
      copy(out.masks[l], pyramid.masks[l], chunk, l, cells);
      copy(out.cls_logits[l], net.cls_head->forward_level(pyramid.features[l], pyramid.masks[l], l),
           chunk, l, cells);
    }
    if (previous) finish(*previous_chunk, *previous);
    previous = std::move(pyramid);
    previous_chunk = &chunk;
  }
  finish(*previous_chunk, *previous);
  return out;
}

}  // namespace teamor::detector
