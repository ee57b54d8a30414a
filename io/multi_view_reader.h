#pragma once
// MultiViewReader: the frames of every view of a recording at one timeline time, offsets applied.
//
//   teamor::io::MultiViewReader views(recording, {.format = {320, 180, PixelFormat::Rgb24}});
//   auto frames = views.frames_at(125.0);          // one optional frame per view
//   auto clip = views.clip(42, sampler);           // clip 42: [view][k] optional frames
//
// A view that ends early, starts late (offset) or cannot be opened yields std::nullopt for that span;
// the other views are unaffected. Reads are sequential-friendly: moving forward decodes forward,
// moving backward or far ahead seeks.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/clip_sampler.h"
#include "io/frame.h"
#include "io/recording.h"
#include "io/video_reader.h"

namespace teamor::io {

struct MultiViewOptions {
  FrameFormat format;     ///< delivered size/layout for every view
  int threads_per_view = 1;
  ScaleFilter scale_filter = ScaleFilter::Fast;  ///< resize filter for every view
};

class MultiViewReader {
 public:
  /// Opens every view; a view that cannot be opened is kept with its error (view_error()).
  explicit MultiViewReader(const Recording& recording, MultiViewOptions options = {});
  ~MultiViewReader();

  std::size_t view_count() const;
  const View& view(std::size_t i) const;
  /// Empty when view @p i opened; else why it could not be opened.
  const std::string& view_error(std::size_t i) const;
  /// Info of view @p i (nullptr when it failed to open).
  const VideoInfo* view_info(std::size_t i) const;
  /// Timeline duration: the longest view's end on the timeline.
  double duration_s() const;

  /// Frame of each view shown at timeline time @p time_s (the last frame with view time <= t),
  /// nullopt where the view has no frame there.
  std::vector<std::optional<Frame>> frames_at(double time_s);

  /// Frames of clip @p g for every view: result[view][k], k < grid.clip_frames.
  std::vector<std::vector<std::optional<Frame>>> clip(std::int64_t g, const ClipSampler& sampler);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teamor::io
