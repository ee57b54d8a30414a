#include "features/preprocess/clip_preprocess.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <random>
#include <vector>

#include "common/error.h"
#include "features/preprocess/clip_preprocess_math.h"

namespace {

using teamor::features::ClipPreprocessParams;
using teamor::features::SourceFrame;
using teamor::features::SourceLayout;

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(0, 255);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(dist(rng));
  return v;
}

SourceFrame rgb_frame(const std::vector<std::uint8_t>& pixels, int w, int h, int stride) {
  SourceFrame f;
  f.layout = SourceLayout::Rgb24;
  f.width = w;
  f.height = h;
  f.plane[0] = pixels.data();
  f.stride[0] = stride;
  return f;
}

}  // namespace

// The contract of FEATURES_SPEC.md A.2: uint8 RGB -> /255 -> F.interpolate bilinear,
// align_corners=false, no antialiasing. LibTorch's interpolate is the reference here.
TEST(ClipPreprocess, MatchesTorchInterpolateOnRgb) {
  const int w = 97, h = 61, clips = 2, frames = 3;
  ClipPreprocessParams params;
  params.out_width = 40;
  params.out_height = 33;
  std::vector<std::vector<std::uint8_t>> storage;
  std::vector<SourceFrame> source;
  for (int i = 0; i < clips * frames; ++i) {
    storage.push_back(random_bytes(static_cast<std::size_t>(h) * w * 3, 7 + i));
    source.push_back(rgb_frame(storage.back(), w, h, w * 3));
  }
  std::vector<float> out(teamor::features::preprocess_output_size(clips, frames, params));
  teamor::features::preprocess_clips_cpu(source, clips, frames, params, out.data());

  for (int c = 0; c < clips; ++c) {
    for (int t = 0; t < frames; ++t) {
      auto& bytes = storage[c * frames + t];
      auto image = torch::from_blob(bytes.data(), {h, w, 3}, torch::kUInt8)
                       .permute({2, 0, 1})
                       .to(torch::kFloat32)
                       .div(255.0)
                       .unsqueeze(0);
      auto resized = torch::nn::functional::interpolate(
          image, torch::nn::functional::InterpolateFuncOptions()
                     .size(std::vector<int64_t>{params.out_height, params.out_width})
                     .mode(torch::kBilinear)
                     .align_corners(false));
      auto ours = torch::from_blob(out.data(), {clips, 3, frames, params.out_height, params.out_width})
                      .select(0, c)
                      .select(1, t);
      const float max_diff = (ours - resized.squeeze(0)).abs().max().item<float>();
      // ATen's kernel rounds differently (it differs from an exact double computation by 1.7e-6);
      // 1e-5 is 1/400 of a grey level, while align_corners or antialiasing mistakes give > 1e-2.
      EXPECT_LT(max_diff, 1e-5f) << "clip " << c << " frame " << t;
    }
  }
}

