#include "io/video_reader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "common/error.h"
#include "io/decoder.h"
#include "io/demuxer.h"
#include "io/ffmpeg_handles.h"
#include "io/frame_converter.h"

namespace teamor::io {
namespace {

using detail::Decoder;
using detail::Demuxer;
using detail::PacketIndex;
using detail::ReadStatus;

/// Packets sent without the decoder giving back any frame before reading is taken as stuck. Far
/// above any codec's reorder/threading delay (tens of packets), so it only trips on broken data.
constexpr int kMaxPacketsWithoutFrame = 4096;
/// Forward seeks closer than this are decoded through instead of seeking (cheaper than going back
/// to the previous key frame, and what sequential clip sampling does all the time).
constexpr double kDecodeThroughSeconds = 1.0;
/// Re-seeks, each further back, when a seek lands after the wanted frame (open GOPs, sparse or
/// dts-based container indexes); then decoding starts over from the beginning.
constexpr int kMaxSeekRetries = 3;

/// FFmpeg logs every concealed macroblock at error level; damage is reported through stop_reason()
/// instead. Only the default level is changed, so a program that set its own level keeps it.
void quiet_ffmpeg_logging() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (av_log_get_level() == AV_LOG_INFO) av_log_set_level(AV_LOG_FATAL);
  });
}

double to_double(AVRational r) {
  return r.num > 0 && r.den > 0 ? av_q2d(r) : 0.0;
}

std::string seconds_text(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f s", s);
  return buffer;
}

}  // namespace

struct VideoReader::Impl {
  VideoReaderOptions options;
  VideoInfo info;
  Demuxer demuxer;
  Decoder decoder;
  detail::FrameConverter converter;
  detail::FramePtr frame = detail::make_frame();
  detail::PacketPtr packet = detail::make_packet();
  // Pictures of the last two frames read by read_timing(), by pts, for convert_pending().
  std::array<detail::FramePtr, 2> held = {detail::make_frame(), detail::make_frame()};
  std::array<std::int64_t, 2> held_pts = {AV_NOPTS_VALUE, AV_NOPTS_VALUE};
  std::size_t next_held = 0;

  AVRational time_base{1, 1};
  double time_base_s = 1;            // seconds per pts tick
  std::int64_t start_pts = 0;        // removed from every time
  std::int64_t period_pts = 1;       // one nominal frame in pts ticks
  double declared_end_s = -1;        // the container's stream end (after start), < 0 unknown
  std::optional<PacketIndex> index;  // every packet's pts, when scanned

  // Decoding state.
  bool draining = false;  // null packet sent, only buffered frames remain
  bool finished = false;  // read() returns false until the next seek
  bool stopped_early = false;
  std::string stop_reason;
  int consecutive_errors = 0;
  int packets_without_frame = 0;
  bool counting_from_start = true;  // frame indices by counting (no seek or skip yet)
  std::int64_t decoded_count = 0;   // frames out of the decoder since the start
  std::int64_t last_decoded_pts = AV_NOPTS_VALUE;
  std::int64_t last_delivered_pts = AV_NOPTS_VALUE;
  std::int64_t last_packet_pts = AV_NOPTS_VALUE;  // latest packet time read (truncation check)
  // Pending seek: frames before discard_below_pts are dropped; the first kept one is checked
  // against expected_first_pts to catch a seek that landed too late.
  std::optional<std::int64_t> discard_below_pts;
  bool check_landing = false;
  int seek_retries = 0;

  Impl(const std::filesystem::path& path, VideoReaderOptions opts)
      : options(std::move(opts)),
        demuxer(path),
        decoder(*demuxer.stream(), options.threads, options.keyframes_only, path),
        converter(options.threads, options.scale_filter == ScaleFilter::Smooth) {
    fill_info();
    if (options.measure_frames) {
      index = detail::scan_packet_index(path);
      apply_measurement();
    } else if (options.keyframes_only && info.variable_frame_rate) {
      // Frame indices cannot be counted when frames are skipped, nor derived from a variable rate.
      index = detail::scan_packet_index(path);
    }
  }

