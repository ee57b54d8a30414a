#pragma once
// Internal to io/: the libswscale layer of VideoReader. Owns one SwsContext and converts decoded
// frames (any YUV/RGB layout, any size) to packed Gray8/Rgb24/Bgr24 at a requested size in one
// pass, writing straight into the caller's reusable Frame buffer.

#include "io/ffmpeg_handles.h"
#include "io/frame.h"

namespace teamor::io::detail {

/// @brief Output size for a source of @p source_width x @p source_height pixels: both 0 = native,
/// one 0 = that side follows the aspect ratio (at least 1 pixel).
void resolve_output_size(const FrameFormat& format, int source_width, int source_height, int& width,
                         int& height);

class FrameConverter {
 public:
  /// @param threads conversion threads (libswscale slice threading), 0 = one per core, 1 = none
  /// @param smooth  true: SWS_BILINEAR (filters when shrinking); false: SWS_FAST_BILINEAR (2 taps)
  explicit FrameConverter(int threads = 1, bool smooth = false);

  /// @brief Converts @p source into @p out (size and layout from @p format); out.data is reused
  /// when large enough. Sets width, height, stride and pixel_format of @p out; nothing else.
  /// @throws IoError when libswscale cannot convert between the two formats
  void convert(const AVFrame& source, const FrameFormat& format, Frame& out);

 private:
  /// Everything the current context was built for; a change rebuilds it.
  struct Key {
    int source_width = 0, source_height = 0, source_format = -1;
    int width = 0, height = 0, format = -1;
    int colorspace = -1, full_range = -1;
    friend bool operator==(const Key&, const Key&) = default;
  };
  SwsContextPtr context_;
  Key key_;
  int threads_ = 1;
  int flags_ = SWS_FAST_BILINEAR;
  FramePtr destination_ = make_frame();  ///< wraps the caller's buffer for sws_scale_frame
};

}  // namespace teamor::io::detail
