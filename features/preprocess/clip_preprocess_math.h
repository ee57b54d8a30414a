#pragma once
// Per-pixel arithmetic shared by the CPU reference and the CUDA kernel, so both compute the same
// floats in the same order. Built without FMA contraction on both sides (-std=c++20 without GNU
// extensions on the host, -fmad=false for nvcc) so results agree to the last bit.

#include <cstdint>

#include "features/preprocess/clip_preprocess.h"

#if defined(__CUDACC__)
#define TEAMOR_HD __host__ __device__ __forceinline__
#else
#define TEAMOR_HD inline
#endif

namespace teamor::features::preprocess_math {

TEAMOR_HD int clamp_int(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

/// BT.601 limited-range YUV -> RGB24 with integer arithmetic (as swscale's default for SD content),
/// rounded and clamped; writes r, g, b in 0..255.
TEAMOR_HD void yuv_to_rgb(int y, int u, int v, int& r, int& g, int& b) {
  const int c = (y - 16) * 298;
  const int d = u - 128;
  const int e = v - 128;
  r = clamp_int((c + 409 * e + 128) >> 8, 0, 255);
  g = clamp_int((c - 100 * d - 208 * e + 128) >> 8, 0, 255);
  b = clamp_int((c + 516 * d + 128) >> 8, 0, 255);
}

/// RGB of source pixel (x, y) of @p f, as integers 0..255.
TEAMOR_HD void fetch_rgb(const SourceFrame& f, int x, int y, int& r, int& g, int& b) {
  if (f.layout == SourceLayout::Rgb24) {
    const std::uint8_t* p = f.plane[0] + static_cast<long long>(y) * f.stride[0] + 3 * x;
    r = p[0];
    g = p[1];
    b = p[2];
    return;
  }
  const int luma = f.plane[0][static_cast<long long>(y) * f.stride[0] + x];
  const int cx = x >> 1;
  const int cy = y >> 1;
  int u, v;
  if (f.layout == SourceLayout::Nv12) {
    const std::uint8_t* uv = f.plane[1] + static_cast<long long>(cy) * f.stride[1] + 2 * cx;
    u = uv[0];
    v = uv[1];
  } else {
    u = f.plane[1][static_cast<long long>(cy) * f.stride[1] + cx];
    v = f.plane[2][static_cast<long long>(cy) * f.stride[2] + cx];
  }
  yuv_to_rgb(luma, u, v, r, g, b);
}

/// Source coordinate for output index @p dst along an axis (PyTorch's bilinear, align_corners =
/// false): (dst + 0.5) * in / out - 0.5, clamped at 0; i0 = floor, i1 = min(i0 + 1, in - 1).
TEAMOR_HD void source_index(int dst, int in_size, int out_size, int& i0, int& i1, float& lambda1) {
  const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
  float src = scale * (static_cast<float>(dst) + 0.5f) - 0.5f;
  if (src < 0.f) src = 0.f;
  i0 = static_cast<int>(src);
  if (i0 > in_size - 1) i0 = in_size - 1;
  i1 = i0 + ((i0 < in_size - 1) ? 1 : 0);
  lambda1 = src - static_cast<float>(i0);
}

/// Computes the 3 normalised output values of output pixel (ox, oy) from frame @p f.
TEAMOR_HD void output_pixel(const SourceFrame& f, int ox, int oy, const ClipPreprocessParams& p,
                            float rgb_out[3]) {
  int x0, x1, y0, y1;
  float lx, ly;
  source_index(ox, f.width, p.out_width, x0, x1, lx);
  source_index(oy, f.height, p.out_height, y0, y1, ly);
  const float lx0 = 1.f - lx;
  const float ly0 = 1.f - ly;
  int c00[3], c01[3], c10[3], c11[3];
  fetch_rgb(f, x0, y0, c00[0], c00[1], c00[2]);
  fetch_rgb(f, x1, y0, c01[0], c01[1], c01[2]);
  fetch_rgb(f, x0, y1, c10[0], c10[1], c10[2]);
  fetch_rgb(f, x1, y1, c11[0], c11[1], c11[2]);
  for (int c = 0; c < 3; ++c) {
    // Same association as PyTorch's CPU kernel: h0 * (w0 * a + w1 * b) + h1 * (w0 * c + w1 * d),
    // on values already divided by 255.
    const float a = static_cast<float>(c00[c]) / 255.f;
    const float b = static_cast<float>(c01[c]) / 255.f;
    const float cc = static_cast<float>(c10[c]) / 255.f;
    const float d = static_cast<float>(c11[c]) / 255.f;
    const float top = lx0 * a + lx * b;
    const float bottom = lx0 * cc + lx * d;
    const float value = ly0 * top + ly * bottom;
    rgb_out[c] = (value - p.mean[c]) / p.std[c];
  }
}

}  // namespace teamor::features::preprocess_math
