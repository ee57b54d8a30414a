#pragma once
// Clip pre-processing for scene models (VideoMAEv2 contract, FEATURES_SPEC.md A.2): decoded uint8 frames
// (packed RGB24, NV12 or planar YUV 4:2:0) -> float tensor [clips, 3, frames, out_h, out_w] with
//   value = (rgb / 255 resized bilinearly, align_corners = false, no antialiasing - mean) / std.
// YUV sources are first turned into RGB24 exactly as a decoder would deliver them (BT.601 limited
// range, nearest chroma sample, rounded and clamped to 0..255), then resized, so a YUV frame and its
// RGB24 conversion give the same tensor.
//
// This CPU implementation is the reference; features/cuda/clip_preprocess.cu runs the same per-pixel
// code (clip_preprocess_math.h) in one launch for a whole batch and is compared against it.
//
//   std::vector<SourceFrame> frames = ...;          // clips * frames_per_clip, clip-major
//   std::vector<float> out(preprocess_output_size(clips, 16, params));
//   preprocess_clips_cpu(frames, clips, 16, params, out.data());

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace teamor::features {

/// Pixel layout of a source frame. Nv12: Y plane + interleaved UV plane at half size.
/// Yuv420p: Y, U, V planes, chroma at half size. Rgb24: one packed plane.
enum class SourceLayout : int { Rgb24 = 0, Nv12 = 1, Yuv420p = 2 };

/// @brief One decoded frame as plane pointers (host or device memory, as the function requires).
struct SourceFrame {
  SourceLayout layout = SourceLayout::Rgb24;
  int width = 0;   ///< pixels
  int height = 0;  ///< pixels
  const std::uint8_t* plane[3] = {nullptr, nullptr, nullptr};
  int stride[3] = {0, 0, 0};  ///< bytes per row of each plane
};

/// @brief Output size and normalisation. Defaults follow the VideoMAEv2 extraction contract
/// (224 x 224, values in [0, 1], no mean/std).
struct ClipPreprocessParams {
  int out_width = 224;                    ///< pixels
  int out_height = 224;                   ///< pixels
  float mean[3] = {0.f, 0.f, 0.f};  ///< per RGB channel, on the [0, 1] scale (plain arrays: used on the GPU)
  float std[3] = {1.f, 1.f, 1.f};   ///< per RGB channel, > 0
};

/// Number of floats the output of @p clips clips of @p frames_per_clip frames needs.
std::size_t preprocess_output_size(int clips, int frames_per_clip, const ClipPreprocessParams& params);

/// @brief Checks sizes, strides and pointers of every frame and the parameters.
/// @throws ConfigError naming the frame index and what is wrong
void validate_preprocess_input(std::span<const SourceFrame> frames, int clips, int frames_per_clip,
                               const ClipPreprocessParams& params);

/// @brief CPU reference: writes [clips, 3, frames_per_clip, out_height, out_width] floats to @p out.
/// @param frames clips * frames_per_clip frames in host memory, clip-major (clip c, frame t at
///        index c * frames_per_clip + t); frames may differ in size and layout
/// @throws ConfigError on inconsistent input (see validate_preprocess_input)
void preprocess_clips_cpu(std::span<const SourceFrame> frames, int clips, int frames_per_clip,
                          const ClipPreprocessParams& params, float* out);

}  // namespace teamor::features