  void fill_info() {
    const AVStream& st = *demuxer.stream();
    const AVFormatContext& fc = *demuxer.context();
    time_base = st.time_base;
    time_base_s = av_q2d(time_base);
    info.path = demuxer.path();
    info.container = fc.iformat->name;
    info.codec = decoder.codec_name();
    info.width = st.codecpar->width;
    info.height = st.codecpar->height;
    const double average = to_double(st.avg_frame_rate);
    const double real = to_double(st.r_frame_rate);
    info.nominal_fps = average > 0 ? average : real;
    if (info.nominal_fps <= 0 || info.nominal_fps > 1000) info.nominal_fps = real > 0 ? real : 25.0;
    // r_frame_rate is the smallest rate all timestamps fit; a different average means the frame
    // spacing varies (dropped or irregular frames).
    info.variable_frame_rate =
        average > 0 && real > 0 && std::abs(average - real) > 0.01 * std::max(average, real);
    start_pts = st.start_time != AV_NOPTS_VALUE ? st.start_time : 0;
    info.start_time_s = static_cast<double>(start_pts) * time_base_s;
    period_pts = std::max<std::int64_t>(1, std::llround(1.0 / info.nominal_fps / time_base_s));

    if (st.duration != AV_NOPTS_VALUE && st.duration > 0) {
      info.duration_s = static_cast<double>(st.duration) * time_base_s;
      declared_end_s = info.duration_s;
    } else if (fc.duration != AV_NOPTS_VALUE && fc.duration > 0) {
      const double format_start =
          fc.start_time != AV_NOPTS_VALUE ? static_cast<double>(fc.start_time) / AV_TIME_BASE : 0;
      info.duration_s = static_cast<double>(fc.duration) / AV_TIME_BASE -
                        std::max(0.0, info.start_time_s - format_start);
      // Only trusted for detecting truncation when no other stream can make the file longer.
      if (fc.nb_streams == 1) declared_end_s = info.duration_s;
    }
    info.frame_count =
        st.nb_frames > 0
            ? st.nb_frames
            : static_cast<std::int64_t>(std::llround(info.duration_s * info.nominal_fps));
  }

  void apply_measurement() {
    const auto& pts = index->pts;
    info.frame_count = static_cast<std::int64_t>(pts.size());
    if (pts.size() >= 2) {
      const double span = static_cast<double>(pts.back() - pts.front()) * time_base_s;
      if (span > 0) info.measured_fps = static_cast<double>(pts.size() - 1) / span;
      std::int64_t min_step = INT64_MAX, max_step = 0;
      for (std::size_t i = 1; i < pts.size(); ++i) {
        const std::int64_t step = pts[i] - pts[i - 1];
        min_step = std::min(min_step, step);
        max_step = std::max(max_step, step);
      }
      // Container time bases round frame times; more than two ticks of spread is real variation.
      info.variable_frame_rate = max_step - min_step > 2 && max_step > min_step * 101 / 100;
    }
  }

  std::int64_t frame_index(std::int64_t pts) const {
    if (index && !index->pts.empty()) {
      auto it = std::lower_bound(index->pts.begin(), index->pts.end(), pts);
      return static_cast<std::int64_t>(it - index->pts.begin());
    }
    // Counting is exact only while every frame since the start went through the decoder.
    if (counting_from_start && !options.keyframes_only) return decoded_count - 1;
    return std::llround(static_cast<double>(pts - start_pts) * time_base_s * info.nominal_fps);
  }

  void stop(std::string reason) {
    if (!stopped_early) {
      stopped_early = true;
      stop_reason = std::move(reason);
    }
    start_draining();
  }

  std::string position_text() const {
    const std::int64_t frames = counting_from_start ? decoded_count : -1;
    const double t = last_decoded_pts != AV_NOPTS_VALUE
                         ? static_cast<double>(last_decoded_pts - start_pts) * time_base_s
                         : 0.0;
    if (last_decoded_pts == AV_NOPTS_VALUE) return "before the first frame";
    return (frames >= 0 ? "after frame " + std::to_string(frames - 1) + " at "
                        : std::string("after ")) +
           seconds_text(t);
  }

  void start_draining() {
    if (draining) return;
    draining = true;
    decoder.send(nullptr);  // may fail only if already draining; the receive loop ends either way
  }

