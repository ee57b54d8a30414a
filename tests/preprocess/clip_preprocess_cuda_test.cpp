// The CUDA kernel against the CPU reference (built with TEAMOR_WITH_CUDA; skips without a GPU).
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "features/cuda/clip_preprocess_cuda.h"
#include "features/preprocess/clip_preprocess.h"

namespace {

using teamor::features::ClipPreprocessParams;
using teamor::features::SourceFrame;
using teamor::features::SourceLayout;

struct DeviceBuffer {
  void* ptr = nullptr;
  explicit DeviceBuffer(std::size_t bytes) { EXPECT_EQ(cudaMalloc(&ptr, bytes), cudaSuccess); }
  ~DeviceBuffer() { cudaFree(ptr); }
  template <typename T>
  T* as() const { return static_cast<T*>(ptr); }
};

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(0, 255);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(dist(rng));
  return v;
}

}  // namespace

TEST(ClipPreprocessCuda, MatchesCpuReferenceForRgbAndNv12Batches) {
  if (!teamor::features::cuda::device_available()) GTEST_SKIP() << "no CUDA device";
  const int w = 640, h = 360, clips = 3, frames = 4;
  ClipPreprocessParams params;  // 224 x 224, the VideoMAEv2 contract
  std::vector<std::vector<std::uint8_t>> host_planes;
  std::vector<std::unique_ptr<DeviceBuffer>> device_planes;
  std::vector<SourceFrame> host_frames, device_frames;
  for (int i = 0; i < clips * frames; ++i) {
    SourceFrame host;
    host.width = w;
    host.height = h;
    host.layout = (i % 2 == 0) ? SourceLayout::Rgb24 : SourceLayout::Nv12;
    const int planes = host.layout == SourceLayout::Rgb24 ? 1 : 2;
    SourceFrame device = host;
    for (int p = 0; p < planes; ++p) {
      const int stride = host.layout == SourceLayout::Rgb24 ? 3 * w : w;
      const int rows = p == 0 ? h : h / 2;
      host_planes.push_back(random_bytes(static_cast<std::size_t>(stride) * rows, 100 + 3 * i + p));
      device_planes.push_back(std::make_unique<DeviceBuffer>(host_planes.back().size()));
      ASSERT_EQ(cudaMemcpy(device_planes.back()->ptr, host_planes.back().data(),
                           host_planes.back().size(), cudaMemcpyHostToDevice),
                cudaSuccess);
      host.plane[p] = host_planes.back().data();
      device.plane[p] = device_planes.back()->as<std::uint8_t>();
      host.stride[p] = device.stride[p] = stride;
    }
    host_frames.push_back(host);
    device_frames.push_back(device);
  }
  const auto n = teamor::features::preprocess_output_size(clips, frames, params);
  std::vector<float> expected(n), actual(n);
  teamor::features::preprocess_clips_cpu(host_frames, clips, frames, params, expected.data());
  DeviceBuffer out(n * sizeof(float));
  teamor::features::cuda::preprocess_clips(device_frames, clips, frames, params, out.as<float>(),
                                           nullptr);
  ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
  ASSERT_EQ(cudaMemcpy(actual.data(), out.ptr, n * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
  float max_diff = 0;
  for (std::size_t i = 0; i < n; ++i) max_diff = std::max(max_diff, std::abs(expected[i] - actual[i]));
  // Same arithmetic, no FMA contraction on either side: expected bit-identical.
  EXPECT_EQ(max_diff, 0.0f);
  RecordProperty("max_abs_diff", std::to_string(max_diff));
}
