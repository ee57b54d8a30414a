#pragma once
// Internal to io/: RAII owners for FFmpeg contexts and the one place where FFmpeg return codes
// become teamor::IoError. Every owning FFmpeg pointer lives in one of these aliases, so error paths
// need no cleanup code (STYLE.md rule 5). Not installed, never included from a public header.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "io/frame.h"

namespace teamor::io::detail {

struct FormatContextDeleter {
  void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct FrameDeleter {
  void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsContextDeleter {
  void operator()(SwsContext* p) const { sws_freeContext(p); }
};

using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;

/// @brief FFmpeg's text for an error code (av_strerror), e.g. "Invalid data found when processing
/// input".
inline std::string av_error_text(int ret) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(ret, buffer, sizeof buffer) < 0) return "FFmpeg error " + std::to_string(ret);
  return buffer;
}

/// @brief Throws IoError when @p ret is negative, naming the step and the file.
/// @param ret  an FFmpeg return code
/// @param what the step that failed ("opening the file", "sending a packet to the h264 decoder")
/// @param path the file being read or written
/// @return @p ret when it is not an error
/// @throws IoError "<what> failed: <FFmpeg's text>" with @p path as the file
inline int check_av(int ret, std::string_view what, const std::filesystem::path& path) {
  if (ret < 0) throw IoError(std::string(what) + " failed: " + av_error_text(ret), path.string());
  return ret;
}

/// @brief FFmpeg's pixel format for a delivered/accepted frame layout.
inline AVPixelFormat to_av_pixel_format(PixelFormat format) {
  switch (format) {
    case PixelFormat::Gray8:
      return AV_PIX_FMT_GRAY8;
    case PixelFormat::Rgb24:
      return AV_PIX_FMT_RGB24;
    case PixelFormat::Bgr24:
      return AV_PIX_FMT_BGR24;
  }
  return AV_PIX_FMT_NONE;
}

/// @brief Allocates an empty frame; throws IoError when out of memory.
inline FramePtr make_frame() {
  FramePtr frame(av_frame_alloc());
  if (!frame) throw IoError("could not allocate an FFmpeg frame (out of memory)");
  return frame;
}

/// @brief Allocates an empty packet; throws IoError when out of memory.
inline PacketPtr make_packet() {
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw IoError("could not allocate an FFmpeg packet (out of memory)");
  return packet;
}

}  // namespace teamor::io::detail
