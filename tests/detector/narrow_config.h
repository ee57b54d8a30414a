#pragma once
// The reference architecture at a narrow width (12 input channels, 16 wide): the same structure, so
// tests of wiring, padding, sparse heads and chunking run in milliseconds.

#include "detector/config.h"

namespace teamor::detector::test_support {

/// @param improved reference_compat off (every improvement on) @param num_bins Trident bins
inline DetectorConfig narrow_config(bool improved, int num_bins = 16) {
  DetectorConfig c;
  c.dataset.input_dim = 12;
  c.dataset.max_seq_len = 256;
  c.model.embd_dim = c.model.head_dim = c.model.fpn_dim = 16;
  c.model.num_bins = num_bins;
  c.improvements.reference_compat = !improved;
  c.finalize();
  return c;
}

}  // namespace teamor::detector::test_support
