#pragma once
// CUDA clip pre-processing: the same computation as preprocess_clips_cpu (clip_preprocess.h) for a
// whole batch of clips in one kernel launch, writing straight into a device buffer (for example the
// data_ptr<float>() of a LibTorch CUDA tensor of shape [clips, 3, frames, out_h, out_w]).
// No CUDA or torch types appear here, so callers compile without the CUDA headers.

#include <span>

#include "features/preprocess/clip_preprocess.h"

namespace teamor::features::cuda {

/// @brief Pre-processes clips on the GPU.
/// @param frames clips * frames_per_clip frames whose plane pointers are DEVICE pointers (clip-major)
/// @param out device buffer of preprocess_output_size(clips, frames_per_clip, params) floats
/// @param stream a cudaStream_t (nullptr = default stream); the call is asynchronous on it
/// @throws ConfigError on inconsistent input, Error with CUDA's message when a launch fails
void preprocess_clips(std::span<const SourceFrame> frames, int clips, int frames_per_clip,
                      const ClipPreprocessParams& params, float* out, void* stream);

/// True when a CUDA device is present and usable.
bool device_available();

}  // namespace teamor::features::cuda
