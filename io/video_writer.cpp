#include "io/video_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <exception>
#include <system_error>
#include <utility>
#include <vector>

#include "common/error.h"
#include "io/ffmpeg_handles.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace teamor::io {
namespace {

using detail::check_av;
using detail::CodecContextPtr;
using detail::FramePtr;
using detail::PacketPtr;
using detail::SwsContextPtr;

// An output context owns its AVIOContext only through us: close the IO first, then free the
// context (ffmpeg_handles.h's FormatContextPtr is for inputs).
struct OutputContextDeleter {
  void operator()(AVFormatContext* p) const {
    if (p == nullptr) return;
    if (p->pb != nullptr && !(p->oformat->flags & AVFMT_NOFILE)) avio_closep(&p->pb);
    avformat_free_context(p);
  }
};
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;

const AVCodec* find_encoder(const std::string& name, const std::filesystem::path& path) {
  if (name == "auto") {
    if (const AVCodec* c = avcodec_find_encoder_by_name("libx264")) return c;
    if (const AVCodec* c = avcodec_find_encoder_by_name("mpeg4")) return c;
    throw IoError("no video encoder available: expected libx264 or mpeg4 in this FFmpeg build",
                  path.string());
  }
  if (name != "libx264" && name != "mpeg4")
    throw ConfigError("unknown codec '" + name + "': expected \"auto\", \"libx264\" or \"mpeg4\"",
                      path.string());
  const AVCodec* c = avcodec_find_encoder_by_name(name.c_str());
  if (c == nullptr)
    throw IoError("encoder '" + name + "' is not available in this FFmpeg build", path.string());
  return c;
}

/// Temporary name in the target's folder (same file system, so the final rename is atomic). The
/// extension is kept in front of the suffix only for humans; the muxer is chosen from the final
/// name.
std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  auto temp = path;
  temp += ".part-" + std::to_string(::getpid());
  return temp;
}

void fsync_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw IoError("cannot reopen the encoded file to flush it to disk", path.string());
  const int ret = ::fsync(fd);
  ::close(fd);
  if (ret != 0) throw IoError("fsync of the encoded file failed", path.string());
}

// Packed RGB/BGR to YUV 4:2:0 (BT.601, limited range: what swscale produces by default), two rows
// at a time. libswscale's unscaled path for packed 24-bit input is plain C and cost almost half as
// much as the encoder itself at 640x360 (ultrafast); this loop is written so GCC vectorises it.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// AVX2 has the byte shuffles that de-interleaving 3-byte pixels needs; other CPUs get the default.
#define TEAMOR_VECTORIZE \
  __attribute__((optimize("O3", "tree-vectorize"), target_clones("avx2", "default")))
#else
#define TEAMOR_VECTORIZE
#endif

// 16-bit arithmetic throughout (twice the lanes of 32-bit): 66*255 + 129*255 + 25*255 + 4224 <
// 65536.
// Channel offsets are template arguments: the vectoriser needs constant offsets in each pixel
// group.
template <int r, int b>
TEAMOR_VECTORIZE void luma_row(const std::uint8_t* __restrict src, std::uint8_t* __restrict dst,
                               int width) {
  for (int x = 0; x < width; ++x) {
    const std::uint16_t R = src[3 * x + r], G = src[3 * x + 1], B = src[3 * x + b];
    dst[x] = static_cast<std::uint8_t>(
        static_cast<std::uint16_t>(66 * R + 129 * G + 25 * B + 4224) >> 8);
  }
}

// Chroma in two vectorisable steps (GCC cannot de-interleave 6-byte groups): vertical sums of each
// channel into planar rows, then the rounded mean of horizontal pairs. Intermediates fit 16 bits.
template <int r, int b>
TEAMOR_VECTORIZE void column_sums(const std::uint8_t* __restrict row0,
                                  const std::uint8_t* __restrict row1, std::uint16_t* __restrict R,
                                  std::uint16_t* __restrict G, std::uint16_t* __restrict B,
                                  int width) {
  for (int x = 0; x < width; ++x) {
    R[x] = static_cast<std::uint16_t>(row0[3 * x + r] + row1[3 * x + r]);
    G[x] = static_cast<std::uint16_t>(row0[3 * x + 1] + row1[3 * x + 1]);
    B[x] = static_cast<std::uint16_t>(row0[3 * x + b] + row1[3 * x + b]);
  }
}

