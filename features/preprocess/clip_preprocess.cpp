#include "features/preprocess/clip_preprocess.h"

#include <string>

#include "common/error.h"
#include "features/preprocess/clip_preprocess_math.h"

namespace teamor::features {

std::size_t preprocess_output_size(int clips, int frames_per_clip, const ClipPreprocessParams& params) {
  return static_cast<std::size_t>(clips) * 3 * frames_per_clip * params.out_height * params.out_width;
}

void validate_preprocess_input(std::span<const SourceFrame> frames, int clips, int frames_per_clip,
                               const ClipPreprocessParams& params) {
  if (clips < 1 || frames_per_clip < 1)
    throw ConfigError("pre-processing needs at least one clip of one frame, got " +
                      std::to_string(clips) + " clips of " + std::to_string(frames_per_clip));
  if (params.out_width < 1 || params.out_height < 1)
    throw ConfigError("pre-processing output size must be positive, got " +
                      std::to_string(params.out_width) + "x" + std::to_string(params.out_height));
  for (int c = 0; c < 3; ++c)
    if (!(params.std[c] > 0.f))
      throw ConfigError("pre-processing std of channel " + std::to_string(c) + " must be > 0");
  const auto expected = static_cast<std::size_t>(clips) * frames_per_clip;
  if (frames.size() != expected)
    throw ConfigError("pre-processing got " + std::to_string(frames.size()) + " frames, expected " +
                      std::to_string(expected) + " (clips x frames per clip)");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto& f = frames[i];
    const std::string where = "frame " + std::to_string(i);
    if (f.width < 1 || f.height < 1)
      throw ConfigError("frame has no pixels (" + std::to_string(f.width) + "x" +
                            std::to_string(f.height) + ")",
                        {}, where);
    const int planes = f.layout == SourceLayout::Rgb24 ? 1 : (f.layout == SourceLayout::Nv12 ? 2 : 3);
    for (int p = 0; p < planes; ++p) {
      const int min_stride = p == 0 ? (f.layout == SourceLayout::Rgb24 ? 3 * f.width : f.width)
                                    : (f.layout == SourceLayout::Nv12 ? 2 * ((f.width + 1) / 2)
                                                                      : (f.width + 1) / 2);
      if (f.plane[p] == nullptr || f.stride[p] < min_stride)
        throw ConfigError("plane " + std::to_string(p) + " is missing or its stride " +
                              std::to_string(f.stride[p]) + " is below " + std::to_string(min_stride),
                          {}, where);
    }
  }
}

void preprocess_clips_cpu(std::span<const SourceFrame> frames, int clips, int frames_per_clip,
                          const ClipPreprocessParams& params, float* out) {
  validate_preprocess_input(frames, clips, frames_per_clip, params);
  const std::size_t plane = static_cast<std::size_t>(params.out_height) * params.out_width;
  for (int clip = 0; clip < clips; ++clip) {
    for (int t = 0; t < frames_per_clip; ++t) {
      const SourceFrame& f = frames[static_cast<std::size_t>(clip) * frames_per_clip + t];
      for (int oy = 0; oy < params.out_height; ++oy) {
        for (int ox = 0; ox < params.out_width; ++ox) {
          float rgb[3];
          preprocess_math::output_pixel(f, ox, oy, params, rgb);
          const std::size_t pixel = static_cast<std::size_t>(oy) * params.out_width + ox;
          for (int c = 0; c < 3; ++c) {
            // [clip, channel, frame, y, x]
            const std::size_t index =
                ((static_cast<std::size_t>(clip) * 3 + c) * frames_per_clip + t) * plane + pixel;
            out[index] = rgb[c];
          }
        }
      }
    }
  }
}

}  // namespace teamor::features
