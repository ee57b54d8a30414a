#include "io/multi_view_reader.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "common/error.h"

namespace teamor::io {
namespace {

/// Tolerance on "view time <= t": frame times come from integer ticks, the timeline from doubles.
constexpr double kTimeEpsilon = 1e-6;
/// Moving forward by more than this seeks instead of decoding every frame in between.
constexpr double kSeekAheadSeconds = 2.0;
/// Times a reposition steps further back when the seek lands after the wanted time.
constexpr int kMaxRepositionTries = 3;

/// One view's reader plus a two-frame window: `current` is the last frame at or before the last
/// asked time, `next` the frame after it (already decoded, not yet shown).
struct ViewState {
  View view;
  std::optional<VideoReader> reader;
  std::string error;
  Frame current;
  Frame next;
  bool has_current = false;
  bool has_next = false;
  bool at_end = false;  ///< the reader has no frame after `next`/`current`
  double period_s = 1.0 / 30;
  double ended_at_s = std::numeric_limits<double>::infinity();  ///< no frame shown from here on
  double last_seek_s = 0;  ///< target of the latest seek (a bound on the end when it found nothing)

  void reset_window() { has_current = has_next = at_end = false; }

  /// Pulls frames until `next` is after @p view_time (or the view ends).
  void advance_to(double view_time) {
    for (;;) {
      if (!has_next && !at_end) {
        // Timing only: most frames are stepped over; the one shown is converted in frame_at().
        has_next = reader->read_timing(next);
        at_end = !has_next;
      }
      if (!has_next || next.time_s > view_time + kTimeEpsilon) return;
      std::swap(current, next);
      has_current = true;
      has_next = false;
    }
  }

  /// Seeks so that the window can answer @p view_time, stepping back when a seek lands late.
  void reposition(double view_time) {
    double back = 2 * period_s;
    for (int attempt = 0; attempt < kMaxRepositionTries; ++attempt, back *= 8) {
      const double target = std::max(0.0, view_time - back);
      reader->seek(target);
      last_seek_s = target;
      reset_window();
      has_next = reader->read_timing(next);
      at_end = !has_next;
      // Landed at or before the wanted time, at the start of the file, or at its end: done.
      if (!has_next || next.time_s <= view_time + kTimeEpsilon || target <= 0) return;
    }
  }

  /// The frame shown at @p view_time (last frame with time <= view_time), nullptr when none.
  const Frame* frame_at(double view_time) {
    if (!reader || view_time < -kTimeEpsilon) return nullptr;
    // Known to be past the view's end: answer without touching the decoder again.
    if (view_time >= ended_at_s - kTimeEpsilon) return nullptr;
    const bool backward = has_current && view_time + kTimeEpsilon < current.time_s;
    const double from = has_current ? current.time_s : 0.0;
    if (backward || view_time - from > kSeekAheadSeconds) reposition(view_time);
    advance_to(view_time);
    if (at_end && !has_next) {
      // The last frame is shown for one period; after that the view has ended (or stopped on
      // damage). A seek that found no frame at all bounds the end too.
      ended_at_s = std::min(ended_at_s, has_current ? current.time_s + period_s : last_seek_s);
      if (view_time >= ended_at_s - kTimeEpsilon) return nullptr;
    }
    if (!has_current || current.time_s > view_time + kTimeEpsilon) return nullptr;
    // `current` is one of the last two frames read (current, next), whose pictures the reader
    // still holds.
    const bool converted = reader->convert_pending(current);
    TEAMOR_ASSERT(converted);
    return &current;
  }
};

}  // namespace

struct MultiViewReader::Impl {
  MultiViewOptions options;
  std::vector<ViewState> views;
};

MultiViewReader::MultiViewReader(const Recording& recording, MultiViewOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->views.resize(recording.views.size());
  for (std::size_t i = 0; i < recording.views.size(); ++i) {
    ViewState& state = impl_->views[i];
    state.view = recording.views[i];
    try {
      VideoReaderOptions reader_options;
      reader_options.format = options.format;
      reader_options.threads = options.threads_per_view;
      reader_options.scale_filter = options.scale_filter;
      state.reader.emplace(state.view.path, reader_options);
      const double fps = state.reader->info().nominal_fps;
      state.period_s = fps > 0 ? 1.0 / fps : state.period_s;
    } catch (const Error& e) {
      state.reader.reset();
      state.error = "view '" + state.view.name + "': " + e.what();
    }
  }
}

MultiViewReader::~MultiViewReader() = default;

std::size_t MultiViewReader::view_count() const {
  return impl_->views.size();
}

const View& MultiViewReader::view(std::size_t i) const {
  TEAMOR_ASSERT(i < impl_->views.size());
  return impl_->views[i].view;
}

const std::string& MultiViewReader::view_error(std::size_t i) const {
  TEAMOR_ASSERT(i < impl_->views.size());
  return impl_->views[i].error;
}

const VideoInfo* MultiViewReader::view_info(std::size_t i) const {
  TEAMOR_ASSERT(i < impl_->views.size());
  const auto& reader = impl_->views[i].reader;
  return reader ? &reader->info() : nullptr;
}

double MultiViewReader::duration_s() const {
  double end = 0;
  for (const auto& state : impl_->views)
    if (state.reader) end = std::max(end, state.reader->info().duration_s - state.view.offset_s);
  return end;
}

std::vector<std::optional<Frame>> MultiViewReader::frames_at(double time_s) {
  std::vector<std::optional<Frame>> result(impl_->views.size());
  for (std::size_t i = 0; i < impl_->views.size(); ++i) {
    ViewState& state = impl_->views[i];
    if (const Frame* frame = state.frame_at(time_s + state.view.offset_s)) result[i] = *frame;
  }
  return result;
}

std::vector<std::vector<std::optional<Frame>>> MultiViewReader::clip(std::int64_t g,
                                                                     const ClipSampler& sampler) {
  const ClipGrid& grid = sampler.grid();
  // Each sample takes the last frame at or before t_k + half a nominal frame (ClipSampler's rule),
  // so a view at the grid's rate gives frame k exactly and other rates the frame on screen then.
  const double half_frame = 0.5 / grid.fps;
  std::vector<std::vector<std::optional<Frame>>> result(impl_->views.size());
  for (std::size_t i = 0; i < impl_->views.size(); ++i) {
    ViewState& state = impl_->views[i];
    auto& samples = result[i];
    samples.resize(static_cast<std::size_t>(grid.clip_frames));
    for (int k = 0; k < grid.clip_frames; ++k) {
      const double view_time = sampler.frame_time(g, k) + half_frame + state.view.offset_s;
      if (const Frame* frame = state.frame_at(view_time))
        samples[static_cast<std::size_t>(k)] = *frame;
    }
  }
  return result;
}

}  // namespace teamor::io