TEAMOR_VECTORIZE void chroma_row(const std::uint16_t* __restrict R,
                                 const std::uint16_t* __restrict G,
                                 const std::uint16_t* __restrict B, std::uint8_t* __restrict u,
                                 std::uint8_t* __restrict v, int half_width) {
  for (int x = 0; x < half_width; ++x) {
    const auto r = static_cast<std::int16_t>((R[2 * x] + R[2 * x + 1] + 2) >> 2);
    const auto g = static_cast<std::int16_t>((G[2 * x] + G[2 * x + 1] + 2) >> 2);
    const auto b = static_cast<std::int16_t>((B[2 * x] + B[2 * x + 1] + 2) >> 2);
    u[x] = static_cast<std::uint8_t>(
        (static_cast<std::int16_t>(-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
    v[x] = static_cast<std::uint8_t>(
        (static_cast<std::int16_t>(112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
  }
}

/// @p scratch: at least 3 * width values, reused between frames.
template <int r, int b>
void packed_to_yuv420(const std::uint8_t* pixels, int stride, int width, int height, AVFrame* frame,
                      std::vector<std::uint16_t>& scratch) {
  scratch.resize(3 * static_cast<std::size_t>(width));
  std::uint16_t* R = scratch.data();
  std::uint16_t* G = R + width;
  std::uint16_t* B = G + width;
  for (int y = 0; y < height; y += 2) {
    const std::uint8_t* row0 = pixels + static_cast<std::ptrdiff_t>(y) * stride;
    const std::uint8_t* row1 = row0 + stride;
    std::uint8_t* luma = frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0];
    luma_row<r, b>(row0, luma, width);
    luma_row<r, b>(row1, luma + frame->linesize[0], width);
    column_sums<r, b>(row0, row1, R, G, B, width);
    chroma_row(R, G, B, frame->data[1] + static_cast<std::ptrdiff_t>(y / 2) * frame->linesize[1],
               frame->data[2] + static_cast<std::ptrdiff_t>(y / 2) * frame->linesize[2], width / 2);
  }
}

}  // namespace

struct VideoWriter::Impl {
  std::filesystem::path path;
  std::filesystem::path temp_path;
  VideoWriterOptions options;
  OutputContextPtr format;
  CodecContextPtr codec;
  AVStream* stream = nullptr;  // owned by format
  SwsContextPtr sws;
  FramePtr frame;
  PacketPtr packet;
  std::string codec_name;
  std::vector<std::uint16_t> scratch;  // planar chroma sums for the RGB -> YUV conversion
  std::int64_t frames_written = 0;
  bool open = false;    // temp file exists and is being written
  bool failed = false;  // an error happened: close() must not publish
  int uncaught_at_open = 0;

  void init();
  void encode(const AVFrame* input);
  void finish();
  void discard() noexcept;
};

void VideoWriter::Impl::init() {
  const auto& o = options;
  if (o.width <= 0 || o.height <= 0 || o.width % 2 != 0 || o.height % 2 != 0)
    throw ConfigError("frame size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                          " is not valid: expected positive, even width and height",
                      path.string());
  if (!(o.fps > 0 && o.fps <= 1000))
    throw ConfigError(
        "frame rate " + std::to_string(o.fps) + " is not valid: expected 0 < fps <= 1000",
        path.string());
  if (o.gop <= 0) throw ConfigError("gop must be positive", path.string());

  const AVCodec* encoder = find_encoder(o.codec, path);
  codec_name = encoder->name;

  const std::string file_name = path.filename().string();
  const AVOutputFormat* container = av_guess_format(nullptr, file_name.c_str(), nullptr);
  if (container == nullptr)
    throw IoError("cannot choose a container for '" + file_name +
                      "': expected a known video extension such as .mp4, .mkv or .avi",
                  path.string());
  AVFormatContext* raw_format = nullptr;
  check_av(avformat_alloc_output_context2(&raw_format, container, nullptr, nullptr),
           "allocating the output container", path);
  format.reset(raw_format);

  codec.reset(avcodec_alloc_context3(encoder));
  if (!codec) throw IoError("cannot allocate the encoder context", path.string());
  const AVRational rate = av_d2q(o.fps, 100000);
  codec->width = o.width;
  codec->height = o.height;
  codec->pix_fmt = AV_PIX_FMT_YUV420P;
  codec->time_base = av_inv_q(rate);
  codec->framerate = rate;
  codec->gop_size = o.gop;
  codec->thread_count = o.threads;
  codec->sample_aspect_ratio = AVRational{1, 1};
  // libx264 prints its settings at info level on every open; shift this context's messages one
  // level down so that only warnings and errors (then shown as warnings) reach the default log.
  codec->log_level_offset = AV_LOG_VERBOSE - AV_LOG_INFO;
  if (codec_name == "libx264") {
    check_av(av_opt_set(codec->priv_data, "preset", o.preset.c_str(), 0),
             "setting x264 preset '" + o.preset + "'", path);
    check_av(av_opt_set_int(codec->priv_data, "crf", o.crf, 0), "setting x264 crf", path);
    // x264 reports its statistics at info level on every close; only its errors matter here.
    check_av(av_opt_set(codec->priv_data, "x264-params", "log=0", 0), "setting x264 log level",
             path);
  } else {
    // MPEG-4 Part 2 has no crf: a fixed quantiser of about crf/6 keeps similar visual quality.
    codec->flags |= AV_CODEC_FLAG_QSCALE;
    codec->global_quality = FF_QP2LAMBDA * std::max(2, std::min(31, o.crf / 6));
    codec->max_b_frames = 0;
  }
  if (container->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check_av(avcodec_open2(codec.get(), encoder, nullptr), "opening encoder " + codec_name, path);

  stream = avformat_new_stream(format.get(), nullptr);
  if (stream == nullptr) throw IoError("cannot add a video stream to the container", path.string());
  stream->time_base = codec->time_base;
  stream->avg_frame_rate = rate;
  check_av(avcodec_parameters_from_context(stream->codecpar, codec.get()),
           "copying encoder parameters", path);

  frame.reset(av_frame_alloc());
  packet.reset(av_packet_alloc());
  if (!frame || !packet) throw IoError("out of memory allocating frame buffers", path.string());
  frame->format = codec->pix_fmt;
  frame->width = o.width;
  frame->height = o.height;
  check_av(av_frame_get_buffer(frame.get(), 0), "allocating the frame buffer", path);

  sws.reset(sws_getContext(o.width, o.height, detail::to_av_pixel_format(o.input_format), o.width,
                           o.height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
  if (!sws) throw IoError("cannot create the pixel converter to yuv420p", path.string());

  temp_path = temp_path_for(path);
  if (!(container->flags & AVFMT_NOFILE)) {
    check_av(avio_open(&format->pb, temp_path.c_str(), AVIO_FLAG_WRITE),
             "creating '" + temp_path.string() + "'", path);
  }
  open = true;
  // No version strings or dates in the container: same frames give the same bytes.
  format->flags |= AVFMT_FLAG_BITEXACT;
  check_av(avformat_write_header(format.get(), nullptr), "writing the container header", path);
  uncaught_at_open = std::uncaught_exceptions();
}

void VideoWriter::Impl::encode(const AVFrame* input) {
  check_av(avcodec_send_frame(codec.get(), input), "sending a frame to the encoder", path);
  while (true) {
    const int ret = avcodec_receive_packet(codec.get(), packet.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;  // flow control, not failure
    check_av(ret, "encoding frame " + std::to_string(frames_written), path);
    av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
    packet->stream_index = stream->index;
    const int wret = av_interleaved_write_frame(format.get(), packet.get());
    av_packet_unref(packet.get());
    check_av(wret, "writing an encoded packet", path);
  }
}

void VideoWriter::Impl::finish() {
  encode(nullptr);  // flush delayed frames
  check_av(av_write_trailer(format.get()), "writing the container trailer", path);
  if (format->pb != nullptr) check_av(avio_closep(&format->pb), "closing the file", path);
  open = false;
  fsync_file(temp_path);
  std::error_code ec;
  std::filesystem::rename(temp_path, path, ec);
  if (ec) {
    std::filesystem::remove(temp_path, ec);
    throw IoError("cannot move the finished video into place: " + ec.message(), path.string());
  }
}

void VideoWriter::Impl::discard() noexcept {
  if (format && format->pb != nullptr) avio_closep(&format->pb);
  open = false;
  if (!temp_path.empty()) {
    std::error_code ec;
    std::filesystem::remove(temp_path, ec);
  }
}

VideoWriter::VideoWriter(const std::filesystem::path& path, VideoWriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->options = std::move(options);
  try {
    impl_->init();
  } catch (...) {
    impl_->discard();
    throw;
  }
}

VideoWriter::~VideoWriter() {
  if (!impl_ || !impl_->open) return;
  // Destroyed while an exception unwinds the stack (an error or a cancel elsewhere): the frames are
  // incomplete, so the file must not appear.
  if (impl_->failed || std::uncaught_exceptions() > impl_->uncaught_at_open) {
    impl_->discard();
    return;
  }
  try {
    close();
  } catch (const std::exception& e) {
    av_log(nullptr, AV_LOG_ERROR, "teamor VideoWriter: %s\n", e.what());
  }
}

VideoWriter::VideoWriter(VideoWriter&&) noexcept = default;

VideoWriter& VideoWriter::operator=(VideoWriter&& other) noexcept {
  if (this != &other) {
    VideoWriter old(
        std::move(*this));  // the old file is finished (or discarded) by old's destructor
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void VideoWriter::write(const std::uint8_t* pixels, int stride) {
  TEAMOR_ASSERT(impl_ && impl_->open);
  TEAMOR_ASSERT(pixels != nullptr);
  auto& s = *impl_;
  const int min_stride = s.options.width * bytes_per_pixel(s.options.input_format);
  if (stride < min_stride) {
    s.failed = true;
    throw IoError("frame " + std::to_string(s.frames_written) + " has a row stride of " +
                      std::to_string(stride) + " bytes, expected at least " +
                      std::to_string(min_stride),
                  s.path.string());
  }
  try {
    check_av(av_frame_make_writable(s.frame.get()), "making the frame writable", s.path);
    if (s.options.input_format == PixelFormat::Gray8) {
      const std::uint8_t* src[1] = {pixels};
      const int src_stride[1] = {stride};
      sws_scale(s.sws.get(), src, src_stride, 0, s.options.height, s.frame->data,
                s.frame->linesize);
    } else {
      if (s.options.input_format == PixelFormat::Bgr24)
        packed_to_yuv420<2, 0>(pixels, stride, s.options.width, s.options.height, s.frame.get(),
                               s.scratch);
      else
        packed_to_yuv420<0, 2>(pixels, stride, s.options.width, s.options.height, s.frame.get(),
                               s.scratch);
    }
    s.frame->pts = s.frames_written;
    s.encode(s.frame.get());
    ++s.frames_written;
  } catch (...) {
    s.failed = true;
    throw;
  }
}

void VideoWriter::write(const Frame& frame) {
  TEAMOR_ASSERT(impl_);
  const auto& o = impl_->options;
  if (frame.width != o.width || frame.height != o.height || frame.pixel_format != o.input_format) {
    impl_->failed = true;
    throw IoError("frame " + std::to_string(impl_->frames_written) + " is " +
                      std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                      ", expected " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                      " in the writer's input pixel format",
                  impl_->path.string());
  }
  TEAMOR_ASSERT(frame.data.size() >= static_cast<std::size_t>(frame.stride) * frame.height);
  write(frame.data.data(), frame.stride);
}

void VideoWriter::close() {
  if (!impl_ || !impl_->open) return;
  auto& s = *impl_;
  if (s.failed) {
    s.discard();
    throw IoError("the video was not finished because an earlier write failed", s.path.string());
  }
  try {
    s.finish();
  } catch (...) {
    s.failed = true;
    s.discard();
    throw;
  }
}

const std::string& VideoWriter::codec_name() const {
  return impl_->codec_name;
}

std::int64_t VideoWriter::frames_written() const {
  return impl_->frames_written;
}

}  // namespace teamor::io