  /// Reads one packet and sends it to the decoder (or starts draining at the end / on damage).
  void feed() {
    const detail::ReadResult result = demuxer.read(packet.get());
    if (result.status == ReadStatus::End) {
      start_draining();
      return;
    }
    if (result.status == ReadStatus::Error) {
      if (++consecutive_errors >= detail::kMaxConsecutiveDemuxErrors)
        stop(position_text() +
             ": the container is damaged: " + detail::av_error_text(result.error));
      return;
    }
    const std::int64_t packet_pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    if (packet_pts != AV_NOPTS_VALUE)
      last_packet_pts =
          last_packet_pts == AV_NOPTS_VALUE ? packet_pts : std::max(last_packet_pts, packet_pts);
    if (options.keyframes_only && !(packet->flags & AV_PKT_FLAG_KEY)) {
      av_packet_unref(packet.get());
      return;
    }
    const int sent = decoder.send(packet.get());
    av_packet_unref(packet.get());
    if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_EOF) {
      if (++consecutive_errors >= detail::kMaxConsecutiveDemuxErrors)
        stop(position_text() + ": the decoder rejects the data: " + detail::av_error_text(sent));
      return;
    }
    if (++packets_without_frame > kMaxPacketsWithoutFrame)
      stop(position_text() + ": " + std::to_string(kMaxPacketsWithoutFrame) +
           " packets decoded without a picture");
  }

  /// Called at the decoder's end of stream: a clean end unless the container promised more.
  void finish() {
    finished = true;
    const std::int64_t last = std::max(last_decoded_pts, last_packet_pts);
    if (stopped_early || declared_end_s <= 0 || last == AV_NOPTS_VALUE) return;
    const double last_s = static_cast<double>(last - start_pts) * time_base_s;
    const double tolerance = std::max(1.0, 3.0 / info.nominal_fps);
    if (declared_end_s - last_s > tolerance) {
      stopped_early = true;
      stop_reason = position_text() + ": the file ends here, but the container declares " +
                    seconds_text(declared_end_s) + " (truncated?)";
    }
  }

  /// The seek landed after the wanted frame: go further back and decode forward again.
  /// @return false when out of retries (the frame is then taken as the answer)
  bool retry_seek() {
    if (seek_retries >= kMaxSeekRetries) return false;
    ++seek_retries;
    const std::int64_t target = *discard_below_pts;
    decoder.flush();
    draining = false;
    const double back_s = std::pow(4.0, seek_retries - 1);  // 1 s, 4 s, 16 s
    if (!demuxer.seek_to_key_frame_before(target - static_cast<std::int64_t>(back_s / time_base_s)))
      rewind_to_start();
    return true;
  }

  void rewind_to_start() {
    if (!demuxer.rewind()) demuxer = Demuxer(demuxer.path());  // reopening always works
  }

  /// Looks at one decoded frame; true when it is delivered, false when skipped. Without
  /// @p convert the picture is kept in `held` instead of being converted into @p out.
  bool accept(Frame& out, bool convert) {
    packets_without_frame = 0;
    consecutive_errors = 0;
    ++decoded_count;
    std::int64_t pts = frame->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE) pts = frame->pts;
    if (pts == AV_NOPTS_VALUE)
      pts = last_decoded_pts != AV_NOPTS_VALUE ? last_decoded_pts + period_pts : start_pts;
    last_decoded_pts = pts;

    if (discard_below_pts) {
      if (pts < *discard_below_pts) return false;
      if (check_landing && !options.keyframes_only && landed_too_late(pts) && retry_seek())
        return false;
      discard_below_pts.reset();
      check_landing = false;
    }
    if (convert) {
      converter.convert(*frame, options.format, out);
      out.pixels_pending = false;
    } else {
      auto& slot = held[next_held];
      av_frame_unref(slot.get());
      if (av_frame_ref(slot.get(), frame.get()) < 0)
        throw IoError("out of memory keeping a decoded frame", info.path.string());
      held_pts[next_held] = pts;
      next_held ^= 1;
      out.pixels_pending = true;
    }
    out.pts = pts;
    out.time_s = static_cast<double>(pts - start_pts) * time_base_s;
    out.index = frame_index(pts);
    out.key_frame = frame->key_frame != 0;
    last_delivered_pts = pts;
    return true;
  }

  bool landed_too_late(std::int64_t pts) const {
    const std::int64_t target = *discard_below_pts;
    if (index && !index->pts.empty()) {
      auto it = std::lower_bound(index->pts.begin(), index->pts.end(), target);
      return it != index->pts.end() && pts > *it;
    }
    // Constant rate: the first frame at or after the target is less than one period after it.
    return pts > target + period_pts + period_pts / 4;
  }

  bool convert_pending(Frame& out) {
    if (!out.pixels_pending) return true;
    for (std::size_t i = 0; i < held.size(); ++i) {
      if (held_pts[i] == AV_NOPTS_VALUE || held_pts[i] != out.pts) continue;
      converter.convert(*held[i], options.format, out);
      out.pixels_pending = false;
      return true;
    }
    return false;
  }

  void drop_held() {
    for (std::size_t i = 0; i < held.size(); ++i) {
      av_frame_unref(held[i].get());
      held_pts[i] = AV_NOPTS_VALUE;
    }
  }

  bool read(Frame& out, bool convert = true) {
    if (finished) return false;
    for (;;) {
      const int ret = decoder.receive(frame.get());
      if (ret == 0) {
        const bool delivered = accept(out, convert);
        av_frame_unref(frame.get());
        if (delivered) return true;
        continue;
      }
      if (ret == AVERROR_EOF) {
        finish();
        return false;
      }
      if (ret == AVERROR(EAGAIN)) {
        if (draining) {  // a decoder that neither gives frames nor ends: treat as the end
          finish();
          return false;
        }
        feed();
        continue;
      }
      // A frame failed to decode: skip it, unless failures keep coming.
      if (++consecutive_errors >= detail::kMaxConsecutiveDemuxErrors)
        stop(position_text() + ": the decoder fails on every frame: " + detail::av_error_text(ret));
      if (consecutive_errors >= 2 * detail::kMaxConsecutiveDemuxErrors) {  // not even draining ends
        finish();
        return false;
      }
    }
  }

  void seek(double time_s) {
    drop_held();
    if (!std::isfinite(time_s) || time_s < 0) time_s = 0;
    time_s = std::min(time_s, 1e9);  // ~30 years: past any end, and no overflow in pts ticks
    const std::int64_t half = period_pts / 2;
    std::int64_t threshold = start_pts + std::llround(time_s / time_base_s) - half;
    if (index && !index->pts.empty()) {
      auto it = std::lower_bound(index->pts.begin(), index->pts.end(), threshold);
      if (it != index->pts.end()) threshold = *it;
    }
    // Close ahead of where decoding is: decode through instead of seeking.
    if (!finished && !draining && last_decoded_pts != AV_NOPTS_VALUE &&
        threshold > last_decoded_pts &&
        static_cast<double>(threshold - last_decoded_pts) * time_base_s < kDecodeThroughSeconds) {
      discard_below_pts = threshold;
      check_landing = false;
      return;
    }
    decoder.flush();
    draining = false;
    finished = false;
    last_packet_pts = AV_NOPTS_VALUE;
    stopped_early = false;
    stop_reason.clear();
    consecutive_errors = 0;
    packets_without_frame = 0;
    seek_retries = 0;
    if (threshold <= start_pts) {
      rewind_to_start();
      counting_from_start = true;
      decoded_count = 0;
      discard_below_pts.reset();
      check_landing = false;
      last_decoded_pts = AV_NOPTS_VALUE;
      return;
    }
    counting_from_start = false;
    last_decoded_pts = AV_NOPTS_VALUE;
    if (!index && info.variable_frame_rate) {
      // Without every frame's time a seek into a gap cannot tell "landed late" from "no frame
      // there"; one packet scan (no decoding) answers both, and frame indices, for good.
      index = detail::scan_packet_index(demuxer.path());
      seek(time_s);
      return;
    }
    if (!demuxer.seek_to_key_frame_before(threshold)) rewind_to_start();
    discard_below_pts = threshold;
    check_landing = true;
  }
};

VideoReader::VideoReader(const std::filesystem::path& path, VideoReaderOptions options) {
  quiet_ffmpeg_logging();
  impl_ = std::make_unique<Impl>(path, std::move(options));
}

VideoReader::~VideoReader() = default;
VideoReader::VideoReader(VideoReader&&) noexcept = default;
VideoReader& VideoReader::operator=(VideoReader&&) noexcept = default;

const VideoInfo& VideoReader::info() const {
  return impl_->info;
}
const VideoReaderOptions& VideoReader::options() const {
  return impl_->options;
}
bool VideoReader::read(Frame& frame) {
  return impl_->read(frame);
}
bool VideoReader::read_timing(Frame& frame) {
  return impl_->read(frame, /*convert=*/false);
}
bool VideoReader::convert_pending(Frame& frame) {
  return impl_->convert_pending(frame);
}
void VideoReader::seek(double time_s) {
  impl_->seek(time_s);
}
void VideoReader::set_format(const FrameFormat& format) {
  impl_->options.format = format;
}
bool VideoReader::stopped_early() const {
  return impl_->stopped_early;
}
const std::string& VideoReader::stop_reason() const {
  return impl_->stop_reason;
}

}  // namespace teamor::io
