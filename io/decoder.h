#pragma once
// Internal to io/: the libavcodec layer of VideoReader. Owns one AVCodecContext set up from a
// stream's parameters, with frame + slice threading, and exposes FFmpeg's send/receive protocol
// unchanged (return codes, not exceptions) so the caller can treat EAGAIN/EOF as flow control and
// decide how to handle damage.

#include <filesystem>
#include <string>

#include "io/ffmpeg_handles.h"

namespace teamor::io::detail {

class Decoder {
 public:
  /// @param stream          the stream whose codec parameters and time base configure the decoder
  /// @param threads         decoder threads, 0 = FFmpeg's choice (one per core)
  /// @param keyframes_only  let the decoder discard every non-key frame (fast scan)
  /// @param path            the file, for error messages
  /// @throws IoError when no decoder exists for the codec or it cannot be opened
  Decoder(const AVStream& stream, int threads, bool keyframes_only,
          const std::filesystem::path& path);

  /// @brief avcodec_send_packet; nullptr starts draining. @return FFmpeg's code (0, EAGAIN, EOF,
  /// <0)
  int send(const AVPacket* packet);
  /// @brief avcodec_receive_frame. @return FFmpeg's code (0, EAGAIN, EOF, <0)
  int receive(AVFrame* frame);
  /// @brief Drops buffered frames and leaves draining mode (after a seek).
  void flush();

  const AVCodecContext& context() const { return *context_; }
  /// Short codec name, e.g. "h264".
  std::string codec_name() const;

 private:
  CodecContextPtr context_;
};

}  // namespace teamor::io::detail
