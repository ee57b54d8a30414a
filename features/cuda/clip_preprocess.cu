// One launch for a batch of clips: thread (x, y, frame) computes the three channels of one output
// pixel with the arithmetic of clip_preprocess_math.h (shared with the CPU reference).

#include <cuda_runtime.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "features/cuda/clip_preprocess_cuda.h"
#include "features/preprocess/clip_preprocess_math.h"

namespace teamor::features::cuda {
namespace {

void check_cuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw Error(std::string(what) + " failed: " + cudaGetErrorString(status));
}

__global__ void preprocess_kernel(const SourceFrame* frames, int total_frames,
                                  ClipPreprocessParams params, int frames_per_clip, float* out) {
  const int ox = blockIdx.x * blockDim.x + threadIdx.x;
  const int oy = blockIdx.y * blockDim.y + threadIdx.y;
  const int frame_index = blockIdx.z;
  if (ox >= params.out_width || oy >= params.out_height || frame_index >= total_frames) return;
  const SourceFrame f = frames[frame_index];
  float rgb[3];
  preprocess_math::output_pixel(f, ox, oy, params, rgb);
  const int clip = frame_index / frames_per_clip;
  const int t = frame_index % frames_per_clip;
  const size_t plane = static_cast<size_t>(params.out_height) * params.out_width;
  const size_t pixel = static_cast<size_t>(oy) * params.out_width + ox;
  for (int c = 0; c < 3; ++c) {
    const size_t index = ((static_cast<size_t>(clip) * 3 + c) * frames_per_clip + t) * plane + pixel;
    out[index] = rgb[c];
  }
}

}  // namespace

void preprocess_clips(std::span<const SourceFrame> frames, int clips, int frames_per_clip,
                      const ClipPreprocessParams& params, float* out, void* stream) {
  // Plane pointers are device pointers here: validate sizes and strides only.
  validate_preprocess_input(frames, clips, frames_per_clip, params);
  auto cuda_stream = static_cast<cudaStream_t>(stream);
  SourceFrame* device_frames = nullptr;
  const size_t bytes = frames.size() * sizeof(SourceFrame);
  check_cuda(cudaMallocAsync(reinterpret_cast<void**>(&device_frames), bytes, cuda_stream),
             "cudaMallocAsync");
  check_cuda(cudaMemcpyAsync(device_frames, frames.data(), bytes, cudaMemcpyHostToDevice, cuda_stream),
             "cudaMemcpyAsync");
  const dim3 block(32, 8, 1);
  const dim3 grid((params.out_width + block.x - 1) / block.x, (params.out_height + block.y - 1) / block.y,
                  static_cast<unsigned>(frames.size()));
  preprocess_kernel<<<grid, block, 0, cuda_stream>>>(device_frames, static_cast<int>(frames.size()),
                                                    params, frames_per_clip, out);
  check_cuda(cudaGetLastError(), "pre-processing kernel launch");
  check_cuda(cudaFreeAsync(device_frames, cuda_stream), "cudaFreeAsync");
}

bool device_available() {
  int count = 0;
  return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}

}  // namespace teamor::features::cuda