TEST(ClipPreprocess, Nv12AndYuv420pEqualTheirRgbConversion) {
  const int w = 64, h = 48;
  auto y = random_bytes(static_cast<std::size_t>(w) * h, 1);
  auto u = random_bytes(static_cast<std::size_t>(w / 2) * (h / 2), 2);
  auto v = random_bytes(static_cast<std::size_t>(w / 2) * (h / 2), 3);
  std::vector<std::uint8_t> uv(static_cast<std::size_t>(w) * (h / 2));
  for (std::size_t i = 0; i < u.size(); ++i) {
    uv[2 * i] = u[i];
    uv[2 * i + 1] = v[i];
  }
  // Expected RGB24 image built pixel by pixel from the documented BT.601 formula.
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * h * 3);
  for (int yy = 0; yy < h; ++yy)
    for (int xx = 0; xx < w; ++xx) {
      const int Y = y[yy * w + xx], U = u[(yy / 2) * (w / 2) + xx / 2], V = v[(yy / 2) * (w / 2) + xx / 2];
      auto clamp = [](double x) { return static_cast<std::uint8_t>(std::min(255.0, std::max(0.0, x))); };
      const double c = 1.164383 * (Y - 16);
      const std::size_t p = (static_cast<std::size_t>(yy) * w + xx) * 3;
      rgb[p] = clamp(std::floor(c + 1.596027 * (V - 128) + 0.5));
      rgb[p + 1] = clamp(std::floor(c - 0.391762 * (U - 128) - 0.812968 * (V - 128) + 0.5));
      rgb[p + 2] = clamp(std::floor(c + 2.017232 * (U - 128) + 0.5));
    }
  SourceFrame nv12;
  nv12.layout = SourceLayout::Nv12;
  nv12.width = w;
  nv12.height = h;
  nv12.plane[0] = y.data();
  nv12.stride[0] = w;
  nv12.plane[1] = uv.data();
  nv12.stride[1] = w;
  SourceFrame yuv = nv12;
  yuv.layout = SourceLayout::Yuv420p;
  yuv.plane[1] = u.data();
  yuv.stride[1] = w / 2;
  yuv.plane[2] = v.data();
  yuv.stride[2] = w / 2;
  const SourceFrame packed = rgb_frame(rgb, w, h, w * 3);

  ClipPreprocessParams params;
  params.out_width = 50;
  params.out_height = 30;
  const float mean[3] = {0.485f, 0.456f, 0.406f};
  const float std_dev[3] = {0.229f, 0.224f, 0.225f};
  std::copy(mean, mean + 3, params.mean);
  std::copy(std_dev, std_dev + 3, params.std);
  const auto n = teamor::features::preprocess_output_size(1, 1, params);
  std::vector<float> from_nv12(n), from_yuv(n), from_rgb(n);
  teamor::features::preprocess_clips_cpu(std::span(&nv12, 1), 1, 1, params, from_nv12.data());
  teamor::features::preprocess_clips_cpu(std::span(&yuv, 1), 1, 1, params, from_yuv.data());
  // The integer conversion may differ from the floating-point formula by one level on a few pixels.
  teamor::features::preprocess_clips_cpu(std::span(&packed, 1), 1, 1, params, from_rgb.data());
  float max_diff = 0;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(from_nv12[i], from_yuv[i]);
    max_diff = std::max(max_diff, std::abs(from_nv12[i] - from_rgb[i]));
  }
  EXPECT_LE(max_diff, 1.01f / 255.f / 0.224f);
}

TEST(ClipPreprocess, MeanAndStdAreApplied) {
  std::vector<std::uint8_t> gray(4 * 4 * 3, 51);  // 0.2 everywhere
  const auto f = rgb_frame(gray, 4, 4, 12);
  ClipPreprocessParams params;
  params.out_width = 2;
  params.out_height = 2;
  const float mean[3] = {0.1f, 0.2f, 0.3f};
  const float std_dev[3] = {0.5f, 1.0f, 2.0f};
  std::copy(mean, mean + 3, params.mean);
  std::copy(std_dev, std_dev + 3, params.std);
  std::vector<float> out(teamor::features::preprocess_output_size(1, 1, params));
  teamor::features::preprocess_clips_cpu(std::span(&f, 1), 1, 1, params, out.data());
  EXPECT_NEAR(out[0], (0.2f - 0.1f) / 0.5f, 1e-6);
  EXPECT_NEAR(out[4], 0.0f, 1e-6);
  EXPECT_NEAR(out[8], (0.2f - 0.3f) / 2.0f, 1e-6);
}

TEST(ClipPreprocess, RejectsInconsistentInput) {
  std::vector<std::uint8_t> px(10 * 10 * 3);
  auto f = rgb_frame(px, 10, 10, 20);  // stride below 3 * width
  ClipPreprocessParams params;
  std::vector<float> out(teamor::features::preprocess_output_size(1, 1, params));
  EXPECT_THROW(teamor::features::preprocess_clips_cpu(std::span(&f, 1), 1, 1, params, out.data()),
               teamor::ConfigError);
  f.stride[0] = 30;
  EXPECT_THROW(teamor::features::preprocess_clips_cpu(std::span(&f, 1), 2, 1, params, out.data()),
               teamor::ConfigError);  // 1 frame for 2 clips
  params.std[1] = 0;
  EXPECT_THROW(teamor::features::preprocess_clips_cpu(std::span(&f, 1), 1, 1, params, out.data()),
               teamor::ConfigError);
}
